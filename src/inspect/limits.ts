// Limits on what one resource may make the inspectors do, as data. Every parser of untrusted bytes reads within
// these; reaching one stops that parser with a LimitHit naming the limit, which is a property of the file (the
// same file hits it every time), so the resource is judged not structured — `fail`, never `unsure`.
// Two entries are not limits but thresholds that choose a reader (sheetJsMaxBytes, streamFileAboveBytes), and
// three are budgets whose excess is noted rather than failed (maxXmlTreeChars,
// maxDocumentBytes) or is `unsure` because it depends on the machine (sheetJsTimeoutMs).
//
// Raising one: `odbadge inspect --limit maxCellChars=4000000`, or for every command (audit, ci …) the environment
// variable ODBADGE_LIMITS="maxCellChars=4000000,maxZipRatio=500".
import { raiseHint, structuralError, structuralRef } from '../messages/index.ts';
import type { LimitHit, ResourceFacts, StructuralError } from '../model.ts';
import { explain, type Why } from './judge.ts';

export interface InspectLimits {
  // ------------------------------------------------------------------ tables (XLSX, XLS, ODS; CSV where said)
  /** Characters in one spreadsheet cell (a shared string, an inline string, a formula, an ODS paragraph run). */
  maxCellChars: number;
  /** Columns of a spreadsheet row, and fields of a CSV record. */
  maxColumns: number;
  /** Non-empty cells of a workbook, counting ODS repeats as the cells they stand for. */
  maxCells: number;
  /** Characters in one CSV record (csv-parse `max_record_size`). */
  maxCsvRecordChars: number;
  // ------------------------------------------------------------------ XLSX shared strings
  /** Entries of xl/sharedStrings.xml. */
  maxSharedStrings: number;
  /** Inflated bytes of xl/sharedStrings.xml. */
  maxSharedStringsBytes: number;
  // ------------------------------------------------------------------ workbooks
  /**
   * Threshold, not a limit: XLSX/ODS whose XML parts really inflate beyond this are read by the streaming readers
   * instead of SheetJS (which holds every cell).
   */
  sheetJsMaxBytes: number;
  /** Bytes of an XLS file: only SheetJS reads XLS, whole. */
  maxXlsBytes: number;
  /** Heap of the child process SheetJS reads an XLSX/ODS in; one that needs more kills the child, not odbadge. */
  sheetJsHeapMb: number;
  /** The same for an XLS (which only SheetJS reads, so its child gets more room). */
  xlsHeapMb: number;
  /** SheetJS processes running at once, process-wide (each may fill its heap limit); more workbooks wait. */
  sheetJsProcesses: number;
  /** Time SheetJS may take on one workbook. Machine-dependent, so reaching it is `unsure`, not a property of the file. */
  sheetJsTimeoutMs: number;
  /** Declared inflated bytes of the parts a streaming workbook reader reads (sheets, shared strings, content.xml). */
  maxWorkbookInflatedBytes: number;
  /** Workbook parts inflating to more than this are held to maxZipRatio. */
  workbookPartRatioMinBytes: number;
  // ------------------------------------------------------------------ ZIP archives (data ZIPs, KMZ, and workbook containers)
  /** Entries in a ZIP directory. */
  maxZipEntries: number;
  /** Data entries of a ZIP inspected one by one. */
  maxZipEntriesInspected: number;
  /** Inflated bytes of one data entry (it is inflated into memory). */
  maxZipEntryBytes: number;
  /** Inflated bytes of all data entries of one archive together. */
  maxZipInflatedBytes: number;
  /** Inflated ÷ compressed size of one entry. */
  maxZipRatio: number;
  // ------------------------------------------------------------------ XML
  /** Element nesting. */
  maxXmlDepth: number;
  /** Attributes on one element. */
  maxXmlAttributes: number;
  /** Characters of one text node or attribute value. */
  maxXmlTextChars: number;
  /** Budget: larger documents are checked for well-formedness but not searched for records (a note, not a failure). */
  maxXmlTreeChars: number;
  // ------------------------------------------------------------------ JSON
  /** Array/object nesting. */
  maxJsonDepth: number;
  /** Characters of one string (or member name). */
  maxJsonStringChars: number;
  // ------------------------------------------------------------------ OpenAPI / YAML
  /** Characters of an OpenAPI document. */
  maxOpenApiChars: number;
  /** Nodes of the document with YAML aliases expanded ("billion laughs"). */
  maxYamlNodes: number;
  /** Nesting of the document (the validators recurse per level). */
  maxOpenApiDepth: number;
  // ------------------------------------------------------------------ whole documents from a stream
  /** Budget: JSON/XML/ZIP… read from a stream are held up to this; beyond it they are judged as cut (not judged). */
  maxDocumentBytes: number;
  /** Threshold: local files at least this large are streamed by `inspectFile` instead of read whole. */
  streamFileAboveBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_INSPECT_LIMITS: Readonly<InspectLimits> = Object.freeze({
  // 32 × Excel's own 32,767-character cell limit: room for cells written by other tools (WKT geometry, notes), while
  // no reader holds more than a kept prefix of any cell.
  maxCellChars: 1 * MiB,
  // Excel's own maximum (column XFD); LibreOffice has the same.
  maxColumns: 16_384,
  // A 50 MiB XLSX (the download cap) holds ~25 M cells; twice that, at ~1 µs a cell, keeps a workbook near a minute.
  maxCells: 50_000_000,
  // A row larger than 8 Mi characters is a quote that never closes, not data.
  maxCsvRecordChars: 8 * MiB,
  // A full Excel sheet (1,048,576 rows) with almost five columns of distinct text; more is a bomb, not a table.
  maxSharedStrings: 5_000_000,
  // 5 M strings of ~50 bytes of XML each; the table is streamed, so this bounds time, not memory.
  maxSharedStringsBytes: 256 * MiB,
  // SheetJS took 325 MB peak and 8 s for 16 MiB of sheet XML that the streaming reader reads in 2 s and 130 MB:
  // it keeps the small workbooks it is the reference reader for, the streaming readers take the rest.
  sheetJsMaxBytes: 4 * MiB,
  // A 5 MB XLS (240,000 cells) needs ~250 MB of SheetJS heap; past 8 MiB the child would die of its heap anyway.
  maxXlsBytes: 8 * MiB,
  // 4 MiB of XML (120,000 cells) read within a 64 MB heap; twice that leaves room, and a child that dies of it
  // (an ODS whose repeats SheetJS expands) hands the workbook to the streaming reader.
  sheetJsHeapMb: 128,
  // Enough for an XLS under maxXlsBytes; a child that needs more dies, without odbadge.
  xlsHeapMb: 320,
  // One per core of a small auditor: 32 downloads in flight must not mean 32 SheetJS heaps.
  sheetJsProcesses: 2,
  // Corrupt workbooks can send SheetJS into an endless loop (found by fuzzing); healthy ones take seconds.
  sheetJsTimeoutMs: 60_000,
  // A 50 MiB download of sheet XML compresses ~10–20×: 2 GiB is beyond any real workbook and ~1 min of parsing.
  maxWorkbookInflatedBytes: 2048 * MiB,
  // Below 64 MiB even a high ratio costs little to stream; sheets of identical rows can legitimately pass 200:1.
  workbookPartRatioMinBytes: 64 * MiB,
  // The directory is held in memory; 2,000 entries is far more than any data archive or workbook holds.
  maxZipEntries: 2_000,
  // Portals zip a series of monthly files: 100 holds eight years of them, and a deliberate limit-hit on a published
  // series would mark good data as unstructured. Each data entry is a full inspection (a workbook one starts a
  // SheetJS process), and maxZipInflatedBytes bounds their total, so the work per archive stays bounded.
  maxZipEntriesInspected: 100,
  // Data entries are inflated into memory and decoded: 64 MiB stays within the per-resource memory budget.
  maxZipEntryBytes: 64 * MiB,
  // Four entries at their own cap: the whole archive's inspection stays bounded.
  maxZipInflatedBytes: 256 * MiB,
  // Real CSV/JSON/XML compress 5–50×; zero-filled bombs reach ~1000× (as the fetcher's decompression limit).
  maxZipRatio: 200,
  // Real documents nest tens of levels (GML ~15); fast-xml-parser builds its tree recursively.
  maxXmlDepth: 256,
  // Records carry tens of attributes; a thousand on one element is an attack on the attribute table, not data.
  maxXmlAttributes: 1_000,
  // A KML polygon of 500,000 vertices is ~15 Mi characters of text; more in one node is not a record's value.
  maxXmlTextChars: 16 * MiB,
  // The record search builds a tree of ~10 bytes per character; 64 Mi characters is ~640 MB at worst.
  maxXmlTreeChars: 64 * MiB,
  // GeoJSON nests 6 levels, API envelopes a few more; 256 matches maxXmlDepth.
  maxJsonDepth: 256,
  // A value longer than 16 Mi characters is an embedded file (base64), not a field of a record.
  maxJsonStringChars: 16 * MiB,
  // The largest public API descriptions are ~10 MB; validation time grows with size.
  maxOpenApiChars: 20_000_000,
  // ~100× the nodes of the largest public API descriptions; the validators walk the expanded tree.
  maxYamlNodes: 2_000_000,
  // The validators recurse per level; deeper documents would overflow the stack.
  maxOpenApiDepth: 500,
  // A document parsed whole costs several times its size in memory; beyond this it is judged as cut.
  maxDocumentBytes: 512 * MiB,
  // Below 64 MiB a file is read whole (fast); above, CSV and XLSX/ODS are streamed so memory stays flat.
  streamFileAboveBytes: 64 * MiB,
});

export const LIMIT_NAMES = Object.keys(DEFAULT_INSPECT_LIMITS) as (keyof InspectLimits)[];

/** The environment variable that raises (or lowers) limits for every command: "name=value,name=value". */
export const LIMITS_ENV = 'ODBADGE_LIMITS';

/** Parses "maxCellChars=2000000, maxZipRatio=500" (also ";" or whitespace separated). Throws on an unknown name or a bad value. */
export function parseLimitAssignments(text: string, source = 'limits'): Partial<InspectLimits> {
  const out: Partial<InspectLimits> = {};
  for (const item of text.split(/[,;\s]+/).filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)=(\d+(?:\.\d+)?)$/.exec(item);
    if (!m) throw new RangeError(`${source}: "${item}" is not name=number`);
    const name = m[1] as keyof InspectLimits;
    if (!(name in DEFAULT_INSPECT_LIMITS)) throw new RangeError(`${source}: unknown limit "${m[1]}" (known: ${LIMIT_NAMES.join(', ')})`);
    out[name] = Number(m[2]);
  }
  return out;
}

