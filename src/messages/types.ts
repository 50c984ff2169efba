// The shape of the message catalogue, after frictionless's error catalogue (one entry per code, a template and a
// description) and ESLint's `meta.messages` (a rule reports a message id with data; the framework renders it).
// Every entry renders in both languages from the same parameters, so what the zh-TW reader sees says what the
// English evidence says. Params are plain JSON (they are recorded in results.json beside the rendered text).

export type Lang = 'zh' | 'en';

export interface Bilingual {
  zh: string;
  en: string;
}

/** A message as data: a code of the catalogue and its parameters. Render it with `render` / `renderBoth`. */
export interface MessageRef {
  code: string;
  params: object;
}

/** Formatting that depends on the reader's language and the portal's time zone, handed to every template. */
export interface Fmt {
  readonly lang: Lang;
  /**
   * The compatibility rendering: the English `evidence` / `Finding.message` and Chinese `messageZh` strings exactly
   * as odbadge wrote them before the catalogue (dates as recorded, "(1 days)"), so results keep those fields.
   */
  readonly legacy: boolean;
  /** An ISO time in the portal's time zone with its offset (legacy: as recorded). */
  date(iso: string): string;
  /** A duration in days: "3 days", "36 hours" / "3 天", "36 小時". */
  days(days: number): string;
  /** A nested message in the same language and time zone. */
  msg(ref: MessageRef | undefined): string;
  /** Items joined the language's way: "a, b" / "a、b". */
  list(items: readonly string[]): string;
  /** "1 attempt" / "3 attempts"; in Chinese the unit is not inflected. */
  plural(n: number, one: string, many?: string): string;
}

export type Template<P> = (p: P, f: Fmt) => string;

/** Where a code is emitted, for the docs. */
export type MessageKind = 'indicator' | 'finding' | 'structural-error' | 'inspection' | 'encoding';

export interface MessageDef<P> {
  kind: MessageKind;
  /** For indicator codes: the rule that reports it (a code belongs to one rule, or to the evaluator: '*'). */
  rule?: string;
  /** What the code means, for docs/codes.md. */
  description: string;
  /** A short name, where messages list codes (structural errors: "blank-label" / 標題欄位空白). */
  label?: Bilingual;
  en: Template<P>;
  zh: Template<P>;
  /** How to fix it: the `hint` of a failing indicator, and the "fix" column of docs/codes.md. */
  fix?: { zh: Template<P>; en: Template<P> };
  /** Parameters for the example in docs/codes.md (and for the catalogue's own tests). */
  example: P;
}

/** Declares one entry with its parameter type (the identity; it only fixes P for the templates). */
export function define<P>(d: MessageDef<P>): MessageDef<P> {
  return d;
}
