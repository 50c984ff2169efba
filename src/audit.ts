// The audit pipeline: catalogue → fetch → inspect → rules → score. Streams the catalogue and keeps a bounded window
// of datasets in flight (pipeline/window.ts); each resource URL is observed once — fetched, inspected on a worker
// thread, recorded (pipeline/observer.ts, the unit of work and the only part that talks to the store about
// resources); each finished dataset is written where the results go and leaves memory (pipeline/finisher.ts).
// runAudit returns the results in memory (library callers, tests); startAudit hands them on as a stream, which is
// how the CLI writes a whole portal's outputs in bounded memory.
import { catalogEnricher, readCatalog } from './catalog/index.ts';
import { Fetcher, catalogHttpOf, type FetchOptions } from './fetch/index.ts';
import type { InspectLimits } from './inspect/limits.ts';
import { finding } from './messages/index.ts';
import type { AuditHeader, AuditProgress, AuditResult, AuditResults, Dataset, DatasetResult, Finding } from './model.ts';
import { collect } from './report/results-stream.ts';
import { loadRuleset, parseRuleset, type Ruleset } from './score/ruleset.ts';
import { AuditHistory, catalogKeyOf } from './store/audit-history.ts';
import { runWarnings } from './store/comparable.ts';
import { StoreError } from './store/errors.ts';
import type { HistoryStore, ResourceStats } from './store/history-store.ts';
import { hasSecrets, redactDeep, redactUrl, urlSecrets } from './util/redact.ts';
import { ODBADGE_VERSION } from './version.ts';
import { createInspector, defaultWorkers, type Inspector } from './pipeline/inspect-pool.ts';
import { Observer } from './pipeline/observer.ts';
import { auditWindow, InFlightWindow } from './pipeline/window.ts';
import { Finisher, type ResultSink } from './pipeline/finisher.ts';
import { auditDataset, failedDataset, type DatasetAuditContext } from './pipeline/dataset-audit.ts';
import { ResultSpool } from './pipeline/result-spool.ts';
import { Coordinator } from './pipeline/distributed/coordinator.ts';
import type { DatasetQueue } from './pipeline/distributed/queue.ts';

export { auditWindow } from './pipeline/window.ts';
export { refusedAsPrivate } from './pipeline/finisher.ts';
export { failedDatasetResult } from './score/evaluate.ts';

export interface AuditOptions {
  /** A catalogue: a data.gov.tw bulk export (URL or file), or any source a catalogue adapter accepts. */
  catalog: string;
  /** Force a catalogue adapter ("data.gov.tw", …) instead of choosing by the source. */
  catalogKind?: string;
  ruleset?: Ruleset;
  /** Only datasets of this agency; a trailing `*` matches by prefix (勞動部* = the ministry and its agencies). */
  agency?: string;
  fetch?: Partial<FetchOptions>;
  /** Base URL of the portal's API for per-dataset detail (data.gov.tw API v2), or undefined to use the listing alone. */
  enrichApiBase?: string;
  now?: () => Date;
  onProgress?: (p: AuditProgress) => void;
  signal?: AbortSignal;
  /**
   * History store: the run is recorded there dataset by dataset (so a killed audit can resume), resources are
   * requested conditionally and unchanged ones reuse their stored facts. Without it, nothing is recorded.
   */
  store?: HistoryStore;
  /** Continue this interrupted run of `store` (same catalogue and agency filter; its stored ruleset is used). */
  resumeRunId?: number;
  /** Conditional requests and reuse of stored facts when a store is given (default true). */
  incremental?: boolean;
  /** Extra options recorded with the run (the CLI records --out, so `--resume` needs nothing else). */
  runOptions?: Record<string, unknown>;
  /** Called when every dataset is done and the run is about to be scored and closed. */
  onPhase?: (phase: 'scoring') => void | Promise<void>;
  /** Inspection threads (default: one per core; 0 inspects on the main thread). */
  workers?: number;
  /** Called with each dataset's result as it is done (the CLI's --verbose lines). */
  onDataset?: (result: DatasetResult, progress: AuditProgress) => void;
  /** Inspection limits over ODBADGE_LIMITS and the defaults (`--limit`). */
  limits?: Partial<InspectLimits>;
  /**
   * A distributed audit (needs a PostgreSQL store): each dataset not yet recorded becomes a job on this queue, for
   * workers anywhere (`odbadge worker`) to audit; the audit waits until every one is recorded, then scores and closes
   * the run as a local one does. This process audits none itself unless the caller also runs a DistributedWorker.
   */
  distributed?: { queue: DatasetQueue };
}

