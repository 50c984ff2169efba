// The data.gov.tw catalogue adapter: the bulk CSV export (/api/front/dataset/export?format=csv) → Dataset stream.
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse, type CsvError, type InfoRecord } from 'csv-parse';
import { finding } from '../messages/index.ts';
import type { Dataset } from '../model.ts';
import { failureText, requireHttp, type CatalogHttp } from './http.ts';
import { datasetFromExportRow, indexExportHeader, unparsableRowDataset, type ColumnIndex } from './datagovtw-row.ts';

export { parseTaiwanTime } from './datagovtw-time.ts';
export { parseOfficialBadge, type OfficialBadge } from './datagovtw-badge.ts';
export { EXPORT_COLUMNS, indexExportHeader, datasetFromExportRow, splitList, splitUrls } from './datagovtw-row.ts';
export { enrichFromApiV2, enrichManyFromApiV2, formatResourceField, formatUpdateFrequency, type EnrichOptions } from './datagovtw-api.ts';
export { datasetFromLegacyJson, officialQcFromDqEvent } from './datagovtw-legacy.ts';

export const DATAGOVTW_EXPORT_PATH = '/api/front/dataset/export?format=csv';

/** The export over HTTP is capped at 1 GiB (the live one is tens of MB; it goes to a spill file, not memory). */
export const EXPORT_MAX_BYTES = 1024 * 1024 * 1024;
/** The export's download may take 30 min (a resource's attempt 5): the audit cannot start without it. */
export const EXPORT_TIMEOUT_MS = 30 * 60_000;

export interface ReadExportOptions {
  /** The HTTP client for an http(s) source (the audit's fetcher: guard, redirects, limits, retries). */
  http?: CatalogHttp;
  signal?: AbortSignal;
  /** stop with an error once the export exceeds this many bytes (default: no cap for a file, EXPORT_MAX_BYTES over HTTP) */
  maxBytes?: number;
  /** a single row larger than this is given up on (an unbalanced quote swallowing the file); default 8 MiB */
  maxRecordBytes?: number;
}

/** Counts bytes and fails the stream once the cap is passed. */
class ByteCap extends Transform {
  private seen = 0;
  private readonly cap: number;
  constructor(cap: number) {
    super();
    this.cap = cap;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.cap) done(new Error(`data.gov.tw export exceeds the ${this.cap}-byte limit`));
    else done(null, chunk);
  }
}

async function openSource(source: string, opts: ReadExportOptions): Promise<Readable> {
  if (/^https?:\/\//i.test(source)) {
    // The live server labels the CSV text/html, so Content-Type is deliberately ignored.
    const http = requireHttp(opts.http, 'data.gov.tw export');
    const s = await http.stream(source, {
      maxBytes: opts.maxBytes ?? EXPORT_MAX_BYTES, totalTimeoutMs: EXPORT_TIMEOUT_MS, headers: { accept: 'text/csv, */*' }, signal: opts.signal,
    });
    if (!s.body) {
      await http.release(s.outcome);
      // The client's own words: a refused address was never contacted, and no body is ever quoted.
      if (s.outcome.kind === 'http-error') throw new Error(`data.gov.tw export: ${source} answered HTTP ${s.outcome.status}`);
      throw new Error(`data.gov.tw export: cannot fetch ${source}: ${failureText(s.outcome)}`);
    }
    const body = s.body;
    return Readable.from((async function* () {
      try {
        yield* body;
      } catch (e) {
        throw new Error(`data.gov.tw export: ${(e as Error).message}`, { cause: e });
      }
    })());
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source) && !/^file:/i.test(source)) {
    throw new Error(`data.gov.tw export: unsupported source scheme in ${source} (use a file path or http(s) URL)`);
  }
  const path = /^file:/i.test(source) ? new URL(source) : source;
  const stream = createReadStream(path, { signal: opts.signal });
  // Surface "no such file" as a clear error before parsing starts.
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(new Error(`data.gov.tw export: cannot read ${source}: ${e.message}`)));
  });
  return opts.maxBytes !== undefined ? capped(stream, opts.maxBytes) : stream;
}

/** A file read through ByteCap (over HTTP the client enforces the cap itself). */
function capped(raw: Readable, cap: number): Readable {
  const out = raw.pipe(new ByteCap(cap));
  raw.once('error', (e) => out.destroy(e));
  out.once('close', () => raw.destroy());
  return out;
}

