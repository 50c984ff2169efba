// The structure rules for one worksheet, fed row by row. Both spreadsheet readers (SheetJS in memory, and the
// streaming XLSX reader for large files) hand their cells to this one checker, so both give the same facts.
// Rows and fields are the sheet's own numbers (row 1 = the sheet's first row, field 1 = column A), and every
// error carries the cell reference a person can click to (`Sheet1!B7:D7`).
import { structuralError } from '../../messages/index.ts';
import type { StructuralError } from '../../model.ts';
import { isNumericText, subtotalKeyword } from '../table/csv.ts';
import { headerRowsOf, locateHeader } from '../table/header-rows.ts';
import { exceeded, type InspectLimits } from '../limits.ts';

export type CellKind = 'text' | 'number' | 'bool' | 'error';

/** One non-empty cell. `key` compares cells for "this row repeats the header". */
export interface SheetCell {
  /** 0-based column */
  col: number;
  kind: CellKind;
  /** Display text when known (the streaming reader knows only the strings it kept). */
  text?: string;
  key: string;
  /** The text is a summary keyword (小計, 合計, Total …). */
  summary?: boolean;
  /** The text looks like a number ("1,234", "12%"). */
  numericText?: boolean;
}

export interface SheetResult {
  name: string;
  /** Labels of the header row, from its first to its last non-empty column. */
  header: string[];
  headerRow: number | null;
  /** Last non-empty row. */
  rowCount: number;
  recordCount: number;
  errors: StructuralError[];
  errorCounts: Record<string, number>;
  errorTotal: number;
  empty: boolean;
}

export const MAX_SHEET_ERRORS = 1000;
/** How many leading non-blank rows are held to find a title line above the real header. */
const TITLE_WINDOW = 15;
/** How many data rows after the header are looked at to decide whether the first one is a second header row. */
const SECOND_HEADER_WINDOW = 5;

export function columnName(col: number): string {
  let s = '';
  let n = col + 1;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** `A1` → { row: 1, col: 0 }. */
export function parseCellRef(ref: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/i.exec(ref.trim());
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col: col - 1 };
}

/** Excel quotes sheet names that are not plain words: 'My Sheet'!A1. */
export function sheetPrefix(name: string): string {
  return /^[\p{L}\p{N}_.]+$/u.test(name) ? `${name}!` : `'${name.replace(/'/g, "''")}'!`;
}

export function normaliseCellText(text: string): { summary: boolean; numericText: boolean } {
  return { summary: subtotalKeyword(text), numericText: isNumericText(text) };
}

/**
 * Characters of a cell's text kept for labels, messages and row comparisons. A longer text keeps this prefix and is
 * compared by prefix and length, so a held row costs at most this much per cell whatever the file holds (both
 * readers apply it, so they agree).
 */
export const KEPT_CELL_CHARS = 1024;

/**
 * A text cell from its text, or from the kept prefix of a longer text and its full `length` (the streaming readers
 * never hold more). `blank`: the whole text is whitespace. Undefined for a blank cell.
 */
export function textCell(col: number, text: string, length = text.length, blank = text.trim() === ''): SheetCell | undefined {
  if (blank) return undefined;
  if (length <= KEPT_CELL_CHARS) return { col, kind: 'text', text, key: text, ...normaliseCellText(text) };
  const prefix = text.slice(0, KEPT_CELL_CHARS);
  // Summary keywords are at most 40 characters and numbers this long are not numbers people type.
  return { col, kind: 'text', text: prefix, key: `${prefix}\u0001${length}`, summary: false, numericText: false };
}

/**
 * The text of one cell as a streaming reader collects it: the first KEPT_CELL_CHARS characters, the full length and
 * whether it is all whitespace — never the whole text. Past maxCellChars it stops reading (LimitExceeded).
 */
