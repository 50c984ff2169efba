// The audit pipeline: catalogue → fetch → inspect → rules → score. Streams the catalogue, keeps a bounded number
// of datasets in flight, fetches each distinct URL once and drops bodies as soon as they are inspected.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { enrichFromApiV2 } from './catalog/datagovtw.ts';
import { readCatalog } from './catalog/index.ts';
import { Fetcher, catalogHttpOf, type FetchOptions } from './fetch/index.ts';
import { inspectResource } from './inspect/index.ts';
import { validateOpenApi } from './inspect/openapi/index.ts';
import { inspectFile } from './inspect/stream.ts';
import type { InspectLimits } from './inspect/limits.ts';
import type { AgencyScore, AuditProgress, AuditResult, Dataset, DatasetResult, FetchOutcome, Finding, IndicatorResult, ResourceFacts } from './model.ts';
import { finding, msg } from './messages/index.ts';
import { RULES } from './rules/index.ts';
import { toIndicatorResult } from './rules/rule.ts';
import type { OasCheck, ResourceEvidence } from './rules/rule.ts';
import { scoreAgencies } from './score/agency-score.ts';
import { badgeOf, evaluateDataset } from './score/evaluate.ts';
import { indicatorIds, loadRuleset, parseRuleset, type Ruleset } from './score/ruleset.ts';
import { AuditHistory, catalogKeyOf, sha256, type Observed } from './store/audit-history.ts';
import { mostlyRefused } from './store/comparable.ts';
import { StoreError } from './store/errors.ts';
import type { Store } from './store/store.ts';
import { hasSecrets, redactDeep, redactUrl, urlSecrets } from './util/redact.ts';
import { ODBADGE_VERSION } from './version.ts';

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
  /**
   * History store: the run is recorded there dataset by dataset (so a killed audit can resume), resources are
   * requested conditionally and unchanged ones reuse their stored facts. Without it, nothing is recorded.
   */
  store?: Store;
  /** Continue this interrupted run of `store` (same catalogue and agency filter; its stored ruleset is used). */
  resumeRunId?: number;
  /** Conditional requests and reuse of stored facts when a store is given (default true). */
  incremental?: boolean;
  /** Extra options recorded with the run (the CLI records --out, so `--resume` needs nothing else). */
  runOptions?: Record<string, unknown>;
  /** Called when every dataset is done and the run is about to be scored and closed. */
  onPhase?: (phase: 'scoring') => void | Promise<void>;
  /** Called with each dataset's result as it is done (the CLI's --verbose lines). */
  onDataset?: (result: DatasetResult, progress: AuditProgress) => void;
  /** Inspection limits over ODBADGE_LIMITS and the defaults (`--limit`). */
  limits?: Partial<InspectLimits>;
}




type Fetched = Observed;

export function matchesAgency(agency: string, filter: string | undefined): boolean {
  if (!filter) return true;
  return filter.endsWith('*') ? agency.startsWith(filter.slice(0, -1)) : agency === filter;
}

/** Drops the body (already inspected) so thousands of outcomes do not hold megabytes each. */
function withoutBody(f: FetchOutcome): FetchOutcome {
  const { body: _body, bodyFile: _file, ...rest } = f;
  return rest;
}

/** SHA-256 (hex) of a spilled body, read streaming: the same digest the history store takes of one in memory. */
async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Spilled bodies are the large ones: at most two are inspected at once (one per core), so their inspection memory
 * stays bounded however many of them finished downloading together.
 */
const SPILLED_INSPECTIONS = 2;

/** Fetch options that can be written down (and so replayed by a resume): no functions. */
function recordableFetchOptions(f: Partial<FetchOptions> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f ?? {}).filter(([, v]) => v !== undefined && typeof v !== 'function'));
}

/**
 * Recent outcomes by key, oldest evicted first. Shared URLs are mostly adjacent in a catalogue, so a bounded
 * window of recent ones keeps the dedupe without holding every outcome of a 150,000-resource audit until the end.
 */
class Lru<V> {
  readonly #map = new Map<string, V>();
  readonly #capacity: number;
  constructor(capacity: number) {
    this.#capacity = capacity;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.#capacity) this.#map.delete(this.#map.keys().next().value!);
  }
}

