// Reading a whole workbook with SheetJS and feeding its cells to the SheetChecker. Runs inside a child process
// (spreadsheet-child.ts) so a file that sends SheetJS into a loop or past its heap cannot take odbadge down.
// SheetJS only ever gets workbooks within sheetJsMaxBytes; the cell limits apply here as in the streaming readers.
import * as XLSX from '@e965/xlsx';
import type { InspectLimits } from '../limits.ts';
import { LimitExceeded } from '../limits.ts';
import { SheetChecker, WorkbookGuard, columnName, sheetPrefix, textCell, type SheetCell, type SheetResult } from './checker.ts';
import type { SpreadsheetFacts, SpreadsheetFormat } from './types.ts';

export type SheetJsLimits = Pick<InspectLimits, 'maxCellChars' | 'maxColumns' | 'maxCells'>;

export function readWithSheetJs(body: Uint8Array, format: SpreadsheetFormat, limits: SheetJsLimits): SpreadsheetFacts {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(body, { type: 'array', cellFormula: true, cellStyles: false, sheetStubs: true, dense: true, cellHTML: false, cellText: false, cellDates: false });
  } catch (err) {
    return { format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook cannot be read: ${(err as Error)?.message ?? String(err)}` };
  }
  const sheets: SheetResult[] = [];
  const guard = new WorkbookGuard(limits);
  try {
    for (const name of wb.SheetNames ?? []) {
      const ws = wb.Sheets?.[name];
      const checker = new SheetChecker(name);
      if (ws) feedSheet(ws, name, checker, guard);
      sheets.push(checker.end());
    }
  } catch (err) {
    if (err instanceof LimitExceeded) return { format, sheets, reader: 'sheetjs', limit: err.hit };
    throw err;
  }
  return { format, sheets, reader: 'sheetjs' };
}

/** Indices of a sparse array in order: a row numbered in the billions makes `!data` that long, not that full. */
function indices(a: unknown[]): Iterable<number> {
  if (a.length <= 1_048_576) return { *[Symbol.iterator]() { for (let i = 0; i < a.length; i++) yield i; } };
  return Object.keys(a).map(Number).filter((i) => Number.isInteger(i));
}

function feedSheet(ws: XLSX.WorkSheet, name: string, checker: SheetChecker, guard: WorkbookGuard): void {
  const data = (ws as { '!data'?: (XLSX.CellObject | null | undefined)[][] })['!data'] ?? [];
  for (const r of indices(data)) {
    const row = data[r];
    if (!row) continue;
    const cells: SheetCell[] = [];
    for (const c of indices(row)) {
      const cell = row[c];
      if (!cell) continue;
      guard.cell(name, r + 1, c);
      const where = () => `${sheetPrefix(name)}${columnName(c)}${r + 1}`;
      if (cell.f) {
        guard.text(String(cell.f).length, 'the formula in', where());
        checker.formula(c, r + 1, String(cell.f));
      }
      if (cell.t === 's') guard.text(String(cell.v ?? '').length, 'cell', where());
      const sc = toSheetCell(cell, c);
      if (sc) cells.push(sc);
    }
    guard.count(name, r + 1, cells.length);
    checker.row(r + 1, cells);
  }
  for (const m of (ws['!merges'] ?? []) as XLSX.Range[]) {
    if (m.s.r === m.e.r && m.s.c === m.e.c) continue;
    checker.merge(`${XLSX.utils.encode_cell(m.s)}:${XLSX.utils.encode_cell(m.e)}`);
  }
}

function toSheetCell(cell: XLSX.CellObject, col: number): SheetCell | undefined {
  switch (cell.t) {
    case 'n':
    case 'd':
      return cell.v === undefined || cell.v === null ? undefined : { col, kind: 'number', text: String(cell.v), key: String(cell.v) };
    case 'b':
      return { col, kind: 'bool', text: cell.v ? 'TRUE' : 'FALSE', key: cell.v ? 'TRUE' : 'FALSE' };
    case 'e':
      return { col, kind: 'error', text: String(cell.w ?? '#ERR'), key: String(cell.w ?? '#ERR') };
    case 's':
      return textCell(col, String(cell.v ?? ''));
    default:
      return undefined; // 'z' stubs: empty
  }
}
