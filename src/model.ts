// The normalised model shared by every stage: catalogue → fetch → inspect → rules → score → store → report.
// Nothing downstream of a catalogue adapter knows which portal a dataset came from.
import type { Bilingual, FindingCode, IndicatorCode, MessageRef, StructuralErrorType } from './messages/index.ts';

export type { Bilingual } from './messages/index.ts';

/** A verdict on one indicator. `not-evaluated` = an earlier gate failed; `unsure` = transient trouble, try again. */
export type Verdict = 'pass' | 'fail' | 'not-evaluated' | 'unsure';

export type Badge = string; // a tier id from the ruleset ("bronze" | "silver" | "gold" | …) or "none"

/**
 * A problem found in catalogue metadata (not in a resource): a malformed row, an unknown frequency… Made with
 * `finding()` of src/messages, which fills every field from the code and its parameters.
 */
export interface Finding {
  /** A code of the message catalogue (docs/codes.md), e.g. "catalog-row-malformed". */
  code: FindingCode;
  /** One line a person can act on (English), as findings have always carried it. */
  message: string;
  /** The same in Chinese (every finding made by this odbadge has one). */
  messageZh?: string;
  detail?: Record<string, unknown>;
  /** The message's parameters (src/messages): what `text` is rendered from. */
  params?: Record<string, unknown>;
  /**
   * The message for a reader, `{ zh, en }`, with times in the portal's time zone. Named `text` because `message` is
   * the English string results have always had; `text.zh` is what a zh-TW report shows.
   */
  text?: Bilingual;
}

/** Declared metadata of one resource, as the catalogue states it. All free text, unnormalised. */
export interface ResourceDeclared {
  format?: string; // 檔案格式, e.g. "CSV", "JSON", "其他"
  encoding?: string; // 編碼格式, e.g. "UTF-8", "BIG5"
  fields?: string; // 主要欄位說明, e.g. "村名(name)、人口(population)"
  description?: string;
  oasUrl?: string; // OpenAPI document describing this resource, when it is an API
  updatedAt?: string; // ISO 8601 with zone, when the catalogue says this resource was last updated
  isApi?: boolean;
}

export interface Resource {
  /** Stable within a dataset: `${datasetId}#${index}` unless the portal has its own id. */
  id: string;
  url: string;
  declared: ResourceDeclared;
  /** The platform's own per-resource quality result when the catalogue carries one. */
  officialQc?: string;
  /** Capture times of this resource in a historical archive (DATA.GOV.HK list-file-versions), ISO, oldest first. */
  archiveCaptures?: string[];
}

export interface DatasetDeclared {
  frequency?: string; // 更新頻率, free text
  encoding?: string; // dataset-level fallback when resources carry none
  fields?: string;
  formats?: string[];
  license?: string;
  description?: string;
  providerAttribute?: string; // 資料提供屬性
  category?: string; // 服務分類
  uploadMethod?: string; // 資料集上架方式
}

export interface Dataset {
  id: string;
  title: string;
  agency: string;
  source: 'data.gov.tw' | 'ckan' | 'local' | string;
  declared: DatasetDeclared;
  /** ISO 8601 with zone. data.gov.tw times carry no zone and are Taiwan local time (UTC+8). */
  metadataUpdatedAt?: string;
  /**
   * IANA time zone the portal's readers live in (Asia/Taipei for data.gov.tw, Asia/Hong_Kong for DATA.GOV.HK), set
   * by the catalogue adapter: evidence shows times in it, with the offset. Absent: UTC.
   */
  timeZone?: string;
  publishedAt?: string;
  /** The platform's own published badge (品質檢測), normalised to a tier id or "none"; raw text kept too. */
  officialBadge?: string | null;
  officialBadgeRaw?: string;
  /** 白名單: whitelisted datasets receive no badge. */
  whitelisted: boolean;
  usage?: { views?: number; downloads?: number; avgRating?: number };
  /** Problems with this dataset's catalogue entry itself. */
  findings: Finding[];
  resources: Resource[];
}

// ---------------------------------------------------------------- fetch

export type FetchKind =
  | 'ok' // a 2xx with a body (possibly empty)
  | 'http-error' // a definite non-2xx (4xx, or 5xx after retries → transient)
  | 'dns' // name not found (definite)
  | 'timeout'
  | 'network' // reset, refused, closed
  | 'tls' // certificate problems; see tlsProblem
  | 'blocked' // refused by odbadge itself: private address, bad scheme
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'too-large' // byte or decompression cap hit (body kept up to the cap, truncated = true)
  | 'protocol'; // malformed HTTP