/** An audit whose results are handed on as a stream; `dispose` once the outputs are written (a spill file goes). */
export interface AuditRun {
  results: AuditResults;
  /** The ruleset the run judged by (a resumed run's stored one). */
  ruleset: Ruleset;
  /** Resources refused as private addresses (the CLI warns when they are most of the catalogue). */
  privateRefused: number;
  dispose(): Promise<void>;
}

export function matchesAgency(agency: string, filter: string | undefined): boolean {
  if (!filter) return true;
  return filter.endsWith('*') ? agency.startsWith(filter.slice(0, -1)) : agency === filter;
}

/** Fetch options that can be written down (and so replayed by a resume): no functions. */
function recordableFetchOptions(f: Partial<FetchOptions> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(f ?? {}).filter(([, v]) => v !== undefined && typeof v !== 'function'));
}

/**
 * Deaths of the process (SIGKILL, out of memory) with a dataset in flight after which a resume records the dataset
 * as failed instead of auditing it again. The second death is the dataset's own: a resume audits every dataset
 * that was in flight at a death alone (see admit), so one poison resource costs two resumes, not the portal.
 */
export const POISON_AFTER_DEATHS = 2;

/** The finding of a dataset recorded as failed after POISON_AFTER_DEATHS deaths (detail.processDied: how many). */
function processDiedFinding(deaths: number): Finding {
  return finding('internal-error', { variant: 'process-died', deaths }, { processDied: deaths });
}

function sharesPoisonFinding(url: string, datasetId: string): Finding {
  return finding('internal-error', { variant: 'shares-poison', url: redactUrl(url), dataset: datasetId, deaths: POISON_AFTER_DEATHS }, { sharesResourceWith: datasetId });
}


/** Audits a catalogue and returns every result in memory: for library callers and tests (a portal: startAudit). */
export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const run = await startAudit(opts, { sink: 'memory' });
  try {
    return await collect(run.results);
  } finally {
    await run.dispose();
  }
}

/**
 * Audits a catalogue; the results stay where the finisher put them (the store, or a spill file without one) and are
 * read back as a stream. `sink: 'memory'` keeps them in memory instead (runAudit).
 */
