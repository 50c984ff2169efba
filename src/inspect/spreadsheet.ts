// Spreadsheets (XLSX, XLS, ODS) judged by content, sheet by sheet, the way the official checker judges the CSV it
// makes of them: one header row, no merged cells, no formulas, no blank or subtotal rows, equal widths.
// Who reads a workbook is decided before anyone parses it: the XML parts of an XLSX/ODS are inflated with a byte cap
// (the ZIP directory's sizes may lie) and only a workbook within sheetJsMaxBytes goes to SheetJS, which holds every
// cell — in a worker thread with its own heap limit and a deadline, so its death is a finding, not a crash. Larger
// ones, and any SheetJS gave up on, are streamed (spreadsheet-xlsx-stream.ts, spreadsheet-ods-stream.ts). XLS has
// no streaming reader: above maxXlsBytes it is a limit hit. All readers feed the same SheetChecker under the same
// limits (limits.ts), so the facts are the same.
import { Worker } from 'node:worker_threads';
import type { DetectedFormat, LimitHit, ResourceFacts, StructuralError } from '../model.ts';
import { failOnLimit, limitHit, resolveLimits, type InspectLimits } from './limits.ts';
import type { SheetResult } from './spreadsheet-checker.ts';
import type { SheetJsLimits } from './spreadsheet-sheetjs.ts';
import { inspectOdsStream } from './spreadsheet-ods-stream.ts';
import { inspectXlsxStream } from './spreadsheet-xlsx-stream.ts';
import { inflatedXmlSize } from './zip.ts';
import type { ZipSource } from './zip-stream.ts';
import { siblingModule } from '../util/sibling-module.ts';

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
}

/** Per-call overrides of the workbook limits, kept for callers and tests that set them this way. */
export interface SpreadsheetOptions {
  /** XLSX/ODS bodies larger than this many bytes are streamed without asking SheetJS (tests set 0). */
  streamAbove?: number;
  /** Same as the limit sheetJsTimeoutMs. */
  timeoutMs?: number;
}

/**
 * SheetJS in a worker thread: a corrupt workbook can send it into an endless loop (found by fuzzing) or make it
 * allocate without bound, and neither may take the inspector down. The worker is stopped at the deadline (unsure:
 * the time depends on the machine) and dies at its heap limit (a limit hit: the same file needs the same heap).
 */
export function readInWorker(body: Uint8Array, format: SpreadsheetFormat, limits: InspectLimits): Promise<SpreadsheetFacts> {
  return new Promise((resolve) => {
    const heapMb = limits.sheetJsHeapMb;
    const timeoutMs = limits.sheetJsTimeoutMs;
    const cellLimits: SheetJsLimits = { maxCellChars: limits.maxCellChars, maxColumns: limits.maxColumns, maxCells: limits.maxCells };
    let settled = false;
    let worker: Worker | undefined;
    const finish = (facts: SpreadsheetFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker?.terminate();
      resolve(facts);
    };
    const timer = setTimeout(() => finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook could not be read within ${Math.round(timeoutMs / 1000)} s (a corrupt file?); not inspected` }), timeoutMs);
    try {
      worker = new Worker(siblingModule('spreadsheet-worker', import.meta.url), { workerData: { body, format, limits: cellLimits }, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    } catch (err) {
      finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} reader could not start: ${(err as Error)?.message ?? String(err)}` });
      return;
    }
    worker.once('message', (facts: SpreadsheetFacts) => finish(facts));
    worker.once('error', (err) => {
      if ((err as NodeJS.ErrnoException)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish({ format, sheets: [], reader: 'sheetjs', limit: limitHit('sheetJsHeapMb', heapMb, `SheetJS needed more than its ${heapMb} MB heap to read this ${format.toUpperCase()} workbook`) });
      } else finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook cannot be read: ${(err as Error)?.message ?? String(err)}` });
    });
    worker.once('exit', (code) => finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${format.toUpperCase()} workbook cannot be read: the reader stopped (exit ${code})` }));
  });
}

