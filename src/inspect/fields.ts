// 主要欄位說明 (declared main fields) against the fields a resource really has.
// Declarations look like "村名(name)、人口(population)" or "id,name": a list separated by 、 , ， ; ； or newlines,
// each item optionally carrying an alias in half- or full-width parentheses.

export interface DeclaredField {
  name: string;
  alias?: string;
}

/** Zero-width and BOM characters that survive copy-paste from portals and spreadsheets. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** NFKC (full-width → half-width), strip invisibles, trim, collapse whitespace, lower-case Latin. */
export function normaliseFieldName(s: string): string {
  return s.normalize('NFKC').replace(INVISIBLE, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function splitDeclaredFields(text: string): DeclaredField[] {
  const out: DeclaredField[] = [];
  // split on separators that are not inside parentheses: "金額(元,新臺幣)" is one item
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text.replace(INVISIBLE, '')) {
    if (ch === '(' || ch === '（') depth++;
    else if ((ch === ')' || ch === '）') && depth > 0) depth--;
    if (depth === 0 && /[、,，;；\n\r]/.test(ch)) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  for (const raw of items) {
    const item = raw.trim();
    if (!item) continue;
    // long items are kept whole: an alias is a short word, and the regex need not see megabytes
    const m = item.length <= 300 ? /^(.*?)\s*[(（]([^()（）]*)[)）]\s*$/.exec(item) : null;
    if (m && m[1].trim()) {
      const alias = m[2].trim();
      out.push(alias ? { name: m[1].trim(), alias } : { name: m[1].trim() });
    } else {
      out.push({ name: item });
    }
  }
  return out;
}

/**
 * Does the declared list match the resource's fields? `exact`: every declared field is present and every actual
 * field is declared; `subset`: every declared field is present (extra actual fields allowed). Missing names are
 * reported as declared (name as written), extra names as they appear in the resource.
 */
export function compareFields(declared: string, actual: string[], strictness: 'exact' | 'subset'): { match: boolean; missing: string[]; extra: string[] } {
  const wanted = splitDeclaredFields(declared);
  const actualNorm = actual.map(normaliseFieldName);
  const used = new Set<number>();
  const missing: string[] = [];
  for (const d of wanted) {
    const keys = [normaliseFieldName(d.name), ...(d.alias ? [normaliseFieldName(d.alias)] : [])];
    // the whole item too, for headers that literally read "村名(name)"
    keys.push(normaliseFieldName(d.alias ? `${d.name}(${d.alias})` : d.name));
    const i = actualNorm.findIndex((a, idx) => !used.has(idx) && keys.includes(a));
    if (i >= 0) used.add(i);
    else missing.push(d.name);
  }
  const extra = actual.filter((a, idx) => !used.has(idx) && actualNorm[idx] !== '');
  const match = wanted.length > 0 && missing.length === 0 && (strictness === 'subset' || extra.length === 0);
  return { match, missing, extra };
}