export class CellText {
  prefix = '';
  length = 0;
  blank = true;
  private readonly max: number;
  private readonly where: () => string;
  constructor(max: number, where: () => string) {
    this.max = max;
    this.where = where;
  }
  add(t: string): void {
    this.length += t.length;
    if (this.prefix.length <= KEPT_CELL_CHARS) this.prefix += t.slice(0, KEPT_CELL_CHARS + 1 - this.prefix.length);
    if (this.blank && /\S/.test(t)) this.blank = false;
    if (this.length > this.max) {
      throw exceeded('maxCellChars', this.max, `${this.where()} has more than ${this.max} characters`, { observed: this.length, where: this.where() });
    }
  }
  reset(): void {
    this.prefix = '';
    this.length = 0;
    this.blank = true;
  }
}

/** Workbook-wide limits every reader applies as cells arrive: columns, non-empty cells, cell text. */
export class WorkbookGuard {
  cells = 0;
  readonly limits: Pick<InspectLimits, 'maxColumns' | 'maxCells' | 'maxCellChars'>;
  constructor(limits: Pick<InspectLimits, 'maxColumns' | 'maxCells' | 'maxCellChars'>) {
    this.limits = limits;
  }
  /** A cell at 0-based `col` (`n` of them from there, for ODS repeats). */
  cell(sheet: string, row: number, col: number, n = 1): void {
    const max = this.limits.maxColumns;
    if (col + n > max) {
      throw exceeded('maxColumns', max, `row ${row} of sheet ${sheet} has a cell in column ${col + n} (${columnName(Math.min(col + n - 1, 1e9))}), beyond ${max} columns`, { observed: col + n, where: `${sheetPrefix(sheet)}${columnName(Math.min(col + n - 1, 1e9))}${row}` });
    }
  }
  /** `n` non-empty cells read. */
  count(sheet: string, row: number, n = 1): void {
    this.cells += n;
    if (this.cells > this.limits.maxCells) {
      throw exceeded('maxCells', this.limits.maxCells, `the workbook has more than ${this.limits.maxCells} non-empty cells (reached in sheet ${sheet}, row ${row})`, { observed: this.cells, where: `${sheetPrefix(sheet)}row ${row}` });
    }
  }
  /** A text of `length` characters (`what`: "cell" or "the formula in") at `where` (readers holding whole strings). */
  text(length: number, what: string, where: string): void {
    if (length > this.limits.maxCellChars) {
      throw exceeded('maxCellChars', this.limits.maxCellChars, `${what} ${where} has ${length} characters`, { observed: length, where });
    }
  }
}

interface HeldRow {
  r: number;
  cells: SheetCell[];
}

export class SheetChecker {
  readonly name: string;
  private readonly prefix: string;
  private readonly errors: StructuralError[] = [];
  private readonly counts: Record<string, number> = {};
  private total = 0;
  private held: HeldRow[] | null = [];
  private header: string[] = [];
  private headerRow: number | null = null;
  private headerKey = '';
  private firstCol = 0;
  private lastCol = -1;
  private lastRow = 0;
  private records = 0;
  private candidate: HeldRow | null = null;
  private candidateSeen = 0;
  private candidateNumbers = new Set<number>();
  private candidateTexts = new Set<number>();
  private readonly cap: number;

  constructor(name: string, cap = MAX_SHEET_ERRORS) {
    this.name = name;
    this.prefix = sheetPrefix(name);
    this.cap = cap;
  }

  private add(e: StructuralError): void {
    this.total++;
    this.counts[e.type] = (this.counts[e.type] ?? 0) + 1;
    if (this.errors.length < this.cap) this.errors.push(e);
  }

  private ref(col: number, row: number): string {
    return `${columnName(col)}${row}`;
  }

  private rowRange(row: number): string {
    const last = Math.max(this.firstCol, this.lastCol);
    return `${this.prefix}${this.ref(this.firstCol, row)}:${this.ref(last, row)}`;
  }

  /** A row with its non-empty cells in column order. Rows must arrive in ascending order; blank rows may be omitted. */
  row(r: number, cells: SheetCell[]): void {
    if (cells.length === 0 || r <= this.lastRow) return;
    if (this.held) {
      this.held.push({ r, cells });
      if (this.held.length >= TITLE_WINDOW) this.settleHeader();
      return;
    }
    this.dataRow(r, cells);
  }