/** Defaults, then ODBADGE_LIMITS, then `overrides`. Throws a RangeError naming the culprit on a bad value. */
export function resolveLimits(overrides?: Partial<InspectLimits>, env: string | undefined = process.env[LIMITS_ENV]): InspectLimits {
  const out: InspectLimits = { ...DEFAULT_INSPECT_LIMITS, ...(env ? parseLimitAssignments(env, LIMITS_ENV) : {}) };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined) continue;
    if (!(k in DEFAULT_INSPECT_LIMITS)) throw new RangeError(`unknown limit "${k}"`);
    (out as unknown as Record<string, number>)[k] = v;
  }
  for (const k of LIMIT_NAMES) {
    if (!Number.isFinite(out[k]) || out[k] <= 0) throw new RangeError(`limit ${k} must be a positive number, got ${out[k]}`);
  }
  return out;
}

/** Thrown inside a parser when a limit is reached; the inspector turns it into a LimitHit on the facts. */
export class LimitExceeded extends Error {
  readonly hit: LimitHit;
  constructor(hit: LimitHit) {
    super(hit.message);
    this.hit = hit;
  }
}

export function limitHit(name: keyof InspectLimits, limit: number, message: string, extra: { observed?: number; where?: string } = {}): LimitHit {
  return { name, limit, message, ...(extra.observed !== undefined ? { observed: extra.observed } : {}), ...(extra.where ? { where: extra.where } : {}) };
}

