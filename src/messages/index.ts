// The message catalogue: every code odbadge reports — indicator verdicts, catalogue findings, structural errors,
// inspection conclusions, encoding reasons — with a bilingual template, a description and a fix. Ground floor:
// every layer renders its messages here, and docs/codes.md is generated from it (scripts/generate-docs.ts).
import { ENCODING_MESSAGES, INSPECTION_MESSAGES } from './inspection.ts';
import { FINDING_MESSAGES } from './findings.ts';
import { makeFmt, type OptionsForRender } from './format.ts';
import { DIRECT_DOWNLOAD_MESSAGES } from './rules/direct-download.ts';
import { ENCODING_MATCH_MESSAGES } from './rules/encoding-match.ts';
import { EVALUATE_MESSAGES } from './rules/evaluate.ts';
import { FIELDS_MATCH_MESSAGES } from './rules/fields-match.ts';
import { LINK_VALID_MESSAGES } from './rules/link-valid.ts';
import { OAS_VALID_MESSAGES } from './rules/oas-valid.ts';
import { STRUCTURED_MESSAGES } from './rules/structured.ts';
import { TIMELY_MESSAGES } from './rules/timely.ts';
import { STRUCTURAL_MESSAGES, type Position } from './structural.ts';
import type { Bilingual, Fmt, Lang, MessageDef, MessageRef } from './types.ts';

export type { Bilingual, Fmt, Lang, MessageDef, MessageKind, MessageRef } from './types.ts';
export { frequencyText, isTimeZone, legacyFrequency, zonedTime, type FrequencyParam, type FrequencyUnit, type OptionsForRender } from './format.ts';
export { headerRows, raiseHint, type Position } from './structural.ts';
export type { EvidenceSource } from './rules/timely.ts';
export type { OasProblem } from './rules/oas-valid.ts';

export const INDICATOR_MESSAGES = {
  ...LINK_VALID_MESSAGES,
  ...DIRECT_DOWNLOAD_MESSAGES,
  ...STRUCTURED_MESSAGES,
  ...ENCODING_MATCH_MESSAGES,
  ...FIELDS_MATCH_MESSAGES,
  ...TIMELY_MESSAGES,
  ...OAS_VALID_MESSAGES,
  ...EVALUATE_MESSAGES,
};

/** Every code, in the order docs/codes.md lists them. */
export const CATALOGUE = {
  ...INDICATOR_MESSAGES,
  ...FINDING_MESSAGES,
  ...STRUCTURAL_MESSAGES,
  ...INSPECTION_MESSAGES,
  ...ENCODING_MESSAGES,
};

type Catalogue = typeof CATALOGUE;
export type MessageCode = keyof Catalogue;
export type IndicatorCode = keyof typeof INDICATOR_MESSAGES;
export type FindingCode = keyof typeof FINDING_MESSAGES;
export type StructuralErrorType = keyof typeof STRUCTURAL_MESSAGES;
export type InspectionCode = keyof typeof INSPECTION_MESSAGES;
export type EncodingReasonCode = keyof typeof ENCODING_MESSAGES;

export type ParamsOf<C extends MessageCode> = Catalogue[C] extends MessageDef<infer P> ? P : never;

/** A message with its parameters checked against its code. */
export type Ref<C extends MessageCode = MessageCode> = { [K in C]: { code: K; params: ParamsOf<K> } }[C];

/** Builds a typed message reference: `msg('link-valid.http-error', { status: 404, redirects: [] })`. */
export function msg<C extends MessageCode>(code: C, params: ParamsOf<C>): Ref<C> {
  return { code, params } as Ref<C>;
}

export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(CATALOGUE, code);
}

function defOf(code: string): MessageDef<unknown> | undefined {
  return isMessageCode(code) ? (CATALOGUE[code] as MessageDef<unknown>) : undefined;
}

function renderWith(ref: MessageRef, f: Fmt): string {
  const def = defOf(ref.code);
  // A code this odbadge does not know (results written by a newer one): show the code rather than nothing.
  if (!def) return ref.code;
  return def[f.lang](ref.params, f);
}

/** The text of a message for a reader: in `lang`, times in the portal's zone. */
export function render(ref: MessageRef, lang: Lang, opts: OptionsForRender = {}): string {
  return renderWith(ref, makeFmt(lang, false, opts, renderWith));
}

export function renderBoth(ref: MessageRef, opts: OptionsForRender = {}): Bilingual {
  return { zh: render(ref, 'zh', opts), en: render(ref, 'en', opts) };
}

/** The compatibility text: `evidence` and `Finding.message` (English), `Finding.messageZh` (Chinese), as before. */
export function legacyText(ref: MessageRef, lang: Lang = 'en'): string {
  return renderWith(ref, makeFmt(lang, true, {}, renderWith));
}

/** The fix hint of a code, when it has one. */
export function fixOf(ref: MessageRef, opts: OptionsForRender = {}): Bilingual | undefined {
  const def = defOf(ref.code);
  if (!def?.fix) return undefined;
  return { zh: def.fix.zh(ref.params, makeFmt('zh', false, opts, renderWith)), en: def.fix.en(ref.params, makeFmt('en', false, opts, renderWith)) };
}

// ------------------------------------------------------------------------------------------ findings

/** What a finding carries (src/model.ts `Finding`). */
export interface FindingText<C extends FindingCode = FindingCode> {
  code: C;
  /** English, as findings always carried it. */
  message: string;
  /** Chinese, as findings carried it where they had one (now every finding). */
  messageZh: string;
  detail?: Record<string, unknown>;
  params: ParamsOf<C>;
  /** The message in both languages for a reader, times in the portal's zone. */
  text: Bilingual;
}

/** A finding from its code and parameters; `detail` is the machine-readable part findings always had. */
export function finding<C extends FindingCode>(code: C, params: ParamsOf<C>, detail?: Record<string, unknown>, opts: OptionsForRender = {}): FindingText<C> {
  const ref = { code, params } as MessageRef;
  return {
    code,
    message: legacyText(ref, 'en'),
    messageZh: legacyText(ref, 'zh'),
    ...(detail ? { detail } : {}),
    params,
    text: renderBoth(ref, opts),
  };
}

// ------------------------------------------------------------------------------------------ structural errors

/** The parameters beyond the position (distributed over a union of variants). */
type WithoutPosition<P> = P extends unknown ? Omit<P, keyof Position> : never;
type StructuralParams<T extends StructuralErrorType> = WithoutPosition<ParamsOf<T>>;

/** A structural error (src/model.ts `StructuralError`) from its type, position and parameters. */
export function structuralError<T extends StructuralErrorType>(type: T, at: Position, params: StructuralParams<T>) {
  const message = legacyText({ code: type, params: { ...params, ...at } });
  const hasParams = Object.keys(params).length > 0;
  return { type, row: at.row, field: at.field, message, ...(at.cell !== undefined ? { cell: at.cell } : {}), ...(hasParams ? { params } : {}) };
}

/** The message of a structural error, to quote it in another message. */
export function structuralRef(e: { type: string; row: number | null; field: number | null; cell?: string; params?: Record<string, unknown> }): MessageRef {
  return { code: e.type, params: { ...(e.params ?? {}), row: e.row, field: e.field, ...(e.cell !== undefined ? { cell: e.cell } : {}) } };
}
