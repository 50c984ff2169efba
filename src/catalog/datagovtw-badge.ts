// 品質檢測 is the platform's own published badge. The export prints it in Chinese; other dumps use English.

export interface OfficialBadge {
  /** tier id ('platinum' | 'gold' | 'silver' | 'bronze') or 'none'; null when empty or not recognised */
  officialBadge: string | null;
  officialBadgeRaw: string | undefined;
  whitelisted: boolean;
  /** false when the text was non-empty but matched no known value (the caller records a finding) */
  recognised: boolean;
}

// Order matters: 白金 (platinum) contains 金 (gold).
const TIERS: [RegExp, string][] = [
  [/白金|platinum/i, 'platinum'],
  [/金|gold/i, 'gold'],
  [/銀|silver/i, 'silver'],
  [/銅|bronze/i, 'bronze'],
];
const WHITELIST = /白名單|white-?\s*list/i;
const NONE = /^(無|沒有|未取得|尚無|未通過|不適用|none|no|n\/a|-|無標章|no badge)$/i;

export function parseOfficialBadge(raw: string | null | undefined): OfficialBadge {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return { officialBadge: null, officialBadgeRaw: undefined, whitelisted: false, recognised: true };
  const whitelisted = WHITELIST.test(text);
  // "無(白名單)": whitelisted datasets hold no badge whatever else the text says.
  if (whitelisted) return { officialBadge: 'none', officialBadgeRaw: text, whitelisted, recognised: true };
  for (const [re, tier] of TIERS) {
    if (re.test(text)) return { officialBadge: tier, officialBadgeRaw: text, whitelisted, recognised: true };
  }
  const bare = text.replace(/[（(].*[)）]$/, '').trim();
  if (NONE.test(bare)) return { officialBadge: 'none', officialBadgeRaw: text, whitelisted, recognised: true };
  return { officialBadge: null, officialBadgeRaw: text, whitelisted, recognised: false };
}