/** Window sizes: every fetch slot busy across many hosts, yet a huge catalogue is never held at once. */
export function auditWindow(concurrency: number): { minDatasets: number; maxResources: number } {
  const minDatasets = Math.max(8, concurrency * 2);
  return { minDatasets, maxResources: Math.max(minDatasets, concurrency * 8) };
}

/**
 * The result of a dataset odbadge itself failed on: its resource indicators are `unsure` (we do not know), never
 * "the catalogue lists no resource", and the internal-error finding says why.
 */
export function failedDatasetResult(d: Dataset, rs: Ruleset, now: Date, message: string): DatasetResult {
  const unsure = (): IndicatorResult => toIndicatorResult({ verdict: 'unsure', message: msg('odbadge-failed', { error: message }) }, d.timeZone);
  let base: DatasetResult | undefined;
  try {
    base = evaluateDataset({ dataset: d, resources: [], oas: [] }, rs, now);
  } catch {
    // A dataset rule failed as well: every indicator is unknown.
  }
  const indicators: Record<string, IndicatorResult> = {};
  for (const id of indicatorIds(rs)) {
    const rule = RULES.get(id);
    indicators[id] = rule?.scope === 'dataset' && base?.indicators[id] ? base.indicators[id] : unsure();
  }
  return {
    id: d.id, title: d.title, agency: d.agency,
    ...(d.publishedAt ? { publishedAt: d.publishedAt } : {}),
    ...(d.usage ? { usage: d.usage } : {}),
    formats: d.resources.map((r) => r.declared.format ?? ''),
    badge: badgeOf(indicators, rs, d.whitelisted),
    officialBadge: d.officialBadge ?? null,
    whitelisted: d.whitelisted,
    bonus: !!rs.bonus && indicators[rs.bonus.indicator]?.verdict === 'pass',
    indicators,
    findings: [...d.findings],
    resources: [],
  };
}

/**
 * Deaths of the process (SIGKILL, out of memory) with a dataset in flight after which a resume records the dataset
 * as failed instead of auditing it again. The second death is the dataset's own: a resume audits every dataset
 * that was in flight at a death alone (see runAudit), so one poison resource costs two resumes, not the portal.
 */
export const POISON_AFTER_DEATHS = 2;

/** The finding of a dataset recorded as failed after POISON_AFTER_DEATHS deaths (detail.processDied: how many). */
function processDiedFinding(deaths: number): Finding {
  return finding('internal-error', { variant: 'process-died', deaths }, { processDied: deaths });
}

function sharesPoisonFinding(url: string, datasetId: string): Finding {
  return finding('internal-error', { variant: 'shares-poison', url: redactUrl(url), dataset: datasetId, deaths: POISON_AFTER_DEATHS }, { sharesResourceWith: datasetId });
}

/** A resource odbadge refused to request because it is on a private, loopback or link-local address. */
export function refusedAsPrivate(f: { kind: string; error?: string }): boolean {
  return f.kind === 'blocked' && /refused/.test(f.error ?? '') && /address/.test(f.error ?? '');
}

/** The run-level warning of a run whose resources were mostly refused as private addresses. */
export function mostlyRefusedWarning(refused: number, resources: number): Finding {
  return finding('mostly-refused-as-private', { refused, resources }, { refused, resources });
}

/** The secrets of a dataset's URLs (resources and API documents), to scrub from everything recorded about it. */
function datasetSecrets(d: Dataset): string[] {
  const out: string[] = [];
  for (const r of d.resources) {
    out.push(...urlSecrets(r.url));
    if (r.declared.oasUrl) out.push(...urlSecrets(r.declared.oasUrl));
  }
  return out;
}

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  if (opts.resumeRunId !== undefined && !opts.store) throw new Error('resumeRunId needs a store');
  const rs = opts.ruleset ?? loadRuleset();
  // The real catalogue URL is used to read it and kept in memory only; what is recorded and reported is redacted.
  // A resume of a run whose catalogue URL held secrets needs it given again (the run records which were masked).
  const catalogShown = redactUrl(opts.catalog);
  const masked = [hasSecrets(opts.catalog) ? 'catalog' : '', opts.enrichApiBase && hasSecrets(opts.enrichApiBase) ? 'enrichApiBase' : ''].filter(Boolean);
  const history = opts.store
    ? AuditHistory.start(opts.store, {
      rulesetId: rs.id, ruleset: rs, catalog: catalogShown,
      catalogKey: catalogKeyOf(catalogShown, opts.agency, opts.catalogKind),
      options: {
        catalog: catalogShown, agency: opts.agency, catalogKind: opts.catalogKind,
        enrichApiBase: opts.enrichApiBase === undefined ? undefined : redactUrl(opts.enrichApiBase),
        fetch: recordableFetchOptions(opts.fetch), incremental: opts.incremental ?? true, ...opts.runOptions,
        ...(masked.length ? { redacted: masked } : {}),
      },
      ...(opts.resumeRunId !== undefined ? { resumeRunId: opts.resumeRunId } : {}),
    }, opts.incremental ?? true)
    : undefined;
  try {
    return await audit(opts, rs, history);
  } finally {
    // Released however the session ends, so a run it did not finish is resumable at once.
    history?.end();
  }
}