export function exceeded(name: keyof InspectLimits, limit: number, message: string, extra: { observed?: number; where?: string } = {}): LimitExceeded {
  return new LimitExceeded(limitHit(name, limit, message, extra));
}

/** How to raise a limit, for evidence: the CLI option and the environment variable (LIMITS_ENV). */
export { raiseHint };

/** A limit hit as a structural error (its message: which limit, its value, what the file did, how to raise it). */
function limitError(hit: LimitHit): StructuralError {
  return structuralError('limit-exceeded', { row: null, field: null, ...(hit.where ? { cell: hit.where } : {}) }, {
    name: hit.name, limit: hit.limit, detail: hit.message, ...(hit.observed !== undefined ? { observed: hit.observed } : {}), ...(hit.where ? { where: hit.where } : {}),
  });
}

/** One line of evidence: which limit, its value, what the file did, and how to raise it. */
export function describeLimitHit(hit: LimitHit): string {
  return limitError(hit).message;
}

/**
 * Records a limit hit on the facts: listed in `limits`, one `limit-exceeded` structural error, and `structured`
 * false with the limit as the evidence (unless an earlier limit already is).
 */
export function failOnLimit(facts: ResourceFacts, hit: LimitHit): ResourceFacts {
  const first = !facts.limits?.length;
  (facts.limits ??= []).push(hit);
  const error = limitError(hit);
  facts.structuralErrors.push(error);
  facts.structured = false;
  if (first) explain(facts, structuralRef(error) as Why);
  return facts;
}
