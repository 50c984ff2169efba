// The audit pipeline: catalogue → fetch → inspect → rules → score. Streams the catalogue, keeps a bounded number
// of datasets in flight, fetches each distinct URL once and drops bodies as soon as they are inspected.
import { enrichFromApiV2 } from './catalog/datagovtw.ts';
import { readCatalog } from './catalog/index.ts';
import { Fetcher, type FetchOptions } from './fetch/index.ts';
import { inspectResource } from './inspect/index.ts';
import { validateOpenApi } from './inspect/openapi.ts';
import type { AgencyScore, Dataset, DatasetResult, FetchOutcome, Finding, ResourceFacts } from './model.ts';
import type { OasCheck, ResourceEvidence } from './rules/rule.ts';
import { scoreAgencies } from './score/agency-score.ts';
import { evaluateDataset } from './score/evaluate.ts';
import { loadRuleset, type Ruleset } from './score/ruleset.ts';

export interface AuditOptions {
  /** A catalogue: a data.gov.tw bulk export (URL or file), or any source a catalogue adapter accepts. */
  catalog: string;
  /** Force a catalogue adapter ("data.gov.tw", …) instead of choosing by the source. */
  catalogKind?: string;
  ruleset?: Ruleset;
  /** Only datasets of this agency; a trailing `*` matches by prefix (勞動部* = the ministry and its agencies). */
  agency?: string;
  fetch?: Partial<FetchOptions>;
  /** Base URL of the data.gov.tw API v2 for per-resource metadata, or undefined to use the export alone. */
  enrichApiBase?: string;
  now?: () => Date;
  onProgress?: (p: AuditProgress) => void;
  signal?: AbortSignal;
}

export interface AuditProgress {
  datasetsDone: number;
  datasetsSeen: number;
  resourcesDone: number;
  failures: number;
  catalogDone: boolean;
}

export interface AuditResult {
  odbadge: string;
  ruleset: { id: string; title: Ruleset['title']; source: string };
  catalog: { source: string; datasets: number; findings: number; complete: boolean; error?: string };
  startedAt: string;
  finishedAt: string;
  datasets: DatasetResult[];
  agencies: AgencyScore[];
  stats: { resources: number; distinctUrls: number; bytes: number; requests: number; retries: number };
}

export const ODBADGE_VERSION = '0.1.0';

interface Fetched {
  fetch: FetchOutcome;
  facts?: ResourceFacts;
}

export function matchesAgency(agency: string, filter: string | undefined): boolean {
  if (!filter) return true;
  return filter.endsWith('*') ? agency.startsWith(filter.slice(0, -1)) : agency === filter;
}

