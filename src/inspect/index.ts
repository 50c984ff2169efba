// The inspect stage: one downloaded body in, ResourceFacts out. Sniff the format, detect the encoding, decode, hand
// the text to the CSV / JSON / XML inspector, and state whether the result is structured — with evidence.
// Facts only: whether a fact passes an indicator is decided by the rules. Never throws.
import { msg, structuralError, structuralRef } from '../messages/index.ts';
import type { LimitHit, ResourceFacts, StructuralError } from '../model.ts';
import { judge } from './judge.ts';
import { inspectCsv, type CsvFacts } from './table/csv.ts';
import { decodeText, decodingFor, detectEncoding } from './encoding/index.ts';
import { inspectJson } from './tree/json.ts';
import { detectNotData, sniffFormat } from './sniff.ts';
import { inspectXml } from './tree/xml.ts';
import { formatMismatchOf } from './format-names.ts';
import { inspectSpreadsheet, spreadsheetIntoFacts, type SpreadsheetOptions } from './spreadsheet/index.ts';
import { classifyZipNames, listZipEntries, readZipEntry } from './archive/zip.ts';
import { DEFAULT_INSPECT_LIMITS, failOnLimit, limitHit, resolveLimits, type InspectLimits } from './limits.ts';
import { inspectionFailed } from './failed.ts';

export { inspectionFailed } from './failed.ts';

export interface InspectInput {
  body: Uint8Array;
  contentType?: string;
  url?: string;
  declaredFormat?: string;
  /** The body was cut at the fetcher's byte cap. */
  truncated?: boolean;
  /** Spreadsheet reader thresholds (tests lower them to exercise the streaming readers). */
  spreadsheet?: SpreadsheetOptions;
  /** Inspection limits to change (the rest: DEFAULT_INSPECT_LIMITS, then the ODBADGE_LIMITS environment variable). */
  limits?: Partial<InspectLimits>;
}

/** Record counts that look like an API page size rather than the real number of records. */
export const ROUND_RECORD_COUNTS: readonly number[] = [100, 200, 500, 1000, 2000, 3000, 5000, 10000, 20000, 50000, 100000];

const SNIFF_BYTES = 1 << 20;
/** Parts of a shapefile set: binary geodata we do not parse. */
const SHAPEFILE_PARTS = /\.(shp|shx|dbf|prj|cpg|sbn|sbx|qix|fbn|fbx|ain|aih|atx|ixs|mxs)$/i;

export async function inspectResource(input: InspectInput): Promise<ResourceFacts> {
  try {
    return withFormatMismatch(await inspectBody(input, 0, resolveLimits(input.limits)), input.declaredFormat);
  } catch (err) {
    return inspectionFailed(err);
  }
}

/** The sniffed format against the declared 檔案格式: a fact the rules turn into a finding. */
export function withFormatMismatch(facts: ResourceFacts, declared: string | undefined): ResourceFacts {
  const m = formatMismatchOf(declared, facts.format);
  if (m) facts.formatMismatch = m;
  return facts;
}

async function inspectBody(input: InspectInput, depth: number, limits: InspectLimits): Promise<ResourceFacts> {
  const body = input.body;
  const sniff = sniffFormat(body.subarray(0, SNIFF_BYTES), { contentType: input.contentType, url: input.url, declaredFormat: input.declaredFormat });
  const facts: ResourceFacts = {
    format: sniff.format,
    formatEvidence: sniff.evidence,
    structured: null,
    structuredEvidence: '',
    structuralErrors: [],
    notes: [],
  };
  switch (sniff.format) {
    case 'empty':
      facts.notData = { kind: 'empty', excerpt: '' };
      // as frictionless reports it: an empty source is a source error, not an empty table
      facts.structuralErrors.push(structuralError('source-error', { row: null, field: null }, { variant: 'empty' }));
      return judge(facts, false, msg('inspect.empty-body', {}));
    case 'pdf':
    case 'doc':
    case 'docx':
    case 'odt':
    case 'image':
      return judge(facts, false, msg('inspect.document', { format: sniff.format }));
    case 'xls':
    case 'xlsx':
    case 'ods':
      return spreadsheetFacts(input, facts, limits);
    case 'shp':
      facts.notes.push('shapefile geometry is not parsed');
      return judge(facts, null, msg('inspect.shapefile', {}));
    case 'zip':
    case 'kmz':
      return inspectZip(input, facts, depth, limits);
    case 'unknown':
      return judge(facts, null, msg('inspect.format-unknown', { sniffed: sniff.evidence }));
    default:
      return inspectText(input, facts, limits);
  }
}

async function spreadsheetFacts(input: InspectInput, facts: ResourceFacts, limits: InspectLimits): Promise<ResourceFacts> {
  const format = facts.format as 'xlsx' | 'xls' | 'ods';
  if (input.truncated) return judge(facts, null, msg('inspect.workbook-cut', { format }));
  return spreadsheetIntoFacts(await inspectSpreadsheet(input.body, format, input.spreadsheet, limits), facts);
}

