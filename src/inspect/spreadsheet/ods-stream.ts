// A streaming ODS reader: content.xml parsed with saxes as it inflates, each <table:table> fed row by row to the
// SheetChecker — the same checks, and the same facts, as SheetJS gives for the workbooks it can hold. It reads what
// SheetJS reads (office:value-type values, <text:p> paragraphs joined by line feeds with ODF white-space rules,
// table:formula, number-columns/rows-spanned merges) and expands number-columns/rows-repeated only for cells that hold
// something: LibreOffice pads every sheet with a million repeated empty rows, which cost nothing here.
// Cell text goes through CellText (a kept prefix and a length), so a 300 MB cell is never a string; repeats count
// against maxColumns and maxCells as the cells they stand for.
import type yauzl from 'yauzl';
import { LimitExceeded, type InspectLimits } from '../limits.ts';
import { CellText, SheetChecker, WorkbookGuard, columnName, sheetPrefix, textCell, type SheetCell, type SheetResult } from './checker.ts';
import type { SpreadsheetFacts } from './types.ts';
import { checkRatio, checkWorkbookSize, listEntries, openZip, parsePart, type ZipSource } from '../archive/zip-stream.ts';

/** Error texts LibreOffice writes in cells whose calcext:value-type is "error" (SheetJS's RBErr). */
const ERROR_TEXTS = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#WTF?']);

