// Reading a whole workbook with SheetJS and feeding its cells to the SheetChecker. Runs inside a worker thread
// (spreadsheet-worker.ts) so a file that sends SheetJS into a loop cannot hang the inspector.
import * as XLSX from '@e965/xlsx';
import { SheetChecker, type SheetCell, type SheetResult, normaliseCellText } from './spreadsheet-checker.ts';
import type { SpreadsheetFacts, SpreadsheetFormat } from './spreadsheet.ts';

export function readWithSheetJs(body: Uint8Array, format: SpreadsheetFormat): SpreadsheetFacts {
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(body, { type: 'array', cellFormula: true, cellStyles: false, sheetStubs: true, dense: true, cellHTML: false, cellText: false, cellDates: false });
  } catch (err) {
    return { format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook cannot be read: ${(err as Error)?.message ?? String(err)}` };
  }
  const sheets: SheetResult[] = [];
  for (const name of wb.SheetNames ?? []) {
    const ws = wb.Sheets?.[name];
    const checker = new SheetChecker(name);
    if (ws) feedSheet(ws, checker);
    sheets.push(checker.end());
  }
  return { format, sheets, reader: 'sheetjs' };
}

function feedSheet(ws: XLSX.WorkSheet, checker: SheetChecker): void {
  const data = (ws as { '!data'?: (XLSX.CellObject | null | undefined)[][] })['!data'] ?? [];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    const cells: SheetCell[] = [];
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (!cell) continue;
      if (cell.f) checker.formula(c, r + 1, String(cell.f));
      const sc = toSheetCell(cell, c);
      if (sc) cells.push(sc);
    }
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
    case 's': {
      const text = String(cell.v ?? '');
      return textCell(text, col);
    }
    default:
      return undefined; // 'z' stubs: empty
  }
}

function textCell(text: string, col: number): SheetCell | undefined {
  if (text.trim() === '') return undefined;
  return { col, kind: 'text', text, key: text, ...normaliseCellText(text) };
}