type CsvEvent =
  | { kind: 'record'; cells: string[]; line: number }
  | { kind: 'skip'; line: number; error: string; code?: string; raw?: string };

const MAX_RECOVERIES = 1000;

/**
 * Streams CSV records, turning parse errors into `skip` events. An unbalanced quote makes csv-parse swallow the
 * rest of the input; then the swallowed text minus its first line is parsed again, so one bad row costs one row.
 */
async function* csvEvents(input: Readable, firstLine: number, maxRecordBytes: number, budget: { left: number }): AsyncGenerator<CsvEvent> {
  // csv-parse runs ahead of our consumer, so a skip is tagged with how many records preceded it, and the line
  // where each record ended is tracked as the parser sees it (on_record), not as we consume.
  const skipped: { after: number; ev: CsvEvent }[] = [];
  let parsedRecords = 0;
  let lastEndLine = firstLine - 1;
  let swallowed: { line: number; raw: string } | undefined;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: maxRecordBytes,
    info: true,
    raw: true,
    on_record: (record: string[], context: InfoRecord) => {
      parsedRecords++;
      lastEndLine = context.lines + firstLine - 1;
      return record;
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      const line = lastEndLine + 1;
      if (typeof err?.lines === 'number') lastEndLine = Math.max(line, err.lines + firstLine - 1);
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED' && raw && budget.left > 0) swallowed = { line, raw };
      skipped.push({ after: parsedRecords, ev: { kind: 'skip', line, error: err?.message ?? 'unparsable row', code: err?.code, raw } });
      return undefined;
    },
  });
  input.once('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let consumed = 0;
  for await (const out of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    while (skipped.length && skipped[0].after <= consumed) yield skipped.shift()!.ev;
    consumed++;
    // info.lines is where the record ends; a quoted field may span lines, so count back to its start.
    const endLine = out.info.lines + firstLine - 1;
    const inner = (out.raw.match(/\n/g)?.length ?? 0) - (out.raw.endsWith('\n') ? 1 : 0);
    yield { kind: 'record', cells: out.record, line: endLine - inner };
  }
  while (skipped.length) yield skipped.shift()!.ev;
  if (swallowed) {
    const rest = swallowed.raw.slice(swallowed.raw.indexOf('\n') + 1);
    if (swallowed.raw.includes('\n') && rest.trim()) {
      budget.left--;
      yield* csvEvents(Readable.from([rest]), swallowed.line + 1, maxRecordBytes, budget);
    }
  }
}

/**
 * Reads a data.gov.tw bulk export (file path, file: URL or http(s) URL) and yields one Dataset per row, streaming.
 * Bad rows never stop the stream: they yield a Dataset carrying findings (id `row-<line>` when nothing is left).
 * Throws only for problems with the export as a whole: unreadable source, HTTP error, missing required columns,
 * byte cap exceeded.
 */
export async function* readDataGovTwExport(source: string, opts: ReadExportOptions = {}): AsyncGenerator<Dataset> {
  const input = await openSource(source, opts);
  let index: ColumnIndex | undefined;
  let headerLength = 0;
  const seen = new Map<string, number>(); // id → line of first occurrence
  try {
    for await (const ev of csvEvents(input, 1, opts.maxRecordBytes ?? 8 * 1024 * 1024, { left: MAX_RECOVERIES })) {
      opts.signal?.throwIfAborted();
      if (!index) {
        if (ev.kind === 'skip') throw new Error(`data.gov.tw export: the header row could not be parsed: ${ev.error}`);
        index = indexExportHeader(ev.cells);
        headerLength = ev.cells.length;
        continue;
      }
      if (ev.kind === 'skip') {
        yield unparsableRowDataset(ev.line, ev.error, ev.raw);
        continue;
      }
      const dataset = datasetFromExportRow(ev.cells, index, { line: ev.line, headerLength });
      const first = seen.get(dataset.id);
      if (first !== undefined && !dataset.id.startsWith('row-')) {
        dataset.findings.push(finding('catalog-duplicate-id', { id: dataset.id, line: ev.line, first }, { line: ev.line, firstLine: first }));
      } else if (first === undefined) {
        seen.set(dataset.id, ev.line);
      }
      yield dataset;
    }
    if (!index) throw new Error(`data.gov.tw export: ${source} is empty (no header row)`);
  } finally {
    // Destroying an unfinished body makes it emit an error; nobody is listening any more, so swallow it.
    input.on('error', () => undefined);
    input.destroy();
  }
}