export interface FetchOutcome {
  url: string;
  finalUrl: string;
  kind: FetchKind;
  /** true when the failure may go away on a later try: time-outs, resets, 5xx, 429. Drives `unsure`. */
  transient: boolean;
  status?: number;
  /** Each hop: status and Location, in order. */
  redirects: { status: number; location: string }[];
  headers: Record<string, string>; // of the final response, lower-case names
  contentType?: string;
  /** Bytes after content-decoding, up to the cap, when the body is held in memory. Absent when no body was received. */
  body?: Uint8Array;
  /**
   * The body in a private temporary file instead, when it did not fit the fetcher's memory budget (a large file).
   * Exists until the fetcher's `release(outcome)` or `close()`; never recorded in results.
   */
  bodyFile?: string;
  /** true when the body was cut at the byte cap. */
  truncated: boolean;
  bytes: number;
  attempts: number;
  elapsedMs: number;
  error?: string; // human-readable, never contains URL credentials
  tlsProblem?: 'incomplete-chain' | 'self-signed' | 'expired' | 'hostname-mismatch' | 'other';
}

// ---------------------------------------------------------------- inspect

export type DetectedFormat =
  | 'csv' | 'tsv' | 'json' | 'jsonl' | 'geojson' | 'xml' | 'kml' | 'gml' | 'rss'
  | 'xlsx' | 'xls' | 'ods' | 'zip' | 'kmz' | 'shp'
  | 'html' | 'pdf' | 'doc' | 'docx' | 'odt' | 'image' | 'text' | 'empty' | 'unknown';

export type EncodingName =
  | 'ascii' | 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'big5' | 'cp950' | 'big5-hkscs' | 'binary' | 'unknown';

/** A table-structure error, named as frictionless names them. rows count physical rows, header = 1. */
export interface StructuralError {
  /** A code of the message catalogue (src/messages/structural.ts): blank-row, extra-cell, title-row, limit-exceeded … */
  type: StructuralErrorType;
  row: number | null;
  field: number | null;
  /** English; rendered from the type's template. */
  message: string;
  /** e.g. "Sheet1!B7:D7" for spreadsheets */
  cell?: string;
  /** The template's parameters beyond the position (a label, the subtotal text …), to render the error in Chinese. */
  params?: Record<string, unknown>;
}

export interface EncodingFacts {
  /** Best name for the bytes; `ascii` means compatible with both UTF-8 and Big5. */
  detected: EncodingName;
  /** Every encoding that decodes the whole body cleanly, strictest evidence first. */
  compatible: EncodingName[];
  /** First undecodable byte for the most plausible candidate, when no candidate decodes cleanly. */
  invalidAt?: { encoding: EncodingName; offset: number; bytes: string };
  bom?: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** The first undecodable byte of every candidate that failed, e.g. a file declared BIG5 that needs CP950. */
  failures?: Partial<Record<EncodingName, { offset: number; bytes: string }>>;
  /**
   * Which bytes 0x80–0xFF occur (32 hex digits, bit b − 0x80), for bodies that are neither UTF-8 nor UTF-16: enough
   * to verify a declared single-byte encoding (windows-1252, ISO-8859-x …) by the bytes it leaves undefined.
   */
  highBytes?: string;
  /** For a body no multi-byte encoding explains: the most plausible single-byte encoding, never a certainty. */
  likely?: { encoding: string; confidence: number; evidence: string };
  evidence: string;
}

/**
 * An inspection limit the resource reached (src/inspect/limits.ts). The same bytes reach it every time, so it is a
 * property of the file: the resource is not structured (`fail`), with this as the evidence.
 */
export interface LimitHit {
  /** The limit's name in InspectLimits, e.g. `maxCellChars`. */
  name: string;
  /** The limit in force. */
  limit: number;
  /** What the file reached, when known (a lower bound when reading stopped at the limit). */
  observed?: number;
  /** Where: a ZIP entry, a part, a sheet cell, a line. */
  where?: string;
  /** One line saying what was too large, e.g. "shared string 1 has more than 1048576 characters". */
  message: string;
}

export interface ResourceFacts {
  format: DetectedFormat;
  /** Why we think so: magic bytes, content sniff, Content-Type… */
  formatEvidence: string;
  /** true for fixed-column tables without structure errors and for well-formed JSON/XML; null when not judged. */
  structured: boolean | null;
  structuredEvidence: string;
  /** The same conclusion as a message of the catalogue (`structuredEvidence` is its English text). */
  structuredRef?: MessageRef;
  encoding?: EncodingFacts;
  /** Field names found (table header, union of record keys, record element children). */
  fields?: string[];
  structuralErrors: StructuralError[];
  /** A 200 body that is a message instead of data, or a landing/login page. */
  notData?: { kind: 'no-data-text' | 'html-page' | 'login-page' | 'json-error' | 'empty'; excerpt: string };
  recordCount?: number;
  /** API responses cut at a round number of records. */
  possiblyTruncated?: boolean;
  /** The sniffed format differs from the declared 檔案格式 (the 2016 study found 45 % mismatched). */
  formatMismatch?: { declared: string; detected: DetectedFormat };
  /** Inspection limits reached; when present, `structured` is false and the evidence names the first one. */
  limits?: LimitHit[];
  /** ZIP entries, sheets… */
  parts?: {
    name: string;
    format: DetectedFormat;
    structured: boolean | null;
    note?: string;
    /** A ZIP entry's own encoding and fields, judged like the file it is (the rules compare each with the declaration). */
    encoding?: EncodingFacts;
    fields?: string[];
  }[];
  notes: string[];
}

