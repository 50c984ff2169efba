// The one CSV writer. Reports default to what Excel on zh-TW Windows opens correctly (UTF-8 with BOM, CRLF) and
// defuse formulas: titles, agencies and evidence come from catalogues and hostile servers, and a cell starting with
// = + - @ (or TAB/CR) runs as a formula when the file is opened (OWASP "CSV Injection": prefix such cells with a
// single quote, quote cells holding the separator, quotes or line breaks, double embedded quotes).
import { stripControls } from './control-chars.ts';

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark (default true). */
  bom?: boolean;
  /** Line ending (default CRLF, RFC 4180). */
  eol?: string;
  /**
   * Defuse formula-like cells and drop control characters (default true). Only the demo portal and test fixtures,
   * which emulate what real portals serve, write cells as given.
   */
  defuse?: boolean;
}

/** Starts like a formula: ASCII = + - @, TAB, CR, or their full-width forms (which Excel's CJK input turns into them). */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;
/** A plain number (-5, +3.25) is data, not a formula: left alone so the spreadsheet still sees a number. */
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

export function csvCell(v: unknown, defuse = true): string {
  let s = v === undefined || v === null ? '' : String(v);
  if (defuse) {
    s = stripControls(s);
    if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly unknown[])[], o: CsvOptions = {}): string {
  // No rows is still one (empty) line, as it always was.
  return csvStart(o) + (rows.length ? rows.map((r) => csvRow(r, o)).join('') : o.eol ?? '\r\n');
}

/** What a CSV file starts with (the byte-order mark, by default): rows follow, each from csvRow. */
export function csvStart(o: CsvOptions = {}): string {
  return o.bom ?? true ? '\ufeff' : '';
}

/** One row with its line ending: toCsv is csvStart() followed by every row's csvRow, so a large file can be streamed. */
export function csvRow(row: readonly unknown[], o: CsvOptions = {}): string {
  const defuse = o.defuse ?? true;
  return row.map((c) => csvCell(c, defuse)).join(',') + (o.eol ?? '\r\n');
}