/** OpenFormula to the A1 style SheetJS reports (its ods_to_csf_formula): `of:=[.B3]+[.C3]` → `B3+C3`. */
export function odsFormula(f: string): string {
  if (f.startsWith('of:')) f = f.slice(3);
  if (f.charCodeAt(0) === 61) {
    f = f.slice(1);
    if (f.charCodeAt(0) === 61) f = f.slice(1);
  }
  f = f.replace(/COM\.MICROSOFT\./g, '');
  f = f.replace(/\[((?:\.[A-Z]+[0-9]+)(?::\.[A-Z]+[0-9]+)?)\]/g, (_m, r: string) => r.replace(/\./g, ''));
  f = f.replace(/\$'([^']|'')+'/g, (m) => m.slice(1));
  f = f.replace(/\$([^\]. #$]+)/g, (m, r: string) =>
    /^([A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])?(10[0-3]\d{4}|104[0-7]\d{3}|1048[0-4]\d{2}|10485[0-6]\d|104857[0-6]|[1-9]\d{0,5})?$/.test(r) ? m : r,
  );
  f = f.replace(/\[.(#[A-Z]*[?!])\]/g, '$1');
  return f.replace(/[;~]/g, ',').replace(/\|/g, ';');
}

/**
 * A cell's paragraphs as SheetJS reads them: in each <text:p>, tabs and line breaks of the XML are spaces, runs of
 * spaces are one, the ends are trimmed; <text:s text:c="n"/>, <text:tab/> and <text:line-break/> are kept as
 * written; paragraphs are joined by a line feed. Fed to a CellText, so only a prefix is ever held.
 */
class Paragraphs {
  readonly out: CellText;
  private count = 0;
  private atStart = true; // nothing emitted yet in this paragraph: leading spaces are trimmed
  private pendingSpace = false; // a collapsed space not yet emitted: dropped if the paragraph ends
  private lastLiteralSpace = false;
  constructor(out: CellText) {
    this.out = out;
  }
  get opened(): boolean {
    return this.count > 0;
  }
  reset(): void {
    this.out.reset();
    this.count = 0;
  }
  open(): void {
    this.count++;
    if (this.out.length > 0) this.out.add('\n');
    this.atStart = true;
    this.pendingSpace = false;
    this.lastLiteralSpace = false;
  }
  /** A self-closing <text:p/>: SheetJS appends a line feed. */
  empty(): void {
    this.count++;
    this.out.add('\n');
  }
  literal(t: string): void {
    let s = t.replace(/[\t\r\n]/g, ' ').replace(/ +/g, ' ');
    if (s === '') return;
    if (this.lastLiteralSpace && s.startsWith(' ')) s = s.slice(1);
    if (s === '') return;
    this.lastLiteralSpace = s.endsWith(' ');
    if (this.atStart) s = s.replace(/^ /, '');
    if (s === '') return;
    if (this.pendingSpace) {
      this.out.add(' ');
      this.pendingSpace = false;
    }
    if (s.endsWith(' ')) {
      s = s.slice(0, -1);
      this.pendingSpace = true;
    }
    if (s !== '') {
      this.out.add(s);
      this.atStart = false;
    }
  }
  /** Characters written as elements (text:s, text:tab, text:line-break): never collapsed. */
  kept(s: string): void {
    if (this.pendingSpace) {
      this.out.add(' ');
      this.pendingSpace = false;
    }
    this.out.add(s);
    this.atStart = false;
    this.lastLiteralSpace = false;
  }
  close(): void {
    this.pendingSpace = false;
  }
}

interface OdsCell {
  cell: SheetCell | undefined;
  formula?: string;
  col: number;
  repeat: number;
}

export async function inspectOdsStream(src: ZipSource, limits: InspectLimits): Promise<SpreadsheetFacts> {
  let zip: yauzl.ZipFile | undefined;
  const results: SheetResult[] = [];
  try {
    zip = await openZip(src);
    const entries = await listEntries(zip, limits);
    const content = entries.get('content.xml');
    if (!content) throw new Error('content.xml is missing');
    checkWorkbookSize([content], limits);
    checkRatio(content, limits);
    await readContent(zip, content, limits, results);
    return { format: 'ods', sheets: results, reader: 'stream' };
  } catch (err) {
    if (err instanceof LimitExceeded) return { format: 'ods', sheets: results, reader: 'stream', limit: err.hit };
    return { format: 'ods', sheets: [], reader: 'stream', problem: `the ODS workbook cannot be read: ${(err as Error)?.message ?? String(err)}` };
  } finally {
    zip?.close();
  }
}

async function readContent(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: InspectLimits, results: SheetResult[]): Promise<void> {
  const guard = new WorkbookGuard(limits);
  let sheet = '';
  let checker: SheetChecker | null = null;
  let tableDepth = 0; // tables inside a cell (sub-tables, charts) are not sheets
  let row = 0; // 1-based number of the next row
  let rowRepeat = 1;
  let col = 0; // 0-based column of the next cell
  let cells: OdsCell[] = [];
  let inCell = false;
  let selfClosingCell = false;
  let cellAttrs: Record<string, string> = {};
  let cellCol = 0;
  let cellRepeat = 1;
  let inP = 0;
  let ignore = 0; // inside office:annotation, draw:frame …: text that is not the cell's
  const where = () => `cell ${sheetPrefix(sheet)}${columnName(cellCol)}${row}`;
  const text = new Paragraphs(new CellText(limits.maxCellChars, where));

  const value = (a: Record<string, string>): SheetCell | undefined => {
    const type = a['office:value-type'] ?? a['table:value-type'];
    if (a['calcext:value-type'] === 'error' && ERROR_TEXTS.has(text.out.prefix)) return { col: cellCol, kind: 'error', text: text.out.prefix, key: text.out.prefix };
    switch (type) {
      case 'float':
      case 'percentage':
      case 'currency': {
        const v = String(parseFloat(a['office:value'] ?? ''));
        return { col: cellCol, kind: 'number', text: v, key: v };
      }
      case 'date':
      case 'time': {
        const v = a[type === 'date' ? 'office:date-value' : 'office:time-value'] ?? '';
        return { col: cellCol, kind: 'number', text: v, key: v };
      }
      case 'boolean': {
        const b = a['office:boolean-value'];
        const t = b === 'true' || Number(b) >= 1 ? 'TRUE' : 'FALSE';
        return { col: cellCol, kind: 'bool', text: t, key: t };
      }
      default: {
        // As SheetJS: office:string-value wins over the paragraphs, but a non-empty cell needs a paragraph.
        const sv = a['office:string-value'];
        if (sv !== undefined && (selfClosingCell || text.opened)) {
          guard.text(sv.length, 'cell', `${sheetPrefix(sheet)}${columnName(cellCol)}${row}`);
          return textCell(cellCol, sv);
        }
        if (!text.opened) return undefined;
        return textCell(cellCol, text.out.prefix, text.out.length, text.out.blank);
      }
    }
  };

  const endRow = () => {
    if (!checker) return;
    const filled = cells.filter((c) => c.cell || c.formula !== undefined);
    if (filled.length === 0) {
      row += rowRepeat;
      return;
    }
    const rowCells: SheetCell[] = [];
    let counted = 0; // cells holding a value or a formula, repeats expanded
    for (const c of filled) {
      counted += c.repeat;
      if (!c.cell) continue;
      for (let k = 0; k < c.repeat; k++) rowCells.push(k === 0 ? c.cell : { ...c.cell, col: c.col + k });
    }
    for (let k = 0; k < rowRepeat; k++) {
      const r = row + k;
      guard.count(sheet, r, counted);
      for (const c of filled) if (c.formula !== undefined) for (let j = 0; j < c.repeat; j++) checker.formula(c.col + j, r, c.formula);
      checker.row(r, rowCells);
    }
    row += rowRepeat;
  };

  await parsePart(zip, entry, limits, {
    textWhere: () => (inCell ? where() : 'a text'),
    open(name, a, selfClosing) {
      if (ignore > 0) {
        if (!selfClosing) ignore++;
        return;
      }
      switch (name) {
        case 'table':
          if (inCell || tableDepth > 0) {
            if (!selfClosing) tableDepth++;
            return;
          }
          if (selfClosing) return; // SheetJS lists no sheet for an empty <table:table/>
          tableDepth = 1;
          sheet = a['table:name'] ?? `Sheet${results.length + 1}`;
          checker = new SheetChecker(sheet);
          row = 1;
          return;
        case 'table-row':
          if (tableDepth !== 1 || inCell) return;
          rowRepeat = Math.max(1, parseInt(a['table:number-rows-repeated'] ?? '1', 10) || 1);
          col = 0;
          cells = [];
          if (selfClosing) endRow();
          return;
        case 'covered-table-cell':
          if (tableDepth !== 1 || inCell) return;
          col += Math.max(1, parseInt(a['table:number-columns-repeated'] ?? '1', 10) || 1);
          if (!selfClosing) ignore = 1; // its content (if any) is hidden under the merge
          return;
        case 'table-cell': {
          if (tableDepth !== 1 || inCell) return;
          cellCol = col;
          cellRepeat = Math.max(1, parseInt(a['table:number-columns-repeated'] ?? '1', 10) || 1);
          col += cellRepeat;
          if (selfClosing) {
            // SheetJS keeps a self-closing cell only when it is a string with its text in office:string-value
            const type = a['office:value-type'] ?? a['table:value-type'];
            if (type === 'string') {
              text.reset();
              selfClosingCell = true;
              const cell = value(a);
              selfClosingCell = false;
              if (cell) {
                guard.cell(sheet, row, cellCol, cellRepeat);
                cells.push({ cell, col: cellCol, repeat: cellRepeat, ...(a['table:formula'] ? { formula: odsFormula(a['table:formula']) } : {}) });
              }
            }
            return;
          }
          inCell = true;
          cellAttrs = a;
          text.reset();
          const rows = parseInt(a['table:number-rows-spanned'] ?? '1', 10) || 1;
          const colsSpanned = parseInt(a['table:number-columns-spanned'] ?? '1', 10) || 1;
          if (rows * colsSpanned > 1) {
            guard.cell(sheet, row, cellCol, colsSpanned);
            checker?.merge(`${columnName(cellCol)}${row}:${columnName(cellCol + colsSpanned - 1)}${row + rows - 1}`);
          }
          return;
        }
        case 'annotation':
        case 'frame':
        case 'shapes':
          if (!selfClosing) ignore = 1;
          return;
        case 'p':
        case 'h':
          if (!inCell) return;
          if (selfClosing) text.empty();
          else {
            inP++;
            text.open();
          }
          return;
        case 's':
          if (inP > 0) text.kept(' '.repeat(Math.min(Math.max(1, parseInt(a['text:c'] ?? '1', 10) || 1), limits.maxCellChars + 1)));
          return;
        case 'tab':
          if (inP > 0) text.kept('\t');
          return;
        case 'line-break':
          if (inP > 0) text.kept('\n');
          return;
      }
    },
    text(t) {
      if (ignore === 0 && inP > 0) text.literal(t);
    },
    close(name) {
      if (ignore > 0) {
        ignore--;
        return;
      }
      switch (name) {
        case 'table':
          if (tableDepth > 1) {
            tableDepth--;
            return;
          }
          if (tableDepth === 1 && !inCell && checker) {
            results.push(checker.end());
            checker = null;
            tableDepth = 0;
          }
          return;
        case 'p':
        case 'h':
          if (inP > 0) {
            inP--;
            text.close();
          }
          return;
        case 'table-cell': {
          if (!inCell || tableDepth !== 1) return;
          inCell = false;
          const cell = value(cellAttrs);
          const formula = cellAttrs['table:formula'];
          if (cell || formula) {
            guard.cell(sheet, row, cellCol, cellRepeat);
            cells.push({ cell, col: cellCol, repeat: cellRepeat, ...(formula ? { formula: odsFormula(formula) } : {}) });
          }
          return;
        }
        case 'table-row':
          if (tableDepth === 1 && !inCell) endRow();
          return;
      }
    },
  });
}