// ---------------------------------------------------------------- rules & results

export interface IndicatorResult {
  verdict: Verdict;
  /** What we saw, specific enough to act on: status codes, byte offsets, row numbers, names. English, as always. */
  evidence: string;
  hint?: Bilingual;
  /** Machine-readable details (e.g. missing/extra field names). */
  detail?: Record<string, unknown>;
  /**
   * What was seen, as a code of the message catalogue (docs/codes.md) and its parameters. For a dataset's indicator
   * combined from its resources: the deciding resource's code and parameters (`detail.resource` says which).
   */
  code?: IndicatorCode;
  params?: Record<string, unknown>;
  /** The evidence for a reader, `{ zh, en }`, with times in the portal's time zone. */
  message?: Bilingual;
}

/** One code of the platform checker: 1 pass, 0 fail, 2 not evaluated; null where odbadge is unsure. */
export type OfficialCode = 0 | 1 | 2 | null;

/** The platform checker's per-resource codes (see src/score/official-codes.ts). */
export interface OfficialCodes {
  linkable: OfficialCode;
  downloadable: OfficialCode;
  structure: OfficialCode;
  encoding_match: OfficialCode;
  desc_match: OfficialCode;
}

export interface ResourceResult {
  id: string;
  url: string;
  /** What the platform checker is expected to publish, computed under the ruleset's official-compatibility profile. */
  official?: OfficialCodes;
  /** The codes the catalogue itself published for this resource (品質檢測), where it carries them. */
  published?: Partial<OfficialCodes>;
  fetch: {
    kind: FetchKind;
    status?: number;
    finalUrl: string;
    contentType?: string;
    bytes: number;
    truncated: boolean;
    attempts: number;
    redirects: number;
    elapsedMs: number;
    error?: string;
  };
  facts?: Omit<ResourceFacts, 'structuralErrors'> & { structuralErrors: StructuralError[]; structuralErrorCount: number };
  indicators: Record<string, IndicatorResult>;
}

export interface DatasetResult {
  id: string;
  title: string;
  agency: string;
  /** When the dataset was first published (上架日期), for 人氣獎 eligibility. */
  publishedAt?: string;
  usage?: { views?: number; downloads?: number; avgRating?: number };
  /** Declared 檔案格式 of each resource, for filtering reports. */
  formats?: string[];
  badge: Badge;
  officialBadge: string | null;
  whitelisted: boolean;
  bonus: boolean;
  indicators: Record<string, IndicatorResult>;
  findings: Finding[];
  resources: ResourceResult[];
}

export interface AgencyScore {
  agency: string;
  datasets: number;
  /** count per tier id, plus "none" */
  badges: Record<string, number>;
  bonusDatasets: number;
  bonus: number;
  score: number;
}

// ---------------------------------------------------------------- the audit

/** Progress of a running audit, for the progress line. */
export interface AuditProgress {
  datasetsDone: number;
  datasetsSeen: number;
  resourcesDone: number;
  failures: number;
  catalogDone: boolean;
  /** Body bytes downloaded so far (decoded). */
  bytes?: number;
}

export interface AuditResult {
  odbadge: string;
  ruleset: { id: string; title: Bilingual; source: string };
  catalog: { source: string; datasets: number; findings: number; complete: boolean; error?: string };
  startedAt: string;
  finishedAt: string;
  datasets: DatasetResult[];
  agencies: AgencyScore[];
  stats: { resources: number; distinctUrls: number; bytes: number; requests: number; retries: number; wireBytes?: number; reusedResources?: number };
  /** Run-level warnings: something about the whole run a reader must know (most resources refused as private…). */
  warnings?: Finding[];
  /** The run in the history store, when one was used. */
  run?: { id: number; resumed: boolean; status: 'complete' | 'interrupted'; previousRunId?: number };
}

/** An audit's results as they are read back for the outputs: the envelope at once, the datasets one at a time. */
export type AuditHeader = Omit<AuditResult, 'datasets'>;

/**
 * One audit's results, streamed: a whole portal's datasets do not fit in memory (nor in one JavaScript string), so
 * they come from the history store, a spill file or a results.json, one at a time, in catalogue order.
 */
export interface AuditResults {
  header: AuditHeader;
  /** How many datasets `datasets()` yields (header.catalog.datasets). */
  count: number;
  /** Every dataset in catalogue order; may be iterated again. */
  datasets(): AsyncIterable<DatasetResult>;
  /** The n-th dataset (0-based, in catalogue order). */
  dataset(n: number): Promise<DatasetResult>;
}
