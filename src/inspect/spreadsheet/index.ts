// Spreadsheets (XLSX, XLS, ODS) judged by content, sheet by sheet, the way the official checker judges the CSV it
// makes of them: one header row, no merged cells, no formulas, no blank or subtotal rows, equal widths.
// Who reads a workbook is decided before anyone parses it: the XML parts of an XLSX/ODS are inflated with a byte cap
// (the ZIP directory's sizes may lie) and only a workbook within sheetJsMaxBytes goes to SheetJS, which holds every
// cell — in a child process with its own heap limit and a deadline, so its death is a finding, not a crash. Larger
// ones, and any SheetJS gave up on, are streamed (spreadsheet-xlsx-stream.ts, spreadsheet-ods-stream.ts). XLS has
// no streaming reader: above maxXlsBytes it is a limit hit. All readers feed the same SheetChecker under the same
// limits (limits.ts), so the facts are the same.
import { fork, type ChildProcess } from 'node:child_process';
import pLimit from 'p-limit';
import { fileURLToPath } from 'node:url';
import { msg, structuralError, structuralRef } from '../../messages/index.ts';
import type { DetectedFormat, LimitHit, ResourceFacts, StructuralError } from '../../model.ts';
import { judge } from '../judge.ts';
import { DEFAULT_INSPECT_LIMITS, failOnLimit, limitHit, resolveLimits, type InspectLimits } from '../limits.ts';
import type { SheetJsLimits } from './sheetjs.ts';
import { inspectOdsStream } from './ods-stream.ts';
import { inspectXlsxStream } from './xlsx-stream.ts';
import { inflatedXmlSize, listZipEntries } from '../archive/zip.ts';
import type { ZipSource } from '../archive/zip-stream.ts';
import { siblingModule } from '../../util/sibling-module.ts';

export type { SpreadsheetFacts, SpreadsheetFormat } from './types.ts';
import type { SpreadsheetFacts, SpreadsheetFormat } from './types.ts';

/** Per-call overrides of the workbook limits, kept for callers and tests that set them this way. */
export interface SpreadsheetOptions {
  /** XLSX/ODS bodies larger than this many bytes are streamed without asking SheetJS (tests set 0). */
  streamAbove?: number;
  /** Same as the limit sheetJsTimeoutMs. */
  timeoutMs?: number;
}

/** What a dying V8 prints: the child ran out of its heap. */
const OUT_OF_HEAP = /out of memory|Reached heap limit|Allocation failed/i;

/**
 * SheetJS in a child process: a corrupt workbook can send it into an endless loop (found by fuzzing) or make it
 * allocate without bound, and neither may take the inspector down. The child is killed at the deadline (unsure: the
 * time depends on the machine) and dies at its heap limit (a limit hit: the same file needs the same heap). Its
 * death is a finding here, whatever it died of.
 */
export function readIsolated(body: Uint8Array, format: SpreadsheetFormat, limits: InspectLimits): Promise<SpreadsheetFacts> {
  slots.concurrency = limits.sheetJsProcesses;
  return slots(() => readInChild(body, format, limits));
}

/** SheetJS processes running at once, process-wide (sheetJsProcesses); the deadline starts when one runs. */
const slots = pLimit(DEFAULT_INSPECT_LIMITS.sheetJsProcesses);