async function audit(opts: AuditOptions, ruleset: Ruleset, history: AuditHistory | undefined): Promise<AuditResult> {
  let rs = ruleset;
  // Secrets of the catalogue and enrichment URLs: scrubbed from everything recorded or reported about the run.
  const runSecrets = [...urlSecrets(opts.catalog), ...(opts.enrichApiBase ? urlSecrets(opts.enrichApiBase) : [])];
  // A resumed run judges by the ruleset it started with, so its results match an uninterrupted run's.
  if (history?.resumed) rs = parseRuleset(history.run.ruleset, `ruleset stored with run ${history.run.id}`);
  // With history, time-dependent verdicts are judged as of the run's start: a run resumed tomorrow still agrees
  // with itself. Without, as of each dataset's evaluation (the original behaviour).
  const runStart = history ? new Date(history.run.startedAt) : undefined;
  const now = opts.now ?? (runStart ? () => runStart : () => new Date());
  const startedAt = history?.run.startedAt ?? new Date().toISOString();
  const fetcher = new Fetcher(opts.fetch);
  // The catalogue is read through the same guarded fetcher as the resources (src/catalog/http.ts).
  const catalogHttp = catalogHttpOf(fetcher);
  const spilledInspection = pLimit(SPILLED_INSPECTIONS);
  const { minDatasets, maxResources } = auditWindow(opts.fetch?.concurrency ?? 32);
  // In flight or recently done, per distinct URL: a bounded dedupe (see Lru). Further back, with a store, the
  // store's per-URL state of this run stands in; without one, a URL listed again far apart is fetched again.
  const byUrl = new Lru<Promise<Fetched>>(Math.max(1024, maxResources * 4));
  const oasByUrl = new Lru<Promise<OasCheck>>(256);
  /** Distinct URLs asked for in this session: for stats.distinctUrls and to know when the store holds this run's state. */
  const sessionUrls = new Set<string>();
  // The store keys per-URL state by the redacted URL, so two URLs that differ only in a secret share a key. The
  // first real URL seen for a key owns it; once another one shows up, stored state under that key is ambiguous and
  // neither is asked for conditionally nor reuses stored facts in this session.
  const keyOwner = new Map<string, string>();
  const sharedKeys = new Set<string>();
  const ambiguous = (url: string): boolean => {
    if (!hasSecrets(url)) return false;
    const key = redactUrl(url);
    const owner = keyOwner.get(key);
    if (owner === undefined) keyOwner.set(key, url);
    else if (owner !== url) sharedKeys.add(key);
    return sharedKeys.has(key);
  };
  const results: DatasetResult[] = [];
  const progress: AuditProgress = { datasetsDone: 0, datasetsSeen: 0, resourcesDone: 0, failures: 0, catalogDone: false };
  let catalogFindings = 0;
  let catalogError: string | undefined;
  let resourceCount = 0;

  /** What this run already recorded for `url` (evicted from the LRU), when it holds a body's facts. */
  const recordedThisRun = (url: string, declaredFormat: string | undefined): Fetched | undefined => {
    if (!history || !sessionUrls.has(url) || ambiguous(url)) return undefined;
    const s = history.store.urlState(url);
    if (!s || s.seenRun !== history.run.id || !s.hash || !s.fetch || !s.facts || s.declaredFormat !== (declaredFormat ?? '')) return undefined;
    const verdict = { ...(s.changedAt ? { changedAt: s.changedAt } : {}), changedThisRun: s.changedRun === history.run.id, seenBefore: s.firstRun < history.run.id };
    return { fetch: s.fetch, facts: s.facts, hash: s.hash, reused: true, verdict };
  };

  /** Facts of a body the fetcher spilled to disk: streamed, as a local file is (one read back whole if it was cut). */
  const inspectSpilled = (f: FetchOutcome & { bodyFile: string }, declaredFormat: string | undefined): Promise<ResourceFacts> =>
    spilledInspection(async () => {
      // The streaming entry has no "cut at the cap" hint yet, and a cut last row must not count against the file:
      // a truncated body (at most maxBytes) is read back and judged like one that stayed in memory.
      if (f.truncated) {
        return inspectResource({ body: new Uint8Array(await readFile(f.bodyFile)), contentType: f.contentType, url: f.finalUrl, declaredFormat, truncated: true, limits: opts.limits });
      }
      return inspectFile(f.bodyFile, { contentType: f.contentType, url: f.finalUrl, declaredFormat }, { streamAbove: 0, limits: opts.limits });
    });

  const observe = async (url: string, declaredFormat: string | undefined): Promise<Fetched> => {
    const prior = ambiguous(url) ? undefined : history?.prior(url, declaredFormat);
    const headers = history?.conditionalHeaders(prior);
    const f = await fetcher.fetch(url, headers ? { headers } : {});
    let out: Fetched;
    try {
      if (prior && headers && f.status === 304) {
        out = history!.reuseNotModified(prior, f);
      } else {
        let facts: ResourceFacts | undefined;
        let hash: string | undefined;
        let reused = false;
        if (f.kind === 'ok' || f.kind === 'too-large') {
          const file = f.bodyFile;
          const body = f.body ?? new Uint8Array(0);
          if (history) {
            hash = file ? await sha256File(file) : sha256(body);
            facts = history.reuseSameContent(prior, f, hash);
            reused = !!facts;
          }
          facts ??= file
            ? await inspectSpilled({ ...f, bodyFile: file }, declaredFormat)
            : await inspectResource({ body, contentType: f.contentType, url: f.finalUrl, declaredFormat, truncated: f.truncated, limits: opts.limits });
        }
        // The fetcher redacts what it reports; facts quote the body, which may echo a token back. Both are kept
        // (in memory, and in the store) only scrubbed of this URL's secrets.
        const secrets = [...urlSecrets(url), ...runSecrets];
        out = { fetch: redactDeep(withoutBody(f), secrets), facts: redactDeep(facts, secrets), hash, reused };
      }
    } finally {
      // Inspected: the body's share of the memory budget goes back, its spill file (if any) is deleted.
      await fetcher.release(f);
    }
    if (history) out.verdict = history.record(url, out, declaredFormat, f.headers);
    progress.resourcesDone++;
    if (out.fetch.kind !== 'ok') progress.failures++;
    return out;
  };

  const fetchAndInspect = (url: string, declaredFormat?: string): Promise<Fetched> => {
    let p = byUrl.get(url);
    if (!p) {
      const again = recordedThisRun(url, declaredFormat);
      p = again ? Promise.resolve(again) : observe(url, declaredFormat);
      sessionUrls.add(url);
      byUrl.set(url, p);
    }
    return p;
  };

  const checkOas = (url: string): Promise<OasCheck> => {
    let p = oasByUrl.get(url);
    if (!p) {
      p = (async () => {
        const f = await fetcher.fetch(url);
        try {
          if (f.kind !== 'ok' || (!f.body && !f.bodyFile)) return { url, fetch: withoutBody(f) };
          const text = f.body ? new TextDecoder('utf-8').decode(f.body) : await readFile(f.bodyFile!, 'utf8');
          const report = await validateOpenApi(text, { filename: redactUrl(url) });
          return { url, fetch: withoutBody(f), report };
        } finally {
          await fetcher.release(f);
        }
      })();
      oasByUrl.set(url, p);
    }
    return p;
  };

  const processDataset = async (index: number, d: Dataset): Promise<DatasetResult> => {
    if (opts.enrichApiBase && d.findings.every((x) => x.code !== 'catalog-row-malformed')) {
      d = await enrichFromApiV2(d, opts.enrichApiBase, { http: catalogHttp, signal: opts.signal });
    }
    const observed = await Promise.all(d.resources.map((r) => fetchAndInspect(r.url, r.declared.format)));
    const resources: ResourceEvidence[] = d.resources.map((r, i) => ({
      resource: r, fetch: observed[i].fetch, facts: observed[i].facts,
      ...(observed[i].verdict?.changedAt ? { contentChangedAt: observed[i].verdict!.changedAt } : {}),
    }));
    const oasUrls = [...new Set(d.resources.map((r) => r.declared.oasUrl).filter((u): u is string => !!u))];
    const oas = await Promise.all(oasUrls.map(checkOas));
    // Evidence and findings quote URLs, server messages and catalogue text: recorded and reported only redacted.
    const result = redactDeep(evaluateDataset({ dataset: d, resources, oas }, rs, now()), [...runSecrets, ...datasetSecrets(d)]);
    if (history) {
      const h = history.historyFindings(d, observed);
      result.findings.push(...h.findings);
      saveDataset(index, d, result, h.contentChanged, d.resources.map((r, i) => ({ url: r.url, ...observed[i] })));
    }
    return result;
  };

  const finishDataset = (index: number, result: DatasetResult) => {
    results[index] = result;
    progress.datasetsDone++;
    opts.onProgress?.({ ...progress });
    opts.onDataset?.(result, { ...progress });
  };

  const saveDataset = (idx: number, d: Dataset, result: DatasetResult, contentChanged: boolean | null, res: (Observed & { url: string })[]) => {
    if (!history) return;
    const s = fetcher.stats;
    history.store.saveDataset({
      runId: history.run.id, idx, result, contentChanged, metadataUpdatedAt: d.metadataUpdatedAt,
      resources: res.map((r) => ({ url: r.url, fetch: r.fetch, facts: r.facts, hash: r.hash, reused: r.reused })),
      bytes: { bytes: history.baseBytes.bytes + s.bytes, wireBytes: history.baseBytes.wireBytes + s.wireBytes },
    });
  };

  // Bounded window, sized by resources in flight rather than datasets: a stretch of one host's datasets then leaves
  // the fetcher other hosts to choose from. At least minDatasets datasets, whatever their size.
  const inFlight = new Set<Promise<void>>();
  let resourcesInFlight = 0;
  // One waiter woken when any dataset finishes: Promise.race over the whole window would attach a reaction to
  // every in-flight promise per dataset read (quadratic microtasks, and memory on long-pending promises).
  let wake: (() => void) | undefined;
  const slotFreed = () => new Promise<void>((r) => { wake = r; });
  let fatal: unknown;
  history?.keepAlive((e) => (fatal ??= e));
  /** Resource URLs of datasets recorded as failed after killing the process: other datasets listing them are too. */
  const poisoned = new Map<string, string>();

  /** Admits one dataset into the window (or records it at once); resolves when there is room for the next. */
  const admit = async (at: number, d: Dataset): Promise<void> => {
    const stored = history?.storedResult(at, d.id);
    if (stored) {
      if (stored.findings.some((f) => f.code === 'internal-error' && f.detail?.processDied !== undefined)) {
        for (const r of d.resources) poisoned.set(r.url, d.id);
      }
      // Finished by an earlier session of this run: never fetched, judged or written twice.
      finishDataset(at, stored);
      return;
    }
    const died = history?.diedOn(at, d.id) ?? 0;
    const shared = d.resources.find((r) => poisoned.has(r.url));
    if (died >= POISON_AFTER_DEATHS || shared) {
      const finding = shared ? sharesPoisonFinding(shared.url, poisoned.get(shared.url)!) : processDiedFinding(died);
      if (!shared) for (const r of d.resources) poisoned.set(r.url, d.id);
      d.findings.push(finding);
      const r = redactDeep(failedDatasetResult(d, rs, now(), finding.message), [...runSecrets, ...datasetSecrets(d)]);
      saveDataset(at, d, r, null, []);
      finishDataset(at, r);
      return;
    }
    // In flight at a death: audited alone, so that if it is the culprit, the next death is charged to it only.
    const alone = died > 0;
    if (alone) while (inFlight.size) await slotFreed();
    history?.startAttempt(at, d.id);
    const weight = Math.max(1, d.resources.length);
    resourcesInFlight += weight;
    const p = processDataset(at, d)
      .catch((e: unknown) => {
        if (e instanceof StoreError) throw e;
        // A bug or an unexpected input in one dataset must not cost the audit the others' results.
        d.findings.push(finding('internal-error', { variant: 'exception', error: String((e as Error)?.stack ?? e) }));
        const r = redactDeep(failedDatasetResult(d, rs, now(), (e as Error)?.message ?? String(e)), [...runSecrets, ...datasetSecrets(d)]);
        saveDataset(at, d, r, null, []);
        return r;
      })
      .then((r) => finishDataset(at, r))
      .catch((e: unknown) => {
        // The store failed (disk full, file corrupted under us) or onProgress threw: stop reading, report it
        // after the in-flight work.
        fatal ??= e;
      })
      .finally(() => {
        inFlight.delete(p);
        resourcesInFlight -= weight;
        wake?.();
        wake = undefined;
      });
    inFlight.add(p);
    if (alone) while (inFlight.size) await slotFreed();
    while (inFlight.size >= minDatasets && (resourcesInFlight >= maxResources || inFlight.size >= maxResources)) {
      await slotFreed();
    }
  };

  try {
    let index = 0;
    for await (const d of readCatalog(opts.catalog, { signal: opts.signal, kind: opts.catalogKind, agency: opts.agency, http: catalogHttp })) {
      if (opts.signal?.aborted || fatal) break;
      if (!matchesAgency(d.agency, opts.agency)) continue;
      progress.datasetsSeen++;
      catalogFindings += d.findings.length;
      resourceCount += d.resources.length;
      const at = index++;
      history?.seen(at, d.id);
      try {
        await admit(at, d);
      } catch (e) {
        // The store failed (a catalogue failure comes from the loop itself, below): stop reading.
        fatal ??= e;
        break;
      }
    }
    progress.catalogDone = true;
  } catch (e) {
    // The catalogue broke off (network, malformed file): keep every dataset already read and say so.
    catalogError = redactDeep((e as Error)?.message ?? String(e), runSecrets);
  }
  try {
    await Promise.all(inFlight);
  } finally {
    await fetcher.close();
  }
  if (fatal) throw fatal;

  const datasets = results.filter(Boolean);
  const stats = fetcher.stats;
  const complete = !catalogError && !opts.signal?.aborted;
  await opts.onPhase?.('scoring');
  const agencies = scoreAgencies(datasets, rs);
  const bytes = (history?.baseBytes.bytes ?? 0) + stats.bytes;
  const wireBytes = (history?.baseBytes.wireBytes ?? 0) + stats.wireBytes;
  const runStats = {
    resources: resourceCount, distinctUrls: sessionUrls.size, bytes, requests: stats.requests, retries: stats.retries,
    ...(history ? { wireBytes, reusedResources: history.reusedResources } : {}),
  };
  const finishedAt = new Date().toISOString();
  // A catalogue that could not be read at all leaves nothing to resume or compare with: only the error to report.
  const discard = !!history && !history.resumed && !!catalogError && datasets.length === 0 && !opts.signal?.aborted;
  // A run whose resources were mostly refused measured the guard, not the portal: a warning in the results, and no
  // baseline (the count is recorded with the run; see store/comparable.ts).
  const privateRefused = datasets.reduce((n, d) => n + d.resources.filter((r) => refusedAsPrivate(r.fetch)).length, 0);
  const warnings: Finding[] = mostlyRefused(privateRefused, resourceCount) ? [mostlyRefusedWarning(privateRefused, resourceCount)] : [];
  if (history && discard) history.store.discardRun(history.run.id);
  else if (history) {
    // A catalogue that changed between the sessions of a resumed run: results of datasets it no longer lists go.
    if (complete && history.resumed) history.dropUnseen();
    history.store.finishRun(history.run.id, {
      status: complete ? 'complete' : 'interrupted', finishedAt, catalogComplete: complete, catalogError,
      catalogFindings, stats: { ...runStats, privateRefused }, bytes, wireBytes, agencies,
    });
  }
  return {
    odbadge: ODBADGE_VERSION,
    ruleset: { id: rs.id, title: rs.title, source: rs.source },
    catalog: { source: redactUrl(opts.catalog), datasets: datasets.length, findings: catalogFindings, complete, ...(catalogError ? { error: catalogError } : {}) },
    startedAt,
    finishedAt,
    datasets,
    agencies,
    stats: runStats,
    ...(warnings.length ? { warnings } : {}),
    ...(history && !discard ? { run: { id: history.run.id, resumed: history.resumed, status: complete ? 'complete' as const : 'interrupted' as const, ...(history.run.previousRunId !== undefined ? { previousRunId: history.run.previousRunId } : {}) } } : {}),
  };
}

export type { Finding };
