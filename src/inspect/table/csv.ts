// Streaming CSV structure inspection. Error types and numbering follow frictionless (v5 baseline checks), so our
// findings can be compared with theirs: rows are counted as parsed rows with the header as row 1 (a quoted cell
// spanning lines is one row; a blank line is a row), fields are 1-based, null means header-level or whole-row.
// On top of frictionless we report what the Taiwanese rules also reject: subtotal rows, title lines, repeated headers.
import { structuralError } from '../../messages/index.ts';
import { headerRowsOf, locateHeader } from './header-rows.ts';
import { readHead } from '../read-head.ts';
import { parse } from 'csv-parse';
import type { LimitHit, StructuralError } from '../../model.ts';
import { detectDelimiter } from './csv-delimiter.ts';
import { DEFAULT_INSPECT_LIMITS, LimitExceeded, exceeded, limitHit } from '../limits.ts';

export interface CsvFacts {
  delimiter: string;
  delimiterEvidence: string;
  /** The first row as parsed (BOM removed). */
  header: string[];
  /** Same as header; the names a rule compares with 主要欄位說明. */
  fields: string[];
  /** Parsed rows including the header and blank rows: the number of the last row. */
  rowCount: number;
  /** Data rows that are not blank. */
  recordCount: number;
  /** How many rows have how many cells (a blank line has 0). */
  fieldsPerRow: Record<number, number>;
  /** Stored errors, in file order, at most MAX_STORED_ERRORS. */
  errors: StructuralError[];
  /** Every error counted, stored or not. */
  errorCounts: Record<string, number>;
  errorTotal: number;
  errorsCapped: boolean;
  /** Runs of consecutive blank rows, [first, last] inclusive. */
  blankRowRanges: [number, number][];
  firstError?: StructuralError;
  /** Reading stopped at an inspection limit (a record too large, too many fields). */
  limit?: LimitHit;
}

export interface CsvOptions {
  delimiter?: string;
  /** The text was cut at a byte cap: the last row may be partial, so its cell-count errors are not reported. */
  truncated?: boolean;
  maxStoredErrors?: number;
  /** Characters of one record (default: the limit maxCsvRecordChars). */
  maxRecordChars?: number;
  /** Fields of one record (default: the limit maxColumns). */
  maxColumns?: number;
}

export const MAX_STORED_ERRORS = 1000;
const SAMPLE_CHARS = 64 * 1024;
const CHUNK_CHARS = 64 * 1024;
/** How many leading rows are kept to look for a title line above the real header. */
const TITLE_WINDOW = 15;

/**
 * Summary keywords. A cell counts only when, after removing spaces, a trailing colon and a parenthesised unit
 * ("總計(元)"), it is exactly one of these: "合計" is a summary, "合計收入" or "Total Energies" is a value.
 */
const SUBTOTAL = /^(小計|合計|總計|共計|總和|總數|累計|全部|全體|total|totals|grandtotal|subtotal|sub-total|sum)$/i;

/** Every keyword holds one of these (full-width Latin is folded by NFKC later, so test for it too). */
const SUBTOTAL_HINT = /[計和數部體]|tot|sum|ｔｏｔ|ｓｕｍ/i;

export function subtotalKeyword(cell: string): boolean {
  if (cell.length > 40 || !SUBTOTAL_HINT.test(cell)) return false;
  const s = cell
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[:：]$/, '')
    .replace(/[(（][^()（）]*[)）]$/, '');
  return SUBTOTAL.test(s);
}

/** "1,234", "-5.2", "12%": a cell whose text is a number. */
export function isNumericText(cell: string): boolean {
  // A cell starting with a Latin letter or a CJK ideograph is not a number: skip the regular expressions.
  const c = cell.charCodeAt(0);
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x3400 && c <= 0x9fff)) return false;
  const s = cell.trim().replace(/[,\s\u00a0]/g, '');
  return s !== '' && /^[-+]?(\d+\.?\d*|\.\d+)%?$/.test(s);
}

/** A cell with something besides whitespace (the common case, a printable ASCII first character, without trim). */
function hasText(cell: string): boolean {
  if (cell === '') return false;
  const c = cell.charCodeAt(0);
  return (c > 0x20 && c < 0x7f) || cell.trim() !== '';
}