export async function startAudit(opts: AuditOptions, o: { sink?: 'memory' } = {}): Promise<AuditRun> {
  if (opts.resumeRunId !== undefined && !opts.store) throw new Error('resumeRunId needs a store');
  const rs = opts.ruleset ?? loadRuleset();
  // The real catalogue URL is used to read it and kept in memory only; what is recorded and reported is redacted.
  // A resume of a run whose catalogue URL held secrets needs it given again (the run records which were masked).
  const catalogShown = redactUrl(opts.catalog);
  const masked = [hasSecrets(opts.catalog) ? 'catalog' : '', opts.enrichApiBase && hasSecrets(opts.enrichApiBase) ? 'enrichApiBase' : ''].filter(Boolean);
  const history = opts.store
    ? await AuditHistory.start(opts.store, {
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
  let spool: ResultSpool | undefined;
  try {
    const sink: ResultSink = history ? { kind: 'store', history } : o.sink === 'memory' ? { kind: 'memory' } : { kind: 'spool', spool: (spool = await ResultSpool.create()) };
    const run = await audit(opts, rs, history, sink);
    return { ...run, dispose: async () => spool?.dispose() };
  } catch (e) {
    await spool?.dispose();
    throw e;
  } finally {
    // Released however the session ends, so a run it did not finish is resumable at once.
    await history?.end();
  }
}

async function audit(opts: AuditOptions, ruleset: Ruleset, history: AuditHistory | undefined, sink: ResultSink): Promise<Omit<AuditRun, 'dispose'>> {
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
  const enrich = catalogEnricher(opts.catalog, { kind: opts.catalogKind, apiBase: opts.enrichApiBase, http: catalogHttp, signal: opts.signal });
  const sizes = auditWindow(opts.fetch?.concurrency ?? 32);
  const window = new InFlightWindow(sizes);
  // A coordinator inspects nothing (its workers do): no threads for it.
  const inspector: Inspector = createInspector(opts.distributed ? 0 : opts.workers ?? defaultWorkers());
  if (opts.distributed && history?.store.kind !== 'postgres') throw new StoreError('usage', history?.store.path ?? '', 'a distributed audit needs a PostgreSQL history store (--db postgres://…)');
  const coordinator = opts.distributed && history ? new Coordinator({
    queue: opts.distributed.queue, store: history.store, runId: history.run.id,
    secrets: {
      secrets: runSecrets, ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.enrichApiBase ? { enrich: { catalog: opts.catalog, apiBase: opts.enrichApiBase, ...(opts.catalogKind ? { kind: opts.catalogKind } : {}) } } : {}),
    },
  }) : undefined;
  const observer = new Observer({ fetcher, inspector, store: history, runSecrets, recent: Math.max(1024, sizes.maxResources * 4), ...(opts.limits ? { limits: opts.limits } : {}) });
  const finisher = new Finisher(sink);
  if (opts.onDataset) {
    const onDataset = opts.onDataset;
    finisher.onFinish = (r) => onDataset(r, { ...progress, datasetsDone: finisher.datasets });
  }
  finisher.bytes = () => {
    const s = fetcher.stats;
    return { bytes: (history?.baseBytes.bytes ?? 0) + s.bytes, wireBytes: (history?.baseBytes.wireBytes ?? 0) + s.wireBytes };
  };
  const progress: AuditProgress = { datasetsDone: 0, datasetsSeen: 0, resourcesDone: 0, failures: 0, catalogDone: false, bytes: 0 };
  let catalogFindings = 0;
  let catalogError: string | undefined;
  let resourceCount = 0;

  const report = () => {
    progress.datasetsDone = finisher.datasets;
    progress.resourcesDone = observer.stats.resourcesDone;
    progress.failures = observer.stats.failures;
    progress.bytes = fetcher.stats.bytes;
    opts.onProgress?.({ ...progress });
  };

  const unit: DatasetAuditContext = { ruleset: rs, now, runSecrets, observer, ...(enrich ? { enrich } : {}), ...(history ? { history } : {}) };
  const processDataset = async (idx: number, d: Dataset): Promise<void> => {
    const a = await auditDataset(unit, d);
    await finisher.finish({ idx, dataset: a.dataset, result: a.result, contentChanged: a.contentChanged, resources: a.resources });
  };

  /** A dataset odbadge could not audit, recorded with its internal-error finding (already among its findings). */
  const finishFailed = async (idx: number, d: Dataset, message: string) => {
    await finisher.finish({ idx, dataset: d, result: failedDataset(unit, d, message), contentChanged: null, resources: [] });
  };

  let fatal: unknown;
  history?.keepAlive((e) => (fatal ??= e));
  /** Resource URLs of datasets recorded as failed after killing the process: other datasets listing them are too. */
  const poisoned = new Map<string, string>();

  /** Admits one dataset into the window (or records it at once); resolves when there is room for the next. */
  const admit = async (at: number, d: Dataset): Promise<void> => {
    if (coordinator) {
      // Recorded by an earlier session (or its workers): not enqueued again. All results are read back at the end.
      if (!(await history?.storedResult(at, d.id))) await coordinator.add(at, d);
      return;
    }
    const stored = await history?.storedResult(at, d.id);
    if (stored) {
      if (stored.findings.some((f) => f.code === 'internal-error' && f.detail?.processDied !== undefined)) {
        for (const r of d.resources) poisoned.set(r.url, d.id);
      }
      // Finished by an earlier session of this run: never fetched, judged or written twice.
      await finisher.finish({ idx: at, dataset: d, result: stored, stored: true });
      report();
      return;
    }
    const died = history?.diedOn(at, d.id) ?? 0;
    const shared = d.resources.find((r) => poisoned.has(r.url));
    if (died >= POISON_AFTER_DEATHS || shared) {
      const finding = shared ? sharesPoisonFinding(shared.url, poisoned.get(shared.url)!) : processDiedFinding(died);
      if (!shared) for (const r of d.resources) poisoned.set(r.url, d.id);
      d.findings.push(finding);
      await finishFailed(at, d, finding.message);
      report();
      return;
    }
    // In flight at a death: audited alone, so that if it is the culprit, the next death is charged to it only.
    const alone = died > 0;
    if (alone) await window.empty();
    await history?.startAttempt(at, d.id);
    await window.run(Math.max(1, d.resources.length), () => processDataset(at, d)
      .catch((e: unknown) => {
        if (e instanceof StoreError) throw e;
        // A bug or an unexpected input in one dataset must not cost the audit the others' results.
        d.findings.push(finding('internal-error', { variant: 'exception', error: String((e as Error)?.stack ?? e) }));
        return finishFailed(at, d, (e as Error)?.message ?? String(e));
      })
      .then(report)
      .catch((e: unknown) => {
        // The store failed (disk full, file corrupted under us) or onProgress threw: stop reading, report it
        // after the in-flight work.
        fatal ??= e;
      }), alone);
  };

  /** Distributed: every dataset enqueued, wait for the workers, then take the results in as stored ones. */
  let distributedDone = true;
  const awaitWorkers = async (c: Coordinator) => {
    await c.flush();
    const done = await c.waitFor(seen, {
      signal: opts.signal,
      onProgress: (n) => {
        progress.datasetsDone = n;
        opts.onProgress?.({ ...progress });
      },
    });
    distributedDone = done >= seen;
    let i = 0;
    for await (const r of history!.store.iterateRunResults(history!.run.id, seen)) await finisher.finish({ idx: i++, result: r, stored: true });
    observed = await history!.store.resourceStats(history!.run.id);
  };
  let observed: ResourceStats | undefined;

  let seen = 0;
  try {
    try {
      for await (const d of readCatalog(opts.catalog, { signal: opts.signal, kind: opts.catalogKind, agency: opts.agency, http: catalogHttp })) {
        if (opts.signal?.aborted || fatal) break;
        if (!matchesAgency(d.agency, opts.agency)) continue;
        progress.datasetsSeen++;
        catalogFindings += d.findings.length;
        resourceCount += d.resources.length;
        const at = seen++;
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
      await window.drain();
      if (coordinator && !fatal) await awaitWorkers(coordinator);
    } finally {
      await fetcher.close();
      await inspector.close();
    }
  } catch (e) {
    fatal ??= e;
  }
  if (fatal) throw fatal;

  const stats = fetcher.stats;
  const complete = !catalogError && !opts.signal?.aborted && distributedDone;
  await opts.onPhase?.('scoring');
  const agencies = finisher.agencies(rs, seen);
  const bytes = (history?.baseBytes.bytes ?? 0) + stats.bytes;
  const wireBytes = (history?.baseBytes.wireBytes ?? 0) + stats.wireBytes;
  // Distributed: what the workers observed, from the store (their fetchers' counters are theirs).
  const runStats = observed
    ? { resources: resourceCount, distinctUrls: observed.distinctUrls, bytes: observed.bytes, requests: observed.requests, retries: observed.retries, wireBytes: observed.bytes, reusedResources: observed.reused }
    : {
      resources: resourceCount, distinctUrls: observer.distinctUrls, bytes, requests: stats.requests, retries: stats.retries,
      ...(history ? { wireBytes, reusedResources: observer.stats.reused } : {}),
    };
  const finishedAt = new Date().toISOString();
  // A catalogue that could not be read at all leaves nothing to resume or compare with: only the error to report.
  const discard = !!history && !history.resumed && !!catalogError && finisher.datasets === 0 && !opts.signal?.aborted;
  // A run whose resources were mostly refused measured the guard, not the portal: a warning in the results, and no
  // baseline (the count is recorded with the run; see store/comparable.ts).
  const warnings = runWarnings(finisher.privateRefused, resourceCount);
  if (history && discard) await history.store.discardRun(history.run.id);
  else if (history) {
    // A catalogue that changed between the sessions of a resumed run: results of datasets it no longer lists go.
    if (complete && history.resumed) await history.dropUnseen();
    // Recorded with the run only: a run whose resources were mostly refused is no baseline (see store/comparable.ts).
    // The run is complete once every dataset is recorded; its outputs are written after, and can be written again
    // from the store (`odbadge report --run <id>`) if that fails.
    await history.store.finishRun(history.run.id, {
      status: complete ? 'complete' : 'interrupted', finishedAt, catalogComplete: complete, catalogError,
      catalogFindings, stats: { ...runStats, privateRefused: finisher.privateRefused }, bytes: runStats.bytes, wireBytes: runStats.wireBytes ?? wireBytes, agencies,
    });
  }
  const header: AuditHeader = {
    odbadge: ODBADGE_VERSION,
    ruleset: { id: rs.id, title: rs.title, source: rs.source },
    catalog: { source: redactUrl(opts.catalog), datasets: finisher.datasets, findings: catalogFindings, complete, ...(catalogError ? { error: catalogError } : {}) },
    startedAt,
    finishedAt,
    agencies,
    stats: runStats,
    ...(warnings.length ? { warnings } : {}),
    ...(history && !discard ? { run: { id: history.run.id, resumed: history.resumed, status: complete ? 'complete' as const : 'interrupted' as const, ...(history.run.previousRunId !== undefined ? { previousRunId: history.run.previousRunId } : {}) } } : {}),
  };
  // A discarded run's rows are gone: there is nothing to read back (and nothing was audited).
  return { results: await finisher.results(header, discard ? 0 : seen), ruleset: rs, privateRefused: finisher.privateRefused };
}

export type { Finding };