async function inspectText(input: InspectInput, facts: ResourceFacts, limits: InspectLimits): Promise<ResourceFacts> {
  const encoding = detectEncoding(input.body);
  facts.encoding = encoding;
  const text = decodeText(input.body, decodingFor(encoding));
  if (encoding.detected === 'unknown' || encoding.detected === 'binary') facts.notes.push(`encoding: ${encoding.evidence}`);
  const notData = detectNotData(text, facts.format);
  if (notData) facts.notData = notData;
  const cut = input.truncated === true;
  if (cut) facts.notes.push('the body was cut at the download size cap: facts describe the part received');

  switch (facts.format) {
    case 'html':
      return judge(facts, false, msg('inspect.html-page', notData?.kind === 'login-page' ? { login: true } : notData?.excerpt ? { excerpt: notData.excerpt } : {}));
    case 'text':
      return judge(facts, false, notData ? msg('inspect.text-message', { excerpt: notData.excerpt }) : msg('inspect.plain-text', {}));
    case 'csv':
    case 'tsv':
      if (notData?.kind === 'no-data-text') return judge(facts, false, msg('inspect.message-not-table', { excerpt: notData.excerpt }));
      return tableFacts(text, facts, cut, limits);
    case 'json':
    case 'geojson':
    case 'jsonl':
      return jsonFacts(text, facts, cut, limits);
    default:
      return xmlFacts(text, facts, cut, limits);
  }
}

async function tableFacts(text: string, facts: ResourceFacts, cut: boolean, limits: InspectLimits): Promise<ResourceFacts> {
  const csv = await inspectCsv(text, { ...(facts.format === 'tsv' ? { delimiter: '\t' } : {}), truncated: cut, maxRecordChars: limits.maxCsvRecordChars, maxColumns: limits.maxColumns });
  return csvIntoFacts(csv, facts, cut);
}

/** CSV facts into ResourceFacts (shared with the streaming entry, stream.ts). */
export function csvIntoFacts(csv: CsvFacts, facts: ResourceFacts, cut: boolean): ResourceFacts {
  facts.fields = csv.fields;
  facts.recordCount = csv.recordCount;
  facts.structuralErrors = csv.errors;
  if (csv.errorsCapped) facts.notes.push(`${csv.errorTotal} structural errors in total, ${csv.errors.length} listed: ${countsText(csv.errorCounts)}`);
  if (csv.blankRowRanges.length > 0) {
    const ranges = csv.blankRowRanges.slice(0, 10).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
    facts.notes.push(`blank rows: ${ranges.join(', ')}${csv.blankRowRanges.length > 10 ? ', …' : ''}`);
  }
  facts.possiblyTruncated = !cut && ROUND_RECORD_COUNTS.includes(csv.recordCount);
  if (csv.errorTotal === 0) judge(facts, true, msg('inspect.table', { fields: csv.header.length, records: csv.recordCount, delimiter: csv.delimiter }));
  else judge(facts, false, msg('inspect.table-errors', { total: csv.errorTotal, counts: { ...csv.errorCounts }, first: structuralRef(csv.firstError!) }));
  if (csv.limit) failOnLimit(facts, csv.limit);
  return facts;
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
}

function jsonFacts(text: string, facts: ResourceFacts, cut: boolean, limits: InspectLimits): ResourceFacts {
  const json = inspectJson(text, { maxDepth: limits.maxJsonDepth, maxStringChars: limits.maxJsonStringChars });
  if (json.shape === 'geojson') facts.format = 'geojson';
  if (json.shape === 'jsonl') facts.format = 'jsonl';
  facts.fields = json.fields;
  if (json.recordCount !== undefined) facts.recordCount = json.recordCount;
  if (json.possiblyTruncated || (json.recordCount !== undefined && ROUND_RECORD_COUNTS.includes(json.recordCount))) facts.possiblyTruncated = true;
  if (json.errorMessage && !facts.notData) facts.notData = { kind: 'json-error', excerpt: json.errorMessage.slice(0, 120) };
  if (json.ok && json.limit) return failOnLimit(facts, json.limit);
  if (json.ok) {
    return judge(facts, true, msg('inspect.json', { shape: json.shape, ...(json.recordsPath ? { path: json.recordsPath } : {}), ...(json.recordCount !== undefined ? { records: json.recordCount } : {}) }));
  }
  const e = json.error;
  const at = e?.line !== undefined ? { line: e.line, ...(e.column !== undefined ? { column: e.column } : {}) } : {};
  facts.structuralErrors.push(structuralError('malformed-json', { row: null, field: null }, { error: e?.message ?? 'malformed JSON', ...at }));
  if (cut) return judge(facts, null, msg('inspect.document-cut', { what: 'JSON', ...at }));
  return judge(facts, false, msg('inspect.malformed', { what: 'JSON', ...(e?.message ? { error: e.message } : {}), ...at }));
}

