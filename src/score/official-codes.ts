// The platform checker's per-resource codes (quality.data.gov.tw, 2017–18): linkable, downloadable, structure,
// encoding_match, desc_match, each 1 = pass, 0 = fail, 2 = not evaluated. odbadge states them beside its own
// verdicts, computed under the official-compatibility profile (rules/tw-ndc-2017-official.json), so an agency sees
// both what the platform will say and what is true; and it reads the codes a catalogue publishes to compare.
import type { IndicatorResult, OfficialCode, OfficialCodes, Verdict } from '../model.ts';

/** Official code name → the odbadge indicator it reports. */
export const OFFICIAL_CODE_INDICATORS = {
  linkable: 'link-valid',
  downloadable: 'direct-download',
  structure: 'structured',
  encoding_match: 'encoding-match',
  desc_match: 'fields-match',
} as const satisfies Record<keyof OfficialCodes, string>;

export const OFFICIAL_CODE_NAMES = Object.keys(OFFICIAL_CODE_INDICATORS) as (keyof OfficialCodes)[];

/** pass 1, fail 0, not evaluated 2; `unsure` has no official code (the platform would have decided): null. */
export function codeOf(verdict: Verdict | undefined): OfficialCode {
  switch (verdict) {
    case 'pass': return 1;
    case 'fail': return 0;
    case 'not-evaluated': return 2;
    default: return null;
  }
}

export function officialCodes(indicators: Record<string, IndicatorResult>): OfficialCodes {
  const out = {} as OfficialCodes;
  for (const name of OFFICIAL_CODE_NAMES) out[name] = codeOf(indicators[OFFICIAL_CODE_INDICATORS[name]]?.verdict);
  return out;
}

/**
 * The codes a catalogue publishes for a resource, from its `officialQc` text ("linkable=1 downloadable=0 …", as
 * the 2017 checker answers carry them). Badge names (API v2 qcLevel "金標章") are not per-code: undefined.
 */
export function publishedCodes(officialQc: string | undefined): Partial<OfficialCodes> | undefined {
  if (!officialQc) return undefined;
  const out: Partial<OfficialCodes> = {};
  for (const m of officialQc.matchAll(/\b(linkable|downloadable|structure|encoding_match|desc_match)\s*[=:]\s*([012])\b/g)) {
    out[m[1] as keyof OfficialCodes] = Number(m[2]) as 0 | 1 | 2;
  }
  return Object.keys(out).length ? out : undefined;
}
