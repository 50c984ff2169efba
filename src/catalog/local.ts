// A local catalogue file (JSON or CSV, schemas/local-catalog.schema.json): an agency's own list of datasets and
// resource URLs, so it can check them in CI before publishing. Source syntax: `local:<path>`, a path ending in
// .json, or a .csv whose header has `title` and `urls` columns (anything else stays a data.gov.tw export).
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { validateWith } from '../util/schemas.ts';
import { parse } from 'csv-parse/sync';
import { finding, isTimeZone } from '../messages/index.ts';
import type { Dataset, Finding, Resource } from '../model.ts';
import { parseFrequency } from './frequency.ts';

export interface LocalResource {
  id?: string;
  url: string;
  format?: string;
  encoding?: string;
  fields?: string;
  description?: string;
  updatedAt?: string;
  isApi?: boolean;
  oasUrl?: string;
}
export interface LocalDataset {
  id?: string;
  title: string;
  agency?: string;
  frequency?: string;
  encoding?: string;
  fields?: string;
  formats?: string[];
  license?: string;
  description?: string;
  metadataUpdatedAt?: string;
  publishedAt?: string;
  resources: LocalResource[];
}
export interface LocalCatalog {
  agency?: string;
  /** IANA time zone of the catalogue's readers, for times in evidence; default UTC. */
  timeZone?: string;
  datasets: LocalDataset[];
}

/** The file does not match the schema; `problems` lists each violation with its JSON pointer. */
export class LocalCatalogError extends Error {
  readonly problems: { pointer: string; message: string }[];
  constructor(source: string, problems: { pointer: string; message: string }[]) {
    super(`local catalogue ${source} is invalid (schemas/local-catalog.schema.json):\n${problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n')}`);
    this.name = 'LocalCatalogError';
    this.problems = problems;
  }
}

async function validate(data: unknown): Promise<ErrorObject[]> {
  return validateWith('local-catalog', data);
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'required') return `missing required property "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'pattern' && /url|oasUrl/i.test(e.instancePath)) return 'must be an http(s) URL';
  if (e.keyword === 'pattern') return 'must be an ISO 8601 date or time (YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone])';
  return e.message ?? e.keyword;
}

export function isLocalSource(source: string): boolean {
  if (/^local:/i.test(source)) return true;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source)) return false;
  if (/\.json$/i.test(source)) return true;
  if (!/\.csv$/i.test(source)) return false;
  // A CSV is ours only when its header names our columns; the data.gov.tw export has Chinese column names.
  let fd: number | undefined;
  try {
    fd = openSync(source, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const header = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    return header.includes('title') && header.includes('urls');
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const splitList = (v: string | undefined) => (v ?? '').split(/[;\n]/).map((s) => s.trim()).filter(Boolean);

/** CSV → the JSON shape: one row per dataset, `urls` and `formats` separated by ';'. `oasUrl` goes on the first resource. */
export function localCatalogFromCsv(text: string): { catalog: LocalCatalog; lines: number[] } {
  const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, relax_column_count: false, trim: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  const lines: number[] = [];
  const datasets = rows.map(({ record: r, info }) => {
    lines.push(info.lines);
    const urls = splitList(r.urls);
    const formats = splitList(r.formats);
    const d: Record<string, unknown> = {};
    for (const k of ['id', 'title', 'agency', 'frequency', 'encoding', 'fields', 'license', 'description', 'metadataUpdatedAt', 'publishedAt']) if (r[k]) d[k] = r[k];
    for (const k of Object.keys(r)) if (!['urls', 'formats', 'oasUrl', 'id', 'title', 'agency', 'frequency', 'encoding', 'fields', 'license', 'description', 'metadataUpdatedAt', 'publishedAt'].includes(k)) d[k] = r[k];
    if (formats.length) d.formats = formats;
    d.resources = urls.map((url, i) => ({ url, ...(formats[i] ? { format: formats[i] } : {}), ...(i === 0 && r.oasUrl ? { oasUrl: r.oasUrl } : {}) }));
    return d as unknown as LocalDataset;
  });
  return { catalog: { datasets }, lines };
}

/** Reads and validates a local catalogue; throws LocalCatalogError listing every violation. */
export async function loadLocalCatalog(source: string): Promise<LocalCatalog> {
  const path = source.replace(/^local:/i, '');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`local catalogue: cannot read ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  let lines: number[] | undefined;
  if (/\.csv$/i.test(path)) {
    try {
      ({ catalog: data, lines } = localCatalogFromCsv(text));
    } catch (e) {
      throw new Error(`local catalogue ${path}: not a readable CSV: ${(e as Error).message}`);
    }
  } else {
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new Error(`local catalogue ${path}: not valid JSON: ${(e as Error).message}`);
    }
    if (Array.isArray(data)) data = { datasets: data }; // a bare list of datasets is accepted too
  }
  const errors = await validate(data);
  if (errors.length) {
    throw new LocalCatalogError(path, errors.slice(0, 50).map((e) => {
      const m = /^\/datasets\/(\d+)/.exec(e.instancePath);
      const line = m && lines ? ` (CSV line ${lines[Number(m[1])]})` : '';
      return { pointer: e.instancePath, message: describe(e) + line };
    }));
  }
  const zone = (data as LocalCatalog).timeZone;
  if (zone !== undefined && !isTimeZone(zone)) throw new LocalCatalogError(path, [{ pointer: '/timeZone', message: `"${zone}" is not an IANA time zone (e.g. Asia/Taipei)` }]);
  return data as LocalCatalog;
}

