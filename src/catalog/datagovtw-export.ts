// The data.gov.tw bulk export written as the portal serves it: UTF-8 with a BOM, CRLF, the 22 columns in the live
// order with the live header's typo (資資料集上架方式), cells as given (no formula defusing: a portal does not). The
// demo portal, the test portals and the benchmarks serve their catalogues through this; the column names and order
// come from the reader's EXPORT_COLUMNS, so the writer and the reader cannot drift apart.
import { csvRow, csvStart } from '../util/csv.ts';
import { EXPORT_COLUMNS, type ExportColumn } from './datagovtw-row.ts';

/** The export's columns by our name, in the live order (EXPORT_COLUMNS is declared in that order). */
export const EXPORT_ORDER = Object.keys(EXPORT_COLUMNS) as readonly ExportColumn[];

/** The header row as the live export spells it (each column's first spelling). */
export const EXPORT_HEADER: readonly string[] = EXPORT_ORDER.map((k) => EXPORT_COLUMNS[k][0]);

/** A list value (formats, URLs, encodings, amounts…) is written `;`-joined, as the portal does. */
export type ExportValue = string | readonly string[];

/** One dataset's row, keyed by the reader's column names; a column left out is written empty. */
export type ExportRow = Partial<Record<ExportColumn, ExportValue>>;

const AS_SERVED = { defuse: false } as const;

/** The start of the export: BOM and header line. toExportCsv is this followed by every row's exportCsvRow. */
export function exportCsvStart(): string {
  return csvStart(AS_SERVED) + csvRow(EXPORT_HEADER, AS_SERVED);
}

/** One dataset's line, with its CRLF (for an export written or served in pieces). */
export function exportCsvRow(row: ExportRow): string {
  const cell = (v: ExportValue | undefined) => (v === undefined ? '' : typeof v === 'string' ? v : v.join(';'));
  return csvRow(EXPORT_ORDER.map((k) => cell(row[k])), AS_SERVED);
}

/** The whole export. */
export function toExportCsv(rows: Iterable<ExportRow>): string {
  let out = exportCsvStart();
  for (const r of rows) out += exportCsvRow(r);
  return out;
}