function isBlank(cells: string[], width: number): boolean {
  const n = Math.min(width, cells.length);
  for (let i = 0; i < n; i++) if (cells[i] !== '') return false;
  return true;
}

/** Cut a string into chunks without splitting a surrogate pair. */
function* stringChunks(s: string): Generator<string> {
  let i = 0;
  while (i < s.length) {
    let end = Math.min(s.length, i + CHUNK_CHARS);
    if (end < s.length) {
      const c = s.charCodeAt(end - 1);
      if (c >= 0xd800 && c <= 0xdbff) end++;
    }
    yield s.slice(i, end);
    i = end;
  }
}

/**
 * csv-parse builds an Error (with a stack trace) for every row whose length differs from the first row's, even
 * with relax_column_count; on a file of blank or ragged lines that costs ~10 µs a row. Writes run synchronously,
 * so stack capture can be switched off for exactly that synchronous section.
 */
function quietly(fn: () => void): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

class ErrorSink {
  readonly errors: StructuralError[] = [];
  readonly counts: Record<string, number> = {};
  total = 0;
  readonly blankRanges: [number, number][] = [];
  private readonly cap: number;
  constructor(cap: number) {
    this.cap = cap;
  }
  /** At the cap: callers on hot paths `count` instead of building an error that would not be stored. */
  get full(): boolean {
    return this.errors.length >= this.cap;
  }
  count(type: string, row: number): void {
    this.total++;
    this.counts[type] = (this.counts[type] ?? 0) + 1;
    if (type === 'blank-row') this.blankRange(row);
  }
  private blankRange(row: number): void {
    const last = this.blankRanges[this.blankRanges.length - 1];
    if (last && last[1] === row - 1) last[1] = row;
    else this.blankRanges.push([row, row]);
  }
  /** `always`: store even past the cap (title rows are found late but are few and matter most). */
  add(e: StructuralError, always = false): void {
    this.total++;
    this.counts[e.type] = (this.counts[e.type] ?? 0) + 1;
    if (always || this.errors.length < this.cap) this.errors.push(e);
    if (e.type === 'blank-row' && e.row !== null) this.blankRange(e.row);
  }
}

/**
 * Inspect CSV text: a whole string, or chunks. Chunks may be strings or UTF-8 bytes: bytes go to csv-parse as they
 * are (it splits bytes and decodes cells itself, invalid sequences becoming U+FFFD as with TextDecoder), which
 * saves decoding every chunk to a string only for csv-parse to encode it back.
 */