function streamReader(format: 'xlsx' | 'ods', src: ZipSource, limits: InspectLimits): Promise<SpreadsheetFacts> {
  return format === 'xlsx' ? inspectXlsxStream(src, limits) : inspectOdsStream(src, limits);
}

/** Inspect a workbook held in memory. Never throws: an unreadable workbook gives `problem`, a limit `limit`. */
export async function inspectSpreadsheet(body: Uint8Array, format: SpreadsheetFormat, opts: SpreadsheetOptions = {}, limitsIn?: Partial<InspectLimits>): Promise<SpreadsheetFacts> {
  let limits: InspectLimits;
  try {
    limits = resolveLimits({ ...limitsIn, ...(opts.timeoutMs !== undefined ? { sheetJsTimeoutMs: opts.timeoutMs } : {}) });
  } catch (err) {
    return { format, sheets: [], reader: 'sheetjs', problem: `the inspection limits are invalid: ${(err as Error).message}` };
  }
  const src: ZipSource = { kind: 'buffer', buffer: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  if (format === 'xls') {
    if (body.length > limits.maxXlsBytes) {
      return { format, sheets: [], reader: 'sheetjs', limit: limitHit('maxXlsBytes', limits.maxXlsBytes, `the XLS workbook is ${body.length} bytes; only SheetJS reads XLS, and it reads workbooks whole`, { observed: body.length }) };
    }
    return readInWorker(body, format, limits);
  }
  if (body.length > (opts.streamAbove ?? Number.POSITIVE_INFINITY)) return streamReader(format, src, limits);
  const inflated = inflatedXmlSize(body, limits.sheetJsMaxBytes, limits.maxZipEntries);
  if (inflated !== undefined && inflated > limits.sheetJsMaxBytes) return streamReader(format, src, limits);
  const read = await readInWorker(body, format, limits);
  if (format === 'xlsx') {
    // SheetJS finds no sheet in some valid XLSX files (entries written with data descriptors by streaming writers),
    // gives up on others, or runs out of heap: the streaming reader reads those, so "no data" is only said when it
    // finds none either.
    if (read.problem || read.limit?.name === 'sheetJsHeapMb' || (!read.limit && read.sheets.every((x) => x.empty))) {
      const streamed = await inspectXlsxStream(src, limits);
      if (streamed.limit || (!streamed.problem && streamed.sheets.some((x) => !x.empty))) return streamed;
    }
  } else if (read.limit?.name === 'sheetJsHeapMb') {
    // Too large for SheetJS after all (ODS repeats cells SheetJS expands): the streaming reader is for exactly that.
    return inspectOdsStream(src, limits);
  }
  return read;
}

/** Inspect an XLSX or ODS file on disk without loading it (the CLI's path for large files). */
export function inspectWorkbookFile(path: string, format: 'xlsx' | 'ods', limits?: Partial<InspectLimits>): Promise<SpreadsheetFacts> {
  return streamReader(format, { kind: 'file', path }, resolveLimits(limits));
}

// ------------------------------------------------------------------------------------------ into ResourceFacts

/**
 * A workbook is structured when every sheet with data is; empty sheets (Excel's default Sheet2, Sheet3) are listed
 * but do not count. Fields come from the first sheet with data; the record count adds up every sheet.
 */
export function spreadsheetIntoFacts(s: SpreadsheetFacts, facts: ResourceFacts): ResourceFacts {
  const label = s.format.toUpperCase();
  if (s.reader === 'stream' && !s.problem) {
    facts.notes.push(`large ${label}: read as a stream (rows, merges, formulas; ${s.format === 'xlsx' ? 'shared strings kept for labels only' : 'repeated cells expanded'})`);
  }
  if (s.limit) return failOnLimit(facts, s.limit);
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