  formula(col: number, row: number, formula: string): void {
    const where = `${this.prefix}${this.ref(col, row)}`;
    this.add(structuralError('formula', { row, field: col + 1, cell: where }, { sheet: true, ...(formula ? { formula: formula.slice(0, 80) } : {}) }));
  }

  merge(ref: string): void {
    const [a, b] = ref.split(':');
    const start = parseCellRef(a ?? '');
    if (!start) return;
    const end = b ? parseCellRef(b) : start;
    const cell = `${this.prefix}${a}${b && b !== a ? `:${b}` : ''}`;
    this.add(structuralError('merged-cell', { row: start.row, field: start.col + 1, cell }, { sheet: true, ...(end && end.row > start.row ? { rows: end.row - start.row + 1 } : {}) }));
  }

  private settleHeader(): void {
    const rows = this.held ?? [];
    this.held = null;
    if (rows.length === 0) return;
    // Title lines: one value alone above the rows that look like the real header (which may be several: 人口 over
    // 男 / 女). The header is the first of those rows; the ones below it are then found to be second header rows.
    const width = Math.max(...rows.map((x) => x.cells[x.cells.length - 1].col - x.cells[0].col + 1));
    const lead = rows.map((x) => ({ row: x.r, filled: x.cells.length, numeric: x.cells.filter((c) => c.kind === 'number' || c.numericText).length }));
    const at = locateHeader(lead, width);
    const h = at ? at.from : 0;
    for (let i = 0; i < h; i++) {
      const t = rows[i];
      const c = t.cells[0];
      const where = `${this.prefix}${this.ref(c.col, t.r)}`;
      this.add(structuralError('title-row', { row: t.r, field: null, cell: where }, { sheet: true, values: t.cells.length, ...(t.cells.length === 1 ? { text: (c.text ?? '').slice(0, 60) } : {}), ...headerRowsOf(lead, at!) }));
    }
    this.blankRowsBefore(rows[h].r, rows.slice(0, h).map((x) => x.r));
    // The table is as wide as most of its first rows: a label merged over two columns (人口 over 男 / 女) leaves the
    // header cell on its right empty, which is a blank label, not a header narrower than the data.
    const ends = rows.slice(h + 1).map((x) => x.cells[x.cells.length - 1].col).sort((a, b) => a - b);
    const typicalEnd = ends.length > 0 ? ends[Math.floor((ends.length - 1) / 2)] : -1;
    this.headerRowOf(rows[h], typicalEnd);
    for (let i = h + 1; i < rows.length; i++) this.dataRow(rows[i].r, rows[i].cells);
  }

  /**
   * Blank rows between the last row seen and `until`, except the ones listed. Blank rows above the table count
   * too: the CSV the official checker makes of this sheet starts with empty lines.
   */
  private blankRowsBefore(until: number, taken: number[] = []): void {
    for (let x = Math.max(1, this.lastRow + 1); x < until; x++) {
      if (taken.includes(x)) continue;
      if (this.errors.length >= this.cap) {
        // Past the cap errors are only counted: count the rest of the gap at once, so that a row numbered in the
        // billions costs no more than one in the hundreds.
        const rest = until - x - taken.filter((t) => t >= x && t < until).length;
        this.total += rest;
        this.counts['blank-row'] = (this.counts['blank-row'] ?? 0) + rest;
        return;
      }
      this.add(structuralError('blank-row', { row: x, field: null, cell: this.rowRange(x) }, { sheet: true, range: this.rowRange(x) }));
    }
  }