/** A time without zone is local time in Taiwan / Hong Kong (UTC+8), as the portals write it. */
function isoTime(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+08:00` : /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}+08:00`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function datasetFromLocal(e: LocalDataset, index: number, defaultAgency = '', timeZone = 'UTC'): Dataset {
  const id = e.id ?? `local-${index + 1}`;
  const findings: Finding[] = [];
  if (e.frequency && parseFrequency(e.frequency).kind === 'unknown') {
    findings.push(finding('catalog-frequency-unknown', { frequency: e.frequency, key: 'frequency' }, { frequency: e.frequency }));
  }
  const resources: Resource[] = e.resources.map((r, i) => ({
    id: r.id ?? `${id}#${i}`,
    url: r.url,
    declared: {
      ...(r.format ? { format: r.format } : {}),
      ...((r.encoding ?? e.encoding) ? { encoding: r.encoding ?? e.encoding } : {}),
      ...((r.fields ?? e.fields) ? { fields: r.fields ?? e.fields } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(isoTime(r.updatedAt) ? { updatedAt: isoTime(r.updatedAt) } : {}),
      ...(r.isApi !== undefined ? { isApi: r.isApi } : {}),
      ...(r.oasUrl ? { oasUrl: r.oasUrl } : {}),
    },
  }));
  const formats = e.formats ?? [...new Set(e.resources.map((r) => r.format).filter((f): f is string => !!f))];
  return {
    id,
    title: e.title,
    agency: e.agency ?? defaultAgency,
    source: 'local',
    timeZone,
    declared: {
      ...(e.frequency ? { frequency: e.frequency } : {}),
      ...(e.encoding ? { encoding: e.encoding } : {}),
      ...(e.fields ? { fields: e.fields } : {}),
      ...(formats.length ? { formats } : {}),
      ...(e.license ? { license: e.license } : {}),
      ...(e.description ? { description: e.description } : {}),
    },
    ...(isoTime(e.metadataUpdatedAt) ? { metadataUpdatedAt: isoTime(e.metadataUpdatedAt) } : {}),
    ...(isoTime(e.publishedAt) ? { publishedAt: isoTime(e.publishedAt) } : {}),
    officialBadge: null,
    whitelisted: false,
    findings,
    resources,
  };
}

export async function* readLocalCatalog(source: string): AsyncGenerator<Dataset> {
  const cat = await loadLocalCatalog(source);
  for (const [i, e] of cat.datasets.entries()) yield datasetFromLocal(e, i, cat.agency, cat.timeZone);
}