function xmlFacts(text: string, facts: ResourceFacts, cut: boolean, limits: InspectLimits): ResourceFacts {
  const xml = inspectXml(text, { maxDepth: limits.maxXmlDepth, maxAttributes: limits.maxXmlAttributes, maxTextChars: limits.maxXmlTextChars, maxTreeChars: limits.maxXmlTreeChars });
  if (xml.flavour === 'kml' || xml.flavour === 'gml' || xml.flavour === 'rss') facts.format = xml.flavour;
  facts.fields = xml.fields;
  if (xml.recordCount !== undefined) {
    facts.recordCount = xml.recordCount;
    if (ROUND_RECORD_COUNTS.includes(xml.recordCount)) facts.possiblyTruncated = true;
  }
  if (xml.declaredEncoding) facts.notes.push(`XML declares encoding="${xml.declaredEncoding}"`);
  if (xml.note) facts.notes.push(xml.note);
  if (xml.ok && xml.limit) return failOnLimit(facts, xml.limit);
  if (xml.ok) {
    return judge(facts, true, msg('inspect.xml', { ...(xml.root ? { root: xml.root } : {}), ...(xml.recordElement ? { element: xml.recordElement, records: xml.recordCount ?? 0 } : {}) }));
  }
  const e = xml.error;
  const at = e?.line !== undefined ? { line: e.line, ...(e.column !== undefined ? { column: e.column } : {}) } : {};
  facts.structuralErrors.push(structuralError('malformed-xml', { row: null, field: null }, { error: e?.message ?? 'malformed XML', ...at }));
  if (cut) return judge(facts, null, msg('inspect.document-cut', { what: 'XML', ...at }));
  return judge(facts, false, msg('inspect.malformed', { what: 'XML', ...(e?.message ? { error: e.message } : {}), ...at }));
}

/** The ZIP limits as they were first exported, kept for callers; the values live in limits.ts. */
export const ZIP_LIMITS = {
  maxEntries: DEFAULT_INSPECT_LIMITS.maxZipEntries,
  maxInspected: DEFAULT_INSPECT_LIMITS.maxZipEntriesInspected,
  maxTotalBytes: DEFAULT_INSPECT_LIMITS.maxZipInflatedBytes,
  maxRatio: DEFAULT_INSPECT_LIMITS.maxZipRatio,
};

/**
 * A ZIP is judged by its entries (badge-rules §3): structured when every data entry is. KMZ: by its KML entries.
 * Every limit reached (entry count, entries inspected, inflated bytes, an entry's size or ratio, and any limit an
 * entry's own inspection reached) is a LimitHit: the archive is not structured, whatever its other entries are.
 */