export async function inspectCsv(source: AsyncIterable<string | Uint8Array> | string, opts: CsvOptions = {}): Promise<CsvFacts> {
  const sink = new ErrorSink(opts.maxStoredErrors ?? MAX_STORED_ERRORS);
  const maxRecordChars = opts.maxRecordChars ?? DEFAULT_INSPECT_LIMITS.maxCsvRecordChars;
  const maxColumns = opts.maxColumns ?? DEFAULT_INSPECT_LIMITS.maxColumns;
  const iterator: Iterator<string | Uint8Array> | AsyncIterator<string | Uint8Array> =
    typeof source === 'string' ? stringChunks(source)[Symbol.iterator]() : source[Symbol.asyncIterator]();

  // Read a sample for delimiter detection, then replay it ahead of the rest.
  const { head, exhausted } = await readHead(iterator, SAMPLE_CHARS);
  const headText = sampleText(head);
  const sample = headText.slice(0, SAMPLE_CHARS).replace(/^\uFEFF/, '');
  const guess = opts.delimiter
    ? { delimiter: opts.delimiter, evidence: `delimiter ${JSON.stringify(opts.delimiter)} given` }
    : detectDelimiter(sample, exhausted && headText.length <= SAMPLE_CHARS);

  const facts: CsvFacts = {
    delimiter: guess.delimiter,
    delimiterEvidence: guess.evidence,
    header: [],
    fields: [],
    rowCount: 0,
    recordCount: 0,
    fieldsPerRow: {},
    errors: sink.errors,
    errorCounts: sink.counts,
    errorTotal: 0,
    errorsCapped: false,
    blankRowRanges: sink.blankRanges,
  };

  if (sample.length === 0 && exhausted) {
    sink.add(structuralError('source-error', { row: null, field: null }, { variant: 'empty' }));
    return finish(facts, sink);
  }

  async function* all(): AsyncGenerator<string | Uint8Array> {
    yield* head;
    if (exhausted) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }

  const table = new TableChecker(sink, facts);
  let pending: string[] | undefined;
  // Rows are checked inside on_record, as csv-parse produces them, and then dropped: nothing is buffered, and rows
  // read before a parse error are not lost when the error tears the stream down. One row is held back so the last
  // row of a cut body can be treated leniently.
  const parser = parse({
    delimiter: guess.delimiter,
    quote: '"',
    escape: '"',
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordChars,
    on_record: (record: string[]) => {
      if (record.length > maxColumns) {
        const at = facts.rowCount + (pending ? 2 : 1);
        throw exceeded('maxColumns', maxColumns, `row ${at} has ${record.length} fields`, { observed: record.length, where: `row ${at}` });
      }
      // csv-parse compares every record's length with the first one's and builds a CsvError (message, context
      // copy) for each mismatch, even with relax_column_count: on 2 M blank lines that dominated the run. It takes
      // the expected length from the record seen while `info.records` is 0, so resetting the counter makes every
      // record its own reference. We count columns ourselves (TableChecker); nothing else here reads the counter.
      parserInfo.records = 0;
      if (pending) table.row(pending, false);
      pending = record;
      return null;
    },
  });
  const parserInfo = (parser as unknown as { info: { records: number } }).info;
  let parseError: unknown;
  parser.on('error', (err) => {
    parseError ??= err;
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('close', resolve);
  });
  parser.resume(); // nothing is pushed (on_record drops rows); this lets 'end' fire

  try {
    for await (const chunk of all()) {
      if (parser.destroyed || parseError) break;
      quietly(() => parser.write(chunk));
    }
    if (!parser.destroyed && !parseError) quietly(() => parser.end());
    await ended;
    if (parseError) throw parseError;
    if (pending) table.row(pending, opts.truncated === true);
  } catch (err) {
    if (pending) table.row(pending, false);
    const e = err as { code?: string; message?: string };
    const at = facts.rowCount + 1;
    // A limit becomes its own `limit-exceeded` error (csvIntoFacts), not a source error as well.
    if (err instanceof LimitExceeded) facts.limit = err.hit;
    else if (e.code === 'CSV_MAX_RECORD_SIZE') facts.limit = limitHit('maxCsvRecordChars', maxRecordChars, `row ${at} is larger than ${maxRecordChars} characters (a quote that never closes?)`, { where: `row ${at}` });
    else if (!(opts.truncated && e.code === 'CSV_QUOTE_NOT_CLOSED')) {
      sink.add(e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? structuralError('source-error', { row: at, field: null }, { variant: 'unclosed-quote' })
        : structuralError('source-error', { row: at, field: null }, { variant: 'csv-parse', error: e.message ?? String(err) }));
    }
  } finally {
    pending = undefined;
    if (!parser.destroyed) parser.destroy();
  }
  table.end();
  if (facts.rowCount === 0) sink.add(structuralError('source-error', { row: null, field: null }, { variant: 'empty' }));
  return finish(facts, sink);
}

/** The head chunks as text (byte chunks are UTF-8; a character cut at the end of the head is left out). */
function sampleText(head: (string | Uint8Array)[]): string {
  let text = '';
  const decoder = new TextDecoder('utf-8');
  for (const chunk of head) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text;
}

function finish(facts: CsvFacts, sink: ErrorSink): CsvFacts {
  // keep file order: header-level errors first, then by row (title-row findings are emitted late)
  sink.errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  facts.errorTotal = sink.total;
  facts.errorsCapped = sink.total > sink.errors.length;
  facts.firstError = sink.errors[0];
  return facts;
}

/** Applies the row rules one parsed row at a time. */
class TableChecker {
  private width = 0;
  private headerKey = '';
  private readonly leading: { row: number; nonEmpty: number; cells: string[] }[] = [];
  private readonly sink: ErrorSink;
  private readonly facts: CsvFacts;
  constructor(sink: ErrorSink, facts: CsvFacts) {
    this.sink = sink;
    this.facts = facts;
  }

