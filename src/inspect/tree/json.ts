// JSON inspector: well-formedness with a precise error position, where the records are, their fields, and
// whether the body is really an error message or a capped page of results.
//
// Messages do not repeat the error's own line/column (callers print those from the fields); they do name other
// positions, such as where an unclosed array was opened.
// Positions: a leading BOM is dropped first (editors do not show it), so `offset` is a 0-based UTF-16 index into
// the text after the BOM and `line`/`column` are 1-based; lines end at LF, CRLF or CR.
// Malformed documents still get a `shape`, guessed from the first character: '[' → array, '{' → object.

import { locateJsonError } from './json-syntax.ts';
import { lineColumnAt } from './json-position.ts';
import {
  MAX_FIELDS, MAX_RECORDS_FOR_FIELDS, featureProperties, findRecordArray, isGeoJsonFeature, isPlainObject,
  pathToString, unionKeys,
} from './json-records.ts';
import { errorMessageOf } from './json-error-body.ts';
import type { LimitHit } from '../../model.ts';
import { DEFAULT_INSPECT_LIMITS, limitHit } from '../limits.ts';

export interface JsonFacts {
  ok: boolean;
  error?: { message: string; line?: number; column?: number; offset?: number };
  shape: 'array' | 'wrapped' | 'geojson' | 'jsonl' | 'object' | 'scalar' | 'empty';
  /** Where the records sit inside a wrapper, e.g. `result.records`; `features` for GeoJSON. */
  recordsPath?: string;
  recordCount?: number;
  /** Union of record keys in first-seen order (GeoJSON: of `properties`). */
  fields: string[];
  /** The body is an error / no-data message instead of data. */
  errorMessage?: string;
  /** The record count is exactly a common page size: the API may have silently capped the result. */
  possiblyTruncated?: boolean;
  /** A well-formed document beyond an inspection limit (nesting, string length): `ok` stays true, the resource fails. */
  limit?: LimitHit;
}

export interface JsonLimits {
  maxDepth: number;
  maxStringChars: number;
}

/** Page sizes APIs cap at; a result of exactly this many records is suspicious. */
export const ROUND_PAGE_SIZES: readonly number[] = [100, 500, 1000, 2000, 5000, 10000];

export function inspectJson(text: string, limits: JsonLimits = { maxDepth: DEFAULT_INSPECT_LIMITS.maxJsonDepth, maxStringChars: DEFAULT_INSPECT_LIMITS.maxJsonStringChars }): JsonFacts {
  try {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const facts = inspect(body);
    if (facts.ok) {
      const limit = jsonLimit(body, limits);
      if (limit) facts.limit = limit;
    }
    return facts;
  } catch (e) {
    // Last line of defence: a bad body must become a finding, never a crash of the audit.
    return { ok: false, error: { message: `JSON could not be inspected: ${(e as Error)?.message ?? String(e)}` }, shape: 'empty', fields: [] };
  }
}

function inspect(body: string): JsonFacts {
  if (/^[\s]*$/.test(body)) {
    return { ok: false, error: { message: 'Empty body: no JSON value', line: 1, column: 1, offset: 0 }, shape: 'empty', fields: [] };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    if (looksLikeJsonLines(body)) return inspectJsonLines(body);
    return malformed(body, e);
  }
  return withTruncation(describeValue(value));
}

function malformed(body: string, parseError: unknown): JsonFacts {
  const first = body.trimStart()[0];
  const shape: JsonFacts['shape'] = first === '[' ? 'array' : first === '{' ? 'object' : 'scalar';
  const found = locateJsonError(body);
  if (!found) {
    // The engine rejected something our scanner accepts: keep its words rather than invent a position.
    return { ok: false, error: { message: `Not valid JSON: ${(parseError as Error)?.message ?? 'parse failed'}` }, shape, fields: [] };
  }
  const { line, column } = lineColumnAt(body, found.offset);
  return {
    ok: false,
    error: { message: `Not valid JSON: ${found.message}`, line, column, offset: found.offset },
    shape,
    fields: [],
  };
}

function describeValue(value: unknown): JsonFacts {
  if (Array.isArray(value)) return describeTopArray(value);
  if (!isPlainObject(value)) {
    const errorMessage = errorMessageOf(value, false);
    return { ok: true, shape: 'scalar', fields: [], ...(errorMessage ? { errorMessage } : {}) };
  }
  if (value.type === 'FeatureCollection' && Array.isArray(value.features)) {
    const features = value.features;
    return { ok: true, shape: 'geojson', recordsPath: 'features', recordCount: features.length, fields: unionKeys(features, featureProperties) };
  }
  if (isGeoJsonFeature(value)) {
    return { ok: true, shape: 'geojson', recordCount: 1, fields: unionKeys([value.properties]) };
  }
  const found = findRecordArray(value);
  const hasRecords = !!found && found.array.length > 0;
  const errorMessage = errorMessageOf(value, hasRecords);
  const extra = errorMessage ? { errorMessage } : {};
  if (!found) return { ok: true, shape: 'object', fields: [], ...extra };
  // A FeatureCollection inside an envelope: the attributes are still under `properties`.
  const pick = isGeoJsonFeature(found.array[0]) ? featureProperties : undefined;
  return {
    ok: true,
    shape: 'wrapped',
    recordsPath: pathToString(found.path),
    recordCount: found.array.length,
    fields: unionKeys(found.array, pick),
    ...extra,
  };
}