async function inspectZip(input: InspectInput, facts: ResourceFacts, depth: number, limits: InspectLimits): Promise<ResourceFacts> {
  const { entries, complete, declaredCount } = listZipEntries(input.body, limits.maxZipEntries);
  const files = entries.filter((e) => !e.name.endsWith('/') && !/(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/.test(e.name));
  const kind = classifyZipNames(entries.map((e) => e.name), input.body.subarray(0, 4096));
  if (kind.format !== 'zip' && kind.format !== facts.format) {
    facts.format = kind.format;
    facts.formatEvidence = `${kind.evidence} (from the ZIP directory)`;
  }
  if (facts.format === 'xlsx' || facts.format === 'ods') return spreadsheetFacts(input, facts, limits);
  if (facts.format === 'docx' || facts.format === 'odt') return judge(facts, false, msg('inspect.archive-document', { format: facts.format }));
  if (depth > 0) return judge(facts, null, msg('inspect.zip-in-zip', {}));
  const limitsHit: string[] = [];
  const hits: LimitHit[] = [];
  if (declaredCount !== undefined && declaredCount > limits.maxZipEntries) {
    limitsHit.push(`entry count: the archive declares ${declaredCount} entries, above the limit of ${limits.maxZipEntries}; the first ${entries.length} were listed`);
    hits.push(limitHit('maxZipEntries', limits.maxZipEntries, `the archive's directory declares ${declaredCount} entries`, { observed: declaredCount }));
  } else if (!complete) facts.notes.push('ZIP directory incomplete (body cut short?): only entries found are judged');
  if (files.length === 0) {
    judge(facts, false, msg('inspect.zip-empty', { complete }));
    for (const h of hits) failOnLimit(facts, h);
    return facts;
  }

  const judged = facts.format === 'kmz' ? files.filter((f) => /\.kml$/i.test(f.name)) : files;
  const declaredTotal = judged.reduce((n, e) => n + e.size, 0);
  if (declaredTotal > limits.maxZipInflatedBytes) {
    limitsHit.push(`total size: the entries declare ${declaredTotal} bytes uncompressed, above the limit of ${limits.maxZipInflatedBytes}; entries past it were not inflated`);
    hits.push(limitHit('maxZipInflatedBytes', limits.maxZipInflatedBytes, `the entries declare ${declaredTotal} bytes uncompressed`, { observed: declaredTotal }));
  }
  const entryLimits = { maxEntries: limits.maxZipEntries, maxEntryBytes: limits.maxZipEntryBytes, maxRatio: limits.maxZipRatio };
  const parts: NonNullable<ResourceFacts['parts']> = [];
  const subLimits: LimitHit[] = [];
  let inflated = 0;
  for (const entry of judged) {
    if (parts.length >= limits.maxZipEntriesInspected) {
      limitsHit.push(`inspected entries: ${judged.length - limits.maxZipEntriesInspected} more entries not inspected (limit ${limits.maxZipEntriesInspected})`);
      hits.push(limitHit('maxZipEntriesInspected', limits.maxZipEntriesInspected, `the archive holds ${judged.length} entries to inspect`, { observed: judged.length }));
      break;
    }
    if (SHAPEFILE_PARTS.test(entry.name)) {
      parts.push({ name: entry.name, format: 'shp', structured: null, note: 'shapefile component, not parsed' });
      continue;
    }
    if (inflated + entry.size > limits.maxZipInflatedBytes) {
      parts.push({ name: entry.name, format: 'unknown', structured: null, note: `not inflated: the archive's total inflated size limit (${limits.maxZipInflatedBytes} bytes) was reached` });
      continue;
    }
    const read = readZipEntry(input.body, entry, entryLimits);
    if (!read.data) {
      if (read.bomb) {
        limitsHit.push(`${entry.name}: ${read.problem}`);
        const limit = read.bomb === 'maxZipRatio' ? limits.maxZipRatio : limits.maxZipEntryBytes;
        hits.push(limitHit(read.bomb, limit, `${entry.name}: ${read.problem}`, { ...(read.observed !== undefined ? { observed: read.observed } : {}), where: entry.name }));
      }
      parts.push({ name: entry.name, format: 'unknown', structured: null, note: read.problem });
      continue;
    }
    inflated += read.data.length;
    const sub = await inspectBody({ body: read.data, url: entry.name, ...(input.spreadsheet ? { spreadsheet: input.spreadsheet } : {}) }, depth + 1, limits);
    parts.push({
      name: entry.name,
      format: sub.format,
      structured: sub.structured,
      ...(sub.structured === true ? {} : { note: sub.structuredEvidence }),
      ...(sub.encoding ? { encoding: sub.encoding } : {}),
      ...(sub.fields?.length ? { fields: sub.fields } : {}),
    });
    for (const e of sub.structuralErrors.filter((x) => x.type !== 'limit-exceeded').slice(0, 50)) {
      facts.structuralErrors.push({ ...e, cell: e.cell ? `${entry.name}:${e.cell}` : `${entry.name}${e.row !== null ? `!row ${e.row}` : ''}` } satisfies StructuralError);
    }
    for (const h of sub.limits ?? []) subLimits.push({ ...h, message: `${entry.name}: ${h.message}`, where: h.where ? `${entry.name}:${h.where}` : entry.name });
    if (judged.length === 1) {
      if (sub.fields) facts.fields = sub.fields;
      if (sub.recordCount !== undefined) facts.recordCount = sub.recordCount;
      if (sub.encoding) facts.encoding = sub.encoding;
    }
  }
  for (const l of limitsHit) facts.notes.push(`ZIP limit: ${l}`);
  facts.parts = parts;
  const entry = (p: (typeof parts)[number]) => ({ name: p.name, format: p.format, ...(p.note ? { note: p.note } : {}) });
  const bad = parts.filter((p) => p.structured === false);
  const unsure = parts.filter((p) => p.structured === null);
  if (bad.length > 0) judge(facts, false, msg('inspect.zip-not-structured', { bad: bad.length, entries: parts.length, shown: bad.slice(0, 3).map(entry) }));
  else if (unsure.length > 0 || parts.length === 0) judge(facts, null, msg('inspect.zip-unjudged', { unsure: unsure.length, entries: parts.length, shown: unsure.slice(0, 3).map(entry) }));
  else judge(facts, true, msg('inspect.zip', { entries: parts.length, kml: facts.format === 'kmz', shown: parts.slice(0, 5).map((p) => ({ name: p.name, format: p.format })), more: Math.max(0, parts.length - 5) }));
  // A limit is a property of the archive: it decides the verdict whatever the entries inspected were.
  for (const h of [...hits, ...subLimits]) failOnLimit(facts, h);
  return facts;
}