function readInChild(body: Uint8Array, format: SpreadsheetFormat, limits: InspectLimits): Promise<SpreadsheetFacts> {
  return new Promise((resolve) => {
    const heapLimit = format === 'xls' ? 'xlsHeapMb' : 'sheetJsHeapMb';
    const heapMb = limits[heapLimit];
    const timeoutMs = limits.sheetJsTimeoutMs;
    const cellLimits: SheetJsLimits = { maxCellChars: limits.maxCellChars, maxColumns: limits.maxColumns, maxCells: limits.maxCells };
    const label = format.toUpperCase();
    let settled = false;
    let stderr = '';
    let child: ChildProcess | undefined;
    const finish = (facts: SpreadsheetFacts) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(facts);
    };
    const timer = setTimeout(() => finish({ format, sheets: [], reader: 'sheetjs', timedOut: true, problem: `the ${label} workbook could not be read within ${Math.round(timeoutMs / 1000)} s (a corrupt file?); not inspected` }), timeoutMs);
    try {
      // execArgv is given, not inherited: the child is a plain Node with a heap limit, whatever runs odbadge.
      child = fork(fileURLToPath(siblingModule('child', import.meta.url)), [], {
        execArgv: [`--max-old-space-size=${heapMb}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
    } catch (err) {
      finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${label} reader could not start: ${(err as Error)?.message ?? String(err)}` });
      return;
    }
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      stderr = (stderr + d).slice(-4096);
    });
    child.once('message', (facts: SpreadsheetFacts) => finish(facts));
    child.once('error', (err) => finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${label} reader failed: ${err.message}` }));
    // 'close' comes after stderr has ended: everything the child said before dying is in `stderr`
    child.once('close', (code, signal) => {
      // V8 aborts (SIGABRT, exit 134) or traps (SIGTRAP, exit 133) when it runs out of heap
      if (OUT_OF_HEAP.test(stderr) || signal === 'SIGABRT' || signal === 'SIGTRAP' || code === 134 || code === 133) {
        finish({ format, sheets: [], reader: 'sheetjs', limit: limitHit(heapLimit, heapMb, `SheetJS needed more than its ${heapMb} MB heap to read this ${label} workbook (its process died; odbadge did not)`) });
      } else if (signal) {
        // killed from outside (the system's OOM killer, a shutdown): says nothing about the file
        finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${label} reader was stopped from outside (${signal}); not inspected` });
      } else finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${label} workbook cannot be read: the reader stopped (exit ${code})` });
    });
    child.send({ body, format, limits: cellLimits, timeoutMs }, (err) => {
      if (err) finish({ format, sheets: [], reader: 'sheetjs', problem: `the ${label} reader could not be given the workbook: ${err.message}` });
    });
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
    return readIsolated(body, format, limits);
  }
  const declared = listZipEntries(body, limits.maxZipEntries).declaredCount;
  if (declared !== undefined && declared > limits.maxZipEntries) {
    return { format, sheets: [], reader: 'stream', limit: limitHit('maxZipEntries', limits.maxZipEntries, `the workbook's ZIP directory declares ${declared} entries`, { observed: declared }) };
  }
  if (body.length > (opts.streamAbove ?? Number.POSITIVE_INFINITY)) return streamReader(format, src, limits);
  const inflated = inflatedXmlSize(body, limits.sheetJsMaxBytes, limits.maxZipEntries);
  if (inflated !== undefined && inflated > limits.sheetJsMaxBytes) return streamReader(format, src, limits);
  const read = await readIsolated(body, format, limits);
  // SheetJS finds no sheet in some valid workbooks (XLSX entries written with data descriptors by streaming writers),
  // gives up on others (an ODS without styles.xml), or runs out of heap (ODS repeats it expands): the streaming
  // reader reads those, so "no data" or "cannot be read" is only said when it fails too. An ODS SheetJS could not
  // read in time is left at that (unsure), as before the streaming ODS reader existed.
  const retry = read.limit?.name === 'sheetJsHeapMb' || (!read.limit && !read.problem && read.sheets.every((x) => x.empty)) || (read.problem !== undefined && (format === 'xlsx' || !read.timedOut));
  if (retry) {
    const streamed = await streamReader(format, src, limits);
    if (streamed.limit || (!streamed.problem && streamed.sheets.some((x) => !x.empty))) return streamed;
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
    const unreadable = s.sheets.length === 0 && /cannot be read/.test(s.problem);
    facts.structuralErrors.push(structuralError('source-error', { row: null, field: null }, { variant: 'unreadable', problem: s.problem }));
    return judge(facts, unreadable ? false : null, msg('inspect.workbook-problem', { problem: s.problem, unreadable }));
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
    judge(facts, false, msg('inspect.workbook-empty', { format: s.format, sheets: s.sheets.length }));
    facts.fields = [];
    facts.recordCount = 0;
    return facts;
  }
  facts.fields = withData[0].header;
  facts.recordCount = withData.reduce((n, x) => n + x.recordCount, 0);
  if (withData.length > 1) facts.notes.push(`fields are those of the first sheet with data (${withData[0].name}); ${withData.length} sheets hold data`);
  const bad = withData.filter((x) => x.errorTotal > 0);
  if (bad.length === 0) {
    judge(facts, true, msg('inspect.workbook', { format: s.format, sheets: withData.map((x) => ({ name: x.name, fields: x.header.length, records: x.recordCount })) }));
  } else {
    const first = bad[0].errors[0];
    judge(facts, false, msg('inspect.workbook-errors', {
      bad: bad.length, sheets: withData.length, counts: bad.map((x) => ({ name: x.name, counts: { ...x.errorCounts } })), ...(first ? { first: structuralRef(first) } : {}),
    }));
  }
  return facts;
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
}