function describeTopArray(a: unknown[]): JsonFacts {
  // [["名稱","人口"],["甲",1],…]: a table with its header as the first row.
  if (a.length > 0 && a.every(Array.isArray)) {
    const head = a[0] as unknown[];
    if (head.length > 0 && head.every((h) => typeof h === 'string')) {
      return { ok: true, shape: 'array', recordCount: a.length - 1, fields: (head as string[]).slice(0, MAX_FIELDS) };
    }
  }
  const pick = isGeoJsonFeature(a[0]) ? featureProperties : undefined;
  return { ok: true, shape: 'array', recordCount: a.length, fields: unionKeys(a, pick) };
}

function withTruncation(f: JsonFacts): JsonFacts {
  if (f.recordCount !== undefined && ROUND_PAGE_SIZES.includes(f.recordCount)) f.possiblyTruncated = true;
  return f;
}

// ---------------------------------------------------------------- JSON Lines

interface Line {
  start: number;
  end: number;
  number: number;
}

/** Lines with their offsets; LF, CRLF and lone CR all end a line. */
function* lines(body: string): Generator<Line> {
  let start = 0;
  let number = 1;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 10 || c === 13) {
      yield { start, end: i, number };
      if (c === 13 && body.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
      number++;
    }
  }
  if (start < body.length) yield { start, end: body.length, number };
}

function isBlank(body: string, l: Line): boolean {
  for (let i = l.start; i < l.end; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

function parsesAsObject(s: string): boolean {
  try {
    return isPlainObject(JSON.parse(s));
  } catch {
    return false;
  }
}

/**
 * One object per line: at least two non-blank lines, the first starting with '{', and at least half of the
 * first five parsing as objects on their own. A pretty-printed document fails this (its first line is a bare
 * '{' or '['), so its error is reported as a JSON error, not a JSON Lines error.
 */
function looksLikeJsonLines(body: string): boolean {
  const sample: string[] = [];
  let nonBlank = 0;
  for (const l of lines(body)) {
    if (isBlank(body, l)) continue;
    nonBlank++;
    if (sample.length < 5) sample.push(body.slice(l.start, l.end).trim());
    if (nonBlank >= 5) break;
  }
  if (nonBlank < 2 || !sample[0].startsWith('{')) return false;
  const good = sample.filter(parsesAsObject).length;
  return good >= 1 && good * 2 >= sample.length;
}

function inspectJsonLines(body: string): JsonFacts {
  const seen = new Set<string>();
  let recordCount = 0;
  let badLines = 0;
  let error: JsonFacts['error'];
  for (const l of lines(body)) {
    if (isBlank(body, l)) continue;
    let value: unknown;
    try {
      value = JSON.parse(body.slice(l.start, l.end));
    } catch (e) {
      badLines++;
      if (!error) {
        const found = locateJsonError(body, l.start, l.end);
        const offset = found ? found.offset : l.start;
        const column = offset - l.start + 1;
        const why = found ? found.message : ((e as Error)?.message ?? 'parse failed');
        error = { message: `Not a valid JSON Lines record: ${why}`, line: l.number, column, offset };
      }
      continue;
    }
    if (!isPlainObject(value)) continue;
    recordCount++;
    if (recordCount <= MAX_RECORDS_FOR_FIELDS && seen.size < MAX_FIELDS) for (const k of Object.keys(value)) seen.add(k);
  }
  if (error && badLines > 1) error.message += ` (${badLines} bad lines in total)`;
  return withTruncation({
    ok: !error,
    ...(error ? { error } : {}),
    shape: 'jsonl',
    recordCount,
    fields: [...seen].slice(0, MAX_FIELDS),
  });
}

// ---------------------------------------------------------------- limits

/**
 * The first inspection limit a well-formed JSON text goes past: nesting deeper than maxDepth, or a string (member
 * names included) longer than maxStringChars as written. One linear pass; strings are skipped with indexOf.
 */
export function jsonLimit(body: string, limits: JsonLimits): LimitHit | undefined {
  let depth = 0;
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c === 0x22) {
      let from = i + 1;
      for (;;) {
        const q = body.indexOf('"', from);
        if (q < 0) return undefined; // not well-formed after all: not this function's business
        let b = q - 1;
        while (body.charCodeAt(b) === 0x5c) b--;
        if ((q - 1 - b) % 2 === 0) {
          const length = q - i - 1;
          if (length > limits.maxStringChars) {
            const { line, column } = lineColumnAt(body, i);
            return limitHit('maxJsonStringChars', limits.maxStringChars, `a string at line ${line}, column ${column} has ${length} characters`, { observed: length, where: `line ${line}, column ${column}` });
          }
          i = q + 1;
          break;
        }
        from = q + 1;
      }
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) {
        const { line, column } = lineColumnAt(body, i);
        return limitHit('maxJsonDepth', limits.maxDepth, `arrays and objects nest more than ${limits.maxDepth} levels deep (line ${line}, column ${column})`, { observed: depth, where: `line ${line}, column ${column}` });
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
    i++;
  }
  return undefined;
}
