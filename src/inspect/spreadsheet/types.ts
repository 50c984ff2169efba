// What every workbook reader (SheetJS in its child process, the streaming XLSX and ODS readers) returns: declared
// apart from the readers so they need not import the module that dispatches to them.
import type { LimitHit } from '../../model.ts';
import type { SheetResult } from './checker.ts';

export type SpreadsheetFormat = 'xlsx' | 'xls' | 'ods';

export interface SpreadsheetFacts {
  format: SpreadsheetFormat;
  sheets: SheetResult[];
  /** Which reader produced the facts. */
  reader: 'sheetjs' | 'stream';
  /** Set when the workbook could not be read at all. */
  problem?: string;
  /** Set when reading stopped at an inspection limit (a property of the file: not structured). */
  limit?: LimitHit;
  /** SheetJS was stopped at its deadline (sheetJsTimeoutMs). */
  timedOut?: boolean;
}
