// Declared 檔案格式 spellings vs the sniffed format. Portals write "CSV", ".csv", "xlsx", "WebServices", "其他"…;
// a declaration matches when the detected format is one that declaration can honestly describe.
import type { DetectedFormat } from '../model.ts';

const ALIASES: Record<string, string[]> = {
  csv: ['csv', 'tsv'],
  tsv: ['tsv', 'csv'],
  txt: ['text', 'csv', 'tsv'],
  json: ['json', 'jsonl', 'geojson'],
  jsonl: ['jsonl'],
  geojson: ['geojson', 'json'],
  xml: ['xml', 'kml', 'gml', 'rss'],
  kml: ['kml', 'xml'],
  gml: ['gml', 'xml'],
  rss: ['rss', 'xml'],
  xlsx: ['xlsx'],
  xls: ['xls', 'xlsx'],
  ods: ['ods'],
  zip: ['zip', 'kmz', 'shp', 'xlsx', 'ods', 'docx', 'odt'],
  kmz: ['kmz', 'zip'],
  shp: ['shp', 'zip'],
  pdf: ['pdf'],
  odt: ['odt'],
  doc: ['doc', 'docx'],
  docx: ['docx'],
  html: ['html'],
  htm: ['html'],
  webservices: ['json', 'xml', 'geojson', 'jsonl', 'kml', 'gml', 'rss'],
  api: ['json', 'xml', 'geojson', 'jsonl', 'kml', 'gml', 'rss'],
};

/** "CSV", ".csv", " Csv ", "ＣＳＶ" → "csv"; "WebServices" / "Web Services" → "webservices". */
export function normaliseDeclaredFormat(declared: string): string {
  return declared.normalize('NFKC').trim().toLowerCase().replace(/^\./, '').replace(/[\s_-]+/g, '');
}

/** Does the declared 檔案格式 describe the sniffed format? Unknown declarations compare by name. */
export function sameFormat(declared: string, detected: string): boolean {
  const d = normaliseDeclaredFormat(declared);
  return (ALIASES[d] ?? [d]).includes(detected);
}

/** Declarations that name no format at all (其他, blank): nothing to compare. */
export function isComparableDeclaration(declared: string | undefined): declared is string {
  if (!declared) return false;
  const d = normaliseDeclaredFormat(declared);
  return d !== '' && d !== '其他' && d !== 'other' && d !== 'others';
}

/** The mismatch fact, or undefined when the declaration fits (or says nothing). Empty and unknown bodies are not judged. */
export function formatMismatchOf(declared: string | undefined, detected: DetectedFormat): { declared: string; detected: DetectedFormat } | undefined {
  if (!isComparableDeclaration(declared) || detected === 'empty' || detected === 'unknown') return undefined;
  return sameFormat(declared, detected) ? undefined : { declared, detected };
}
