// Small text helpers shared by the plan importers and the matcher.

const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const CJK_GAP = new RegExp(`(?<=[${CJK}]) +(?=[${CJK}])`, 'g');

/**
 * Undoes the line wrapping a PDF-to-text conversion leaves inside a table cell: a space between two CJK characters
 * ("資科辦於推動長者應用資 訊及通訊科技") is a wrap, not a word break. ASCII spacing is kept.
 */
export function unwrapCell(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(CJK_GAP, '');
}

/** Joins a wrapped continuation onto a cell: no space between CJK, one space otherwise. */
export function joinWrapped(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return unwrapCell(`${a} ${b}`);
}

/** "政府資訊科技總監辦公室（下稱「資科辦」）" → "政府資訊科技總監辦公室" */
export function stripAlias(s: string): string {
  return s.replace(/\s*[（(]\s*(下稱|下称|以下簡稱|以下简称)[^）)]*[）)]\s*/g, '').trim();
}

export const NOT_APPLICABLE = /^(不適用|不适用|n\/a|not applicable|\/|－|-|—|無|无)$/i;

// Formats named in remarks: "(CSV)", "以XLSX及CSV格式", "CSV/XML/JSON", "GML/KML/GeoJSON/CSV", "(JSON and XML)".
const FORMAT_TOKENS = ['GeoJSON', 'CSV', 'TSV', 'JSON', 'XML', 'XLSX', 'XLS', 'ODS', 'GML', 'KML', 'KMZ', 'SHP', 'ICS', 'RSS', 'PDF', 'ZIP', 'TXT', 'API', 'WMS', 'WFS', 'GTFS', 'DOCX', 'DOC', 'HTML'];
const FORMAT_RE = new RegExp(`(?<![A-Za-z0-9])(${FORMAT_TOKENS.join('|')})(?![A-Za-z0-9])`, 'gi');

/** Formats mentioned in free text, upper-cased, in order of first mention, without duplicates. */
export function formatsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(FORMAT_RE)) {
    const f = m[1].toUpperCase();
    if (!out.includes(f)) out.push(f);
  }
  return out;
}