/** Drops the body (already inspected) so thousands of outcomes do not hold megabytes each. */
function withoutBody(f: FetchOutcome): FetchOutcome {
  const { body: _body, ...rest } = f;
  return rest;
}

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const rs = opts.ruleset ?? loadRuleset();
  const now = opts.now ?? (() => new Date());
  const startedAt = new Date().toISOString();
  const fetcher = new Fetcher(opts.fetch);
  const byUrl = new Map<string, Promise<Fetched>>();
  const oasByUrl = new Map<string, Promise<OasCheck>>();
  const results: DatasetResult[] = [];
  const progress: AuditProgress = { datasetsDone: 0, datasetsSeen: 0, resourcesDone: 0, failures: 0, catalogDone: false };
  let catalogFindings = 0;
  let catalogError: string | undefined;
  let resourceCount = 0;

  const fetchAndInspect = (url: string, declaredFormat?: string): Promise<Fetched> => {
    let p = byUrl.get(url);
    if (!p) {
      p = (async () => {
        const f = await fetcher.fetch(url);
        let facts: ResourceFacts | undefined;
        if (f.kind === 'ok' || f.kind === 'too-large') {
          facts = await inspectResource({ body: f.body ?? new Uint8Array(0), contentType: f.contentType, url: f.finalUrl, declaredFormat, truncated: f.truncated });
        }
        progress.resourcesDone++;
        if (f.kind !== 'ok') progress.failures++;
        return { fetch: withoutBody(f), facts };
      })();
      byUrl.set(url, p);
    }
    return p;
  };

  const checkOas = (url: string): Promise<OasCheck> => {
    let p = oasByUrl.get(url);
    if (!p) {
      p = (async () => {
        const f = await fetcher.fetch(url);
        if (f.kind !== 'ok' || !f.body) return { url, fetch: withoutBody(f) };
        const report = await validateOpenApi(new TextDecoder('utf-8').decode(f.body), { filename: url });
        return { url, fetch: withoutBody(f), report };
      })();
      oasByUrl.set(url, p);
    }
    return p;
  };

  const processDataset = async (index: number, d: Dataset) => {
    if (opts.enrichApiBase && d.findings.every((x) => x.code !== 'catalog-row-malformed')) {
      d = await enrichFromApiV2(d, opts.enrichApiBase);
    }
    const resources: ResourceEvidence[] = await Promise.all(
      d.resources.map(async (r) => ({ resource: r, ...(await fetchAndInspect(r.url, r.declared.format)) })),
    );
    const oasUrls = [...new Set(d.resources.map((r) => r.declared.oasUrl).filter((u): u is string => !!u))];
    const oas = await Promise.all(oasUrls.map(checkOas));
    results[index] = evaluateDataset({ dataset: d, resources, oas }, rs, now());
    progress.datasetsDone++;
    opts.onProgress?.({ ...progress });
  };

  // Bounded window of datasets in flight: enough to keep every fetch slot busy, small enough that a
  // 150,000-resource catalogue is never held in memory at once.
  const window = Math.max(8, (opts.fetch?.concurrency ?? 32) * 2);
  const inFlight = new Set<Promise<void>>();
  try {
    let index = 0;
    for await (const d of readCatalog(opts.catalog, { signal: opts.signal, kind: opts.catalogKind })) {
      if (opts.signal?.aborted) break;
      if (!matchesAgency(d.agency, opts.agency)) continue;
      progress.datasetsSeen++;
      catalogFindings += d.findings.length;
      resourceCount += d.resources.length;
      const at = index++;
      const p = processDataset(at, d)
        .catch((e: unknown) => {
          // A bug or an unexpected input in one dataset must not cost the audit the others' results.
          d.findings.push({ code: 'internal-error', message: `odbadge failed on this dataset: ${(e as Error)?.stack ?? e}` });
          results[at] = evaluateDataset({ dataset: d, resources: [], oas: [] }, rs, now());
          progress.datasetsDone++;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    progress.catalogDone = true;
  } catch (e) {
    // The catalogue broke off (network, malformed file): keep every dataset already read and say so.
    catalogError = (e as Error)?.message ?? String(e);
  }
  try {
    await Promise.all(inFlight);
  } finally {
    await fetcher.close();
  }

  const datasets = results.filter(Boolean);
  const stats = fetcher.stats as { requests?: number; bytes?: number; retries?: number };
  return {
    odbadge: ODBADGE_VERSION,
    ruleset: { id: rs.id, title: rs.title, source: rs.source },
    catalog: { source: redactCatalog(opts.catalog), datasets: datasets.length, findings: catalogFindings, complete: !catalogError && !opts.signal?.aborted, ...(catalogError ? { error: catalogError } : {}) },
    startedAt,
    finishedAt: new Date().toISOString(),
    datasets,
    agencies: scoreAgencies(datasets, rs),
    stats: { resources: resourceCount, distinctUrls: byUrl.size, bytes: stats.bytes ?? 0, requests: stats.requests ?? 0, retries: stats.retries ?? 0 },
  };
}

function redactCatalog(s: string): string {
  try {
    const u = new URL(s);
    if (u.password || u.username) {
      u.username = '';
      u.password = '';
    }
    return u.protocol.startsWith('http') ? u.toString() : s;
  } catch {
    return s;
  }
}

export type { Finding };
