// Where the records sit in a parsed JSON document, and which fields they carry.
// Agencies wrap their rows in envelopes of any depth ({"result":{"records":[…]}}, {"data":[…]}); the records are
// taken to be the largest array of objects reachable through object members. The search never recurses (a
// document may be 100,000 levels deep) and visits a bounded number of nodes.

/** Nodes looked at while searching for the record array; envelopes are small, dictionaries can be huge. */
const MAX_VISITS = 20_000;
/** Envelopes deeper than this are not searched. */
const MAX_DEPTH = 64;
/** Field names are collected from at most this many records. */
export const MAX_RECORDS_FOR_FIELDS = 10_000;
/** No more field names than this are reported. */
export const MAX_FIELDS = 2_000;
/** Elements sampled to decide whether an array holds records (objects). */
const SAMPLE = 200;

export interface RecordArray {
  /** Object keys from the root to the array, e.g. ["result", "records"]. */
  path: string[];
  array: unknown[];
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when at least half of the sampled elements are objects: an array of records. */
function holdsRecords(a: unknown[]): boolean {
  const n = Math.min(a.length, SAMPLE);
  let objects = 0;
  for (let i = 0; i < n; i++) if (isPlainObject(a[i])) objects++;
  return n > 0 && objects * 2 >= n;
}

/**
 * The largest array of objects reachable from `root` through object members only (records' own nested arrays
 * are not candidates). Ties go to the shallower array, then to the first in document order. An empty array is
 * returned only when no non-empty one exists (`{"result":{"records":[]}}` → 0 records, not "no records found").
 */
export function findRecordArray(root: unknown): RecordArray | null {
  let best: RecordArray | null = null;
  let firstEmpty: RecordArray | null = null;
  // Breadth-first so that ties favour shallower arrays.
  const queue: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  let visits = 0;
  for (let q = 0; q < queue.length && visits < MAX_VISITS; q++) {
    const { value, path } = queue[q];
    visits++;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        if (!firstEmpty) firstEmpty = { path, array: value };
      } else if (holdsRecords(value) && (!best || value.length > best.array.length)) {
        best = { path, array: value };
      }
      continue;
    }
    if (!isPlainObject(value) || path.length >= MAX_DEPTH) continue;
    for (const key of Object.keys(value)) {
      if (queue.length >= MAX_VISITS) break;
      const child = value[key];
      if (typeof child === 'object' && child !== null) queue.push({ value: child, path: [...path, key] });
    }
  }
  return best ?? firstEmpty;
}

/** Union of the keys of the first records, in first-seen order. */
export function unionKeys(records: readonly unknown[], pick: (r: unknown) => unknown = (r) => r): string[] {
  const seen = new Set<string>();
  const n = Math.min(records.length, MAX_RECORDS_FOR_FIELDS);
  for (let i = 0; i < n && seen.size < MAX_FIELDS; i++) {
    const r = pick(records[i]);
    if (!isPlainObject(r)) continue;
    for (const k of Object.keys(r)) {
      seen.add(k);
      if (seen.size >= MAX_FIELDS) break;
    }
  }
  return [...seen];
}

/** GeoJSON Features keep their attributes under `properties`. */
export function isGeoJsonFeature(v: unknown): v is { type: 'Feature'; properties: unknown } {
  return isPlainObject(v) && v.type === 'Feature' && 'properties' in v;
}

export function featureProperties(v: unknown): unknown {
  return isGeoJsonFeature(v) ? v.properties : undefined;
}

const PLAIN_KEY = /^[^.\[\]"\s]+$/u;

/** `["result","records"]` → `result.records`; awkward keys in brackets: `data["a.b"]`. */
export function pathToString(path: readonly string[]): string {
  let out = '';
  for (const k of path) {
    if (PLAIN_KEY.test(k)) out += out === '' ? k : `.${k}`;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}
