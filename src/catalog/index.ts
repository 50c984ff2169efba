// Catalogue sources: every adapter yields the same normalised Dataset stream, and may add per-dataset detail from
// the portal's own API (enrichment). The pipeline calls readCatalog and catalogEnricher and never knows which portal
// a dataset came from.
import type { Dataset } from '../model.ts';
import { isCkanSource, readCkan } from './ckan.ts';
import { enrichFromApiV2, readDataGovTwExport } from './datagovtw.ts';
import { requireHttp, type CatalogHttp } from './http.ts';
import { isLocalSource, readLocalCatalog } from './local.ts';

export type { CatalogHttp } from './http.ts';

export interface CatalogReadOptions {
  signal?: AbortSignal;
  /** The HTTP client for network sources: the audit's guarded fetcher (local files need none). */
  http?: CatalogHttp;
  /** --agency, for adapters that can filter at the source (CKAN organisation); callers still filter by name. */
  agency?: string;
}

export interface EnrichContext {
  /** Base URL of the portal's API (e.g. data.gov.tw's API v2). */
  apiBase: string;
  http: CatalogHttp;
  signal?: AbortSignal;
}

export interface CatalogAdapter {
  /** e.g. "data.gov.tw", "ckan", "local" */
  kind: string;
  /** true when this adapter should read `source` (a URL or a file path). */
  accepts(source: string): boolean;
  read(source: string, opts: CatalogReadOptions): AsyncGenerator<Dataset>;
  /** Per-dataset detail the listing lacks, from the portal's API (--enrich). Never throws: problems are findings. */
  enrich?(dataset: Dataset, ctx: EnrichContext): Promise<Dataset>;
}

const dataGovTw: CatalogAdapter = {
  kind: 'data.gov.tw',
  accepts: () => true, // the fallback: a data.gov.tw-style bulk export CSV
  read: (source, opts) => readDataGovTwExport(source, { signal: opts.signal, http: opts.http }),
  // API v2's per-resource format, encoding, fields and OpenAPI URL; a row the export could not parse has no id to ask.
  enrich: (d, ctx) => (d.findings.some((x) => x.code === 'catalog-row-malformed') ? Promise.resolve(d) : enrichFromApiV2(d, ctx.apiBase, { http: ctx.http, signal: ctx.signal })),
};

const ckan: CatalogAdapter = {
  kind: 'ckan',
  accepts: isCkanSource, // ckan:<base>, …/api/3/action, https://data.gov.hk/{en,tc,sc}-data
  read: (source, opts) => readCkan(source, { signal: opts.signal, agency: opts.agency, http: requireHttp(opts.http, `CKAN ${source}`) }),
};

const local: CatalogAdapter = {
  kind: 'local',
  accepts: isLocalSource, // local:<path>, *.json, or a CSV with `title` and `urls` columns
  read: (source) => readLocalCatalog(source),
};

/** Adapters in the order they are asked; the first that accepts a source reads it. The last one accepts all. */
export const CATALOG_ADAPTERS: CatalogAdapter[] = [ckan, local, dataGovTw];

export function adapterFor(source: string, kind?: string): CatalogAdapter {
  if (kind) {
    const a = CATALOG_ADAPTERS.find((x) => x.kind === kind);
    if (!a) throw new Error(`unknown catalogue kind "${kind}" (known: ${CATALOG_ADAPTERS.map((x) => x.kind).join(', ')})`);
    return a;
  }
  return CATALOG_ADAPTERS.find((a) => a.accepts(source))!;
}

export function readCatalog(source: string, opts: CatalogReadOptions & { kind?: string } = {}): AsyncGenerator<Dataset> {
  return adapterFor(source, opts.kind).read(source, opts);
}

/** The enrichment step for a source's datasets, or undefined when there is no API base or the adapter has none. */
export function catalogEnricher(source: string, o: Partial<EnrichContext> & { kind?: string }): ((d: Dataset) => Promise<Dataset>) | undefined {
  const adapter = adapterFor(source, o.kind);
  if (!o.apiBase || !adapter.enrich) return undefined;
  const ctx: EnrichContext = { apiBase: o.apiBase, http: requireHttp(o.http, `${adapter.kind} API ${o.apiBase}`), signal: o.signal };
  return (d) => adapter.enrich!(d, ctx);
}
