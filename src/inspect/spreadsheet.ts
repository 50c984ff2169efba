// Spreadsheets (XLSX, XLS, ODS) judged by content, sheet by sheet, the way the official checker judges the CSV it
// makes of them: one header row, no merged cells, no formulas, no blank or subtotal rows, equal widths.
// Small workbooks are read whole with SheetJS; an XLSX above STREAM_XLSX_BYTES is streamed (spreadsheet-xlsx-stream.ts)
// because SheetJS holds every cell in memory. Both feed the same SheetChecker, so the facts are the same.
import { Worker } from 'node:worker_threads';
import type { DetectedFormat, ResourceFacts, StructuralError } from '../model.ts';
import type { SheetResult } from './spreadsheet-checker.ts';
import { inspectXlsxStream, type ZipSource } from './spreadsheet-xlsx-stream.ts';
import { siblingModule } from '../util/sibling-module.ts';

export type SpreadsheetFormat = 'xlsx' | 'xls' | 'ods';

export interface SpreadsheetFacts {
  format: SpreadsheetFormat;
  sheets: SheetResult[];
  /** Which reader produced the facts. */
  reader: 'sheetjs' | 'stream';
  /** Set when the workbook could not be read at all. */
  problem?: string;
}

export interface SpreadsheetOptions {
  /** XLSX bodies larger than this are streamed instead of loaded whole (tests lower it). */
  streamAbove?: number;
  /** Workbooks SheetJS would have to load whole above this size are not read (XLS, ODS: no streaming reader). */
  maxInMemoryBytes?: number;
  /** SheetJS runs in a worker thread and is stopped after this long: some corrupt files make it loop forever. */
  timeoutMs?: number;
}

export const STREAM_XLSX_BYTES = 20 * 1024 * 1024;
export const MAX_IN_MEMORY_BYTES = 100 * 1024 * 1024;

export const SHEETJS_TIMEOUT_MS = 60_000;

/**
 * SheetJS in a worker thread: a corrupt workbook can send it into an endless loop (found by fuzzing) or make it
 * allocate without bound, and neither may take the inspector down. The worker is stopped at the deadline and
 * has its own heap limit.
 */