  row(raw: string[], mayBeCut: boolean): void {
    // csv-parse gives [""] for an empty line; Python's csv (and so frictionless) gives [] — follow the latter
    const cells = raw.length === 1 && raw[0] === '' ? [] : raw;
    const n = ++this.facts.rowCount;
    this.facts.fieldsPerRow[cells.length] = (this.facts.fieldsPerRow[cells.length] ?? 0) + 1;
    if (n <= TITLE_WINDOW) this.leading.push({ row: n, nonEmpty: cells.filter((c) => c.trim() !== '').length, cells });
    if (n === 1) return this.header(cells);

    const width = this.width;
    // frictionless: a row is blank when every cell within the header's width is empty (missing cells count as empty)
    if (isBlank(cells, width > 0 ? width : cells.length)) {
      if (this.sink.full) this.sink.count('blank-row', n);
      else this.sink.add(structuralError('blank-row', { row: n, field: null }, {}));
      return;
    }
    this.facts.recordCount++;
    if (cells.length > width) {
      for (let f = width + 1; f <= cells.length; f++) {
        if (this.sink.full) this.sink.count('extra-cell', n);
        else this.sink.add(structuralError('extra-cell', { row: n, field: f }, { width }));
      }
    } else if (cells.length < width && !mayBeCut) {
      for (let f = cells.length + 1; f <= width; f++) {
        if (this.sink.full) this.sink.count('missing-cell', n);
        else this.sink.add(structuralError('missing-cell', { row: n, field: f }, { label: this.facts.header[f - 1] }));
      }
    }
    this.summaryAndRepeat(cells, n);
  }

  private header(cells: string[]): void {
    this.facts.header = cells.slice();
    this.facts.fields = cells.slice();
    this.width = cells.length;
    if (cells.length === 0) {
      this.sink.add(structuralError('blank-header', { row: null, field: null }, {}));
      return;
    }
    const seen = new Map<string, number>();
    cells.forEach((label, i) => {
      const f = i + 1;
      if (label.trim() === '') {
        this.sink.add(structuralError('blank-label', { row: null, field: f }, {}));
        return;
      }
      const first = seen.get(label);
      if (first !== undefined) {
        this.sink.add(structuralError('duplicate-label', { row: null, field: f }, { label, first }));
      } else seen.set(label, f);
    });
    const named = cells.filter((c) => c.trim() !== '');
    this.headerKey = named.length >= 2 ? cells.map((c) => c.trim()).join('\u0000') : '';
  }

  private summaryAndRepeat(cells: string[], n: number): void {
    // cheap test first: a repeated header starts with the header's first label
    if (this.headerKey && cells.length === this.width && cells[0].trim() === this.facts.header[0].trim() && cells.map((c) => c.trim()).join('\u0000') === this.headerKey) {
      this.sink.add(structuralError('second-header-row', { row: n, field: null }, {}));
      return;
    }
    // Subtotal: the keyword is one of the first two non-empty cells (where row labels live) and the row has a number.
    // Runs on every row, so no arrays or closures: find the two cells, test them, and only then look for a number.
    let first = -1;
    let k = -1;
    for (let i = 0; i < cells.length; i++) {
      if (!hasText(cells[i])) continue;
      if (subtotalKeyword(cells[i])) {
        k = i;
        break;
      }
      if (first >= 0) break;
      first = i;
    }
    if (k >= 0 && cells.some((c, i) => i !== k && isNumericText(c))) {
      this.sink.add(structuralError('subtotal-row', { row: n, field: null }, { text: cells[k].trim(), where: k + 1 }));
    }
  }

  /** Title lines: one non-empty cell above the rows that look like the real header. Reported, numbering kept. */
  end(): void {
    const rows = this.leading;
    const lead = rows.map((r) => ({ row: r.row, filled: r.nonEmpty, numeric: r.cells.filter((c) => isNumericText(c)).length }));
    const at = locateHeader(lead, Math.max(0, ...rows.map((r) => r.cells.length)));
    if (!at) return;
    const header = headerRowsOf(lead, at);
    for (const i of at.titles) {
      const r = rows[i];
      const text = r.cells.find((c) => c.trim() !== '')!.trim();
      this.sink.add(structuralError('title-row', { row: r.row, field: null }, { text: text.slice(0, 60), ...header }), true);
    }
  }
}
