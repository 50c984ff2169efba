// results.json: the documented, schema-validated record of one audit (schemas/results.schema.json), and its JSON
// Lines twin results.jsonl (one dataset per line, for jq and other streaming readers). A whole portal's results are
// longer than a JavaScript string may be, so the file is written dataset by dataset — byte for byte what
// resultsJson gives for results that fit in one string — and each dataset is validated as it is written.
import type { AuditHeader, AuditResult, DatasetResult } from '../model.ts';
import { jsonText } from '../util/json-text.ts';
import { schemaPartValidator, validateWith } from '../util/schemas.ts';
import { withDatasets } from './results-stream.ts';

/** Returns the first schema violations (empty when the results are valid). */
export function validateResults(results: unknown): string[] {
  return validateWith('results', results).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** Schema violations of one dataset at position `n` (paths as in the whole file: /datasets/n/…). */
export function validateDataset(d: DatasetResult, n: number): string[] {
  const v = schemaPartValidator('results', '#/definitions/dataset');
  return v(d) ? [] : (v.errors ?? []).slice(0, 10).map((e) => `/datasets/${n}${e.instancePath} ${e.message}`);
}

/** results.json of results held in memory: the same bytes as the pieces below give, written one by one. */
export function resultsJson(results: AuditResult): string {
  const p = resultsJsonPieces(results);
  return p.head + results.datasets.map((d, n) => p.dataset(d, n)).join('') + p.tail(results.datasets.length);
}

/** A placeholder no results text can contain (a NUL character, which JSON always escapes). */
const MARKER = '\u0000odbadge-datasets\u0000';

/**
 * results.json in pieces: `head`, then `dataset(d, n)` for each dataset in order, then `tail`. The envelope is
 * indented for reading; each dataset is one compact line (a line per dataset, as in results.jsonl): indenting every
 * level of a dataset's indicators and messages doubled a portal's file (≈ 1 GB at 53,000 datasets) for no reader.
 */
export function resultsJsonPieces(header: AuditHeader | AuditResult): { head: string; dataset: (d: DatasetResult, n: number) => string; tail: (count: number) => string } {
  const text = jsonText(withDatasets(header, MARKER), 2) + '\n';
  const at = text.indexOf(JSON.stringify(MARKER));
  const before = text.slice(0, at);
  const after = text.slice(at + JSON.stringify(MARKER).length);
  return {
    head: before,
    dataset: (d, n) => `${n === 0 ? '[\n    ' : ',\n    '}${jsonText(d)}`,
    tail: (count) => `${count === 0 ? '[]' : '\n  ]'}${after}`,
  };
}

/** One dataset's line of results.jsonl. */
export function resultsJsonLine(d: DatasetResult): string {
  return jsonText(d) + '\n';
}

/** Schema violations of the envelope (checked with no datasets; those are checked one by one). */
export function validateHeader(header: AuditHeader): string[] {
  return validateResults(withDatasets(header, []));
}