function readInWorker(body: Uint8Array, format: SpreadsheetFormat, timeoutMs: number): Promise<SpreadsheetFacts> {
  return new Promise((resolve) => {
    const heapMb = Math.max(256, Math.ceil((body.length * 40) / (1024 * 1024)));
    const worker = new Worker(siblingModule('spreadsheet-worker', import.meta.url), { workerData: { body, format }, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    let settled = false;
    const finish = (facts: SpreadsheetFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(facts);
    };
    const timer = setTimeout(() => finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook could not be read within ${Math.round(timeoutMs / 1000)} s (a corrupt file?); not inspected` }), timeoutMs);
    worker.once('message', (facts: SpreadsheetFacts) => finish(facts));
    worker.once('error', (err) => finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook cannot be read: ${(err as Error)?.message ?? String(err)}` }));
    worker.once('exit', (code) => finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook cannot be read: the reader stopped (exit ${code})` }));
  });
}

/** Inspect a workbook held in memory. Never throws: an unreadable workbook gives `problem`. */
export async function inspectSpreadsheet(body: Uint8Array, format: SpreadsheetFormat, opts: SpreadsheetOptions = {}): Promise<SpreadsheetFacts> {
  const streamAbove = opts.streamAbove ?? STREAM_XLSX_BYTES;
  if (format === 'xlsx' && body.length > streamAbove) {
    return inspectXlsxStream({ kind: 'buffer', buffer: Buffer.from(body.buffer, body.byteOffset, body.byteLength) });
  }
  const max = opts.maxInMemoryBytes ?? MAX_IN_MEMORY_BYTES;
  if (body.length > max) {
    return { format, sheets: [], reader: 'sheetjs', problem: `${format.toUpperCase()} of ${body.length} bytes is above the ${max}-byte limit for workbooks read whole; not inspected` };
  }
  const read = await readInWorker(body, format, opts.timeoutMs ?? SHEETJS_TIMEOUT_MS);
  // SheetJS finds no sheet in some valid XLSX files (entries written with data descriptors by streaming writers):
  // the streaming reader reads those, so "no data" is only said when it finds none either.
  if (format === 'xlsx' && (read.problem || read.sheets.every((x) => x.empty))) {
    const streamed = await inspectXlsxStream({ kind: 'buffer', buffer: Buffer.from(body.buffer, body.byteOffset, body.byteLength) });
    if (!streamed.problem && streamed.sheets.some((x) => !x.empty)) return streamed;
  }
  return read;
}

/** Inspect an XLSX file on disk without loading it (the CLI's path for large files). */
export function inspectXlsxFile(path: string): Promise<SpreadsheetFacts> {
  return inspectXlsxStream({ kind: 'file', path } satisfies ZipSource);
}

// ------------------------------------------------------------------------------------------ into ResourceFacts

/**
 * A workbook is structured when every sheet with data is; empty sheets (Excel's default Sheet2, Sheet3) are listed
 * but do not count. Fields come from the first sheet with data; the record count adds up every sheet.
 */
export function spreadsheetIntoFacts(s: SpreadsheetFacts, facts: ResourceFacts): ResourceFacts {
  const label = s.format.toUpperCase();
  if (s.problem) {
    facts.structured = s.sheets.length === 0 && /cannot be read/.test(s.problem) ? false : null;
    facts.structuredEvidence = s.problem;
    facts.structuralErrors.push({ type: 'source-error', row: null, field: null, message: s.problem });
    return facts;
  }
  const parts: NonNullable<ResourceFacts['parts']> = [];
  const errors: StructuralError[] = [];
  const withData = s.sheets.filter((x) => !x.empty);
  for (const sheet of s.sheets) {
    if (sheet.empty) {
      parts.push({ name: sheet.name, format: s.format as DetectedFormat, structured: null, note: 'empty sheet' });
      continue;
    }
    const ok = sheet.errorTotal === 0;
    parts.push({
      name: sheet.name,
      format: s.format as DetectedFormat,
      structured: ok,
      note: ok
        ? `${sheet.header.length} fields, ${sheet.recordCount} records`
        : `${sheet.errorTotal} structural error${sheet.errorTotal === 1 ? '' : 's'} (${countsText(sheet.errorCounts)}); first: ${sheet.errors[0]?.message ?? ''}`,
    });
    errors.push(...sheet.errors);
    if (sheet.errorTotal > sheet.errors.length) facts.notes.push(`sheet ${sheet.name}: ${sheet.errorTotal} structural errors in total, ${sheet.errors.length} listed`);
  }
  facts.parts = parts;
  facts.structuralErrors.push(...errors);
  if (s.reader === 'stream') facts.notes.push('large XLSX: read as a stream (rows, merges, formulas; shared strings kept for labels only)');
  if (withData.length === 0) {
    facts.structured = false;
    facts.structuredEvidence = `${label} workbook with ${s.sheets.length} sheet${s.sheets.length === 1 ? '' : 's'} and no data`;
    facts.fields = [];
    facts.recordCount = 0;
    return facts;
  }
  facts.fields = withData[0].header;
  facts.recordCount = withData.reduce((n, x) => n + x.recordCount, 0);
  if (withData.length > 1) facts.notes.push(`fields are those of the first sheet with data (${withData[0].name}); ${withData.length} sheets hold data`);
  const bad = withData.filter((x) => x.errorTotal > 0);
  if (bad.length === 0) {
    facts.structured = true;
    facts.structuredEvidence = `${label} workbook: ${withData.map((x) => `${x.name} (${x.header.length} fields, ${x.recordCount} records)`).join(', ')}; no merged cells, formulas, blank or summary rows`;
  } else {
    facts.structured = false;
    const first = bad[0];
    facts.structuredEvidence =
      `${bad.length} of ${withData.length} sheet${withData.length === 1 ? '' : 's'} not a fixed-column table: ` +
      bad.map((x) => `${x.name}: ${countsText(x.errorCounts)}`).join('; ') +
      `; first: ${first.errors[0]?.message ?? ''}`;
  }
  return facts;
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
}