  private headerRowOf(row: HeldRow, typicalEnd: number): void {
    this.headerRow = row.r;
    this.lastRow = row.r;
    this.firstCol = row.cells[0].col;
    this.lastCol = Math.max(row.cells[row.cells.length - 1].col, typicalEnd);
    const byCol = new Map(row.cells.map((c) => [c.col, c]));
    const seen = new Map<string, number>();
    for (let col = this.firstCol; col <= this.lastCol; col++) {
      const c = byCol.get(col);
      const label = (c?.text ?? '').trim();
      this.header.push(label);
      const where = `${this.prefix}${this.ref(col, row.r)}`;
      if (label === '') {
        this.add(structuralError('blank-label', { row: null, field: col + 1, cell: where }, { sheet: true }));
        continue;
      }
      const first = seen.get(label);
      if (first !== undefined) {
        this.add(structuralError('duplicate-label', { row: null, field: col + 1, cell: where }, { sheet: true, label, first: `${this.prefix}${this.ref(first, row.r)}` }));
      } else seen.set(label, col);
    }
    this.headerKey = row.cells.length >= 2 ? keyOf(row.cells) : '';
  }

  private dataRow(r: number, cells: SheetCell[]): void {
    this.blankRowsBefore(r);
    this.lastRow = r;
    this.records++;
    for (const c of cells) {
      if (c.col < this.firstCol || c.col > this.lastCol) {
        const where = `${this.prefix}${this.ref(c.col, r)}`;
        this.add(structuralError('extra-cell', { row: r, field: c.col + 1, cell: where }, { sheet: true, from: columnName(this.firstCol), to: columnName(this.lastCol) }));
      }
    }
    if (this.headerKey && keyOf(cells) === this.headerKey) {
      this.add(structuralError('second-header-row', { row: r, field: null, cell: this.rowRange(r) }, { sheet: true, range: this.rowRange(r) }));
      this.records--;
      return;
    }
    if (this.records === 1 && cells.every((c) => c.kind === 'text' && !c.numericText)) {
      this.candidate = { r, cells };
      return;
    }
    if (this.candidate) this.observeAfterCandidate(cells);
    this.subtotal(r, cells);
  }

  /** A first data row of labels over columns that then hold numbers is a second header row (男 / 女 under 人口). */
  private observeAfterCandidate(cells: SheetCell[]): void {
    const cand = this.candidate!;
    for (const c of cells) {
      if (!cand.cells.some((x) => x.col === c.col)) continue;
      if (c.kind === 'number' || c.numericText) this.candidateNumbers.add(c.col);
      else this.candidateTexts.add(c.col);
    }
    if (++this.candidateSeen >= SECOND_HEADER_WINDOW) this.decideCandidate();
  }

  private decideCandidate(): void {
    const cand = this.candidate;
    this.candidate = null;
    if (!cand) return;
    const numericUnderLabel = [...this.candidateNumbers].some((col) => !this.candidateTexts.has(col));
    if (numericUnderLabel) {
      this.records--;
      this.add(structuralError('second-header-row', { row: cand.r, field: null, cell: this.rowRange(cand.r) }, { sheet: true, range: this.rowRange(cand.r), labels: cand.cells.map((c) => (c.text ?? '').slice(0, 20)) }));
    } else this.subtotal(cand.r, cand.cells);
  }

  private subtotal(r: number, cells: SheetCell[]): void {
    const labels = cells.slice(0, 2);
    const k = labels.find((c) => c.summary);
    if (k && cells.some((c) => c !== k && (c.kind === 'number' || c.numericText))) {
      const where = `${this.prefix}${this.ref(k.col, r)}`;
      this.add(structuralError('subtotal-row', { row: r, field: null, cell: this.rowRange(r) }, { sheet: true, text: (k.text ?? '').trim(), where }));
    }
  }

  end(): SheetResult {
    if (this.held) this.settleHeader();
    if (this.candidate) this.decideCandidate();
    this.errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || (a.field ?? 0) - (b.field ?? 0));
    return {
      name: this.name,
      header: this.header,
      headerRow: this.headerRow,
      rowCount: this.lastRow,
      recordCount: this.records,
      errors: this.errors,
      errorCounts: this.counts,
      errorTotal: this.total,
      empty: this.headerRow === null,
    };
  }
}

function keyOf(cells: SheetCell[]): string {
  return cells.map((c) => `${c.col}\u0001${c.key.trim()}`).join('\u0000');
}
