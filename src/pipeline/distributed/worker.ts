// A worker of distributed audits: takes dataset jobs of any run from the PostgreSQL queue and audits each with the
// same unit of work as a local audit (pipeline/dataset-audit.ts: the observer, the rules, history's findings), then
// records the result in the shared store — idempotently, so a job retried after its worker died, or enqueued twice,
// records the dataset once. Politeness holds across every worker: requests take a per-host lease in PostgreSQL
// (store/pg-host-gate.ts) on top of this process's own limits, and a Retry-After pauses the host for all.
//
// Per run the worker keeps a context (its ruleset, fetcher, observer), made from what the run recorded when it
// started, so `odbadge worker` needs no option but the database: it audits exactly as the coordinator asked.
import pg from 'pg';
import { catalogEnricher } from '../../catalog/index.ts';
import { catalogHttpOf, Fetcher, HostGateUnavailable, type FetchOptions } from '../../fetch/index.ts';
import type { InspectLimits } from '../../inspect/limits.ts';
import { finding } from '../../messages/index.ts';
import type { Dataset } from '../../model.ts';
import { parseRuleset } from '../../score/ruleset.ts';
import { AuditHistory } from '../../store/audit-history.ts';
import { StoreError } from '../../store/errors.ts';
import type { HistoryStore } from '../../store/history-store.ts';
import { PgHostGate } from '../../store/pg-host-gate.ts';
import { isPgUnreachable } from '../../store/pg-reconnect.ts';
import { auditDataset, failedDataset, type DatasetAuditContext } from '../dataset-audit.ts';
import { createInspector, defaultWorkers, type Inspector } from '../inspect-pool.ts';
import { Observer } from '../observer.ts';
import { DATASET_QUEUE, DEAD_QUEUE, DatasetQueue, type DatasetJob } from './queue.ts';

/** What a job carries beyond the dataset: what the run's redacted record cannot give back (see queue.ts). */
export interface RunSecrets {
  /** The catalogue source as given (for enrichment), and the API base. */
  enrich?: { catalog: string; kind?: string; apiBase: string };
  /** Secrets of the run's own URLs, scrubbed from everything recorded. */
  secrets: string[];
  limits?: Partial<InspectLimits>;
}

export type WorkerJob = DatasetJob & RunSecrets;

export interface WorkerOptions {
  store: HistoryStore;
  queue: DatasetQueue;
  /** The database URL, for the host gate's own connection pool. */
  db: string;
  /** Datasets audited at once by this worker. */
  concurrency: number;
  /** Inspection threads (default one per core; 0 = on the main thread). */
  inspectThreads?: number;
  /** Told of each dataset recorded (progress, logs). */
  onDataset?: (runId: number, idx: number) => void;
  onError?: (e: unknown) => void;
}

interface RunContext {
  unit: DatasetAuditContext;
  history: AuditHistory;
  fetcher: Fetcher;
  gate: PgHostGate;
}

export class DistributedWorker {
  readonly #o: WorkerOptions;
  readonly #inspector: Inspector;
  readonly #pool: pg.Pool;
  readonly #runs = new Map<number, Promise<RunContext>>();
  #workIds: string[] = [];
  #stopped = false;

  private constructor(o: WorkerOptions) {
    this.#o = o;
    this.#inspector = createInspector(o.inspectThreads ?? defaultWorkers());
    this.#pool = new pg.Pool({ connectionString: o.db, max: Math.max(4, o.concurrency), application_name: 'odbadge-host-gate' });
    // A dropped idle connection (the database restarting) is an event on the pool; without a listener it would end
    // the process. The next query reconnects.
    this.#pool.on('error', (e) => o.onError?.(e));
  }

  /** Starts taking jobs at once. */
  static async start(o: WorkerOptions): Promise<DistributedWorker> {
    const w = new DistributedWorker(o);
    const boss = o.queue.boss;
    // pg-boss waits its polling interval after each fetch that took less; with LISTEN/NOTIFY on, that interval is the
    // 30 s backstop — a worker would finish its datasets and then idle 30 s while jobs wait. The backstop is the
    // base interval here, and while the queue has a backlog the worker fetches again at once.
    const every = Math.max(0.5, o.queue.timing.pollingIntervalSeconds);
    const polling = { pollingIntervalSeconds: every, notifyPollingIntervalSeconds: every, burstWhenReadyExceeds: 1 };
    w.#workIds.push(await boss.work<WorkerJob>(DATASET_QUEUE, { ...polling, localConcurrency: o.concurrency, batchSize: 1 }, async ([job]) => {
      await w.#audit(job.data);
    }));
    w.#workIds.push(await boss.work<WorkerJob>(DEAD_QUEUE, { ...polling, batchSize: 1 }, async ([job]) => {
      await w.#recordDead(job.data);
    }));
    return w;
  }

  /** Stops taking jobs, lets the ones in hand finish, and closes what the runs opened. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all([DATASET_QUEUE, DEAD_QUEUE].map((q) => this.#o.queue.boss.offWork(q, { wait: true })));
    for (const ctx of this.#runs.values()) {
      const c = await ctx.catch(() => undefined);
      if (!c) continue;
      await c.fetcher.close();
      await c.gate.close().catch(() => undefined); // its leases expire on their own
    }
    this.#runs.clear();
    await this.#inspector.close();
    await this.#pool.end().catch(() => undefined);
  }

  #context(job: WorkerJob): Promise<RunContext> {
    let ctx = this.#runs.get(job.runId);
    if (!ctx) {
      ctx = this.#open(job);
      this.#runs.set(job.runId, ctx);
      // A context that could not be made (the database away) is made again by the next job.
      ctx.catch(() => this.#runs.delete(job.runId));
    }
    return ctx;
  }

  async #open(job: WorkerJob): Promise<RunContext> {
    const store = this.#o.store;
    const run = await store.getRun(job.runId);
    if (!run) throw new StoreError('usage', store.path, `no run ${job.runId} in ${store.path}`);
    const ro = run.options as { fetch?: Partial<FetchOptions>; incremental?: boolean };
    const fetchOptions = ro.fetch ?? {};
    const perHost = fetchOptions.perHost ?? 4;
    const gate = await PgHostGate.open(this.#pool, { perHost, spacingMs: fetchOptions.perHostMinSpacingMs ?? 100, leaseMs: this.#o.queue.timing.hostLeaseSeconds * 1000 });
    const fetcher = new Fetcher(fetchOptions, { hostGate: gate });
    const history = AuditHistory.attach(store, run, ro.incremental ?? true);
    const observer = new Observer({
      fetcher, inspector: this.#inspector, store: history, runSecrets: job.secrets, recent: 4096, shared: true,
      ...(job.limits ? { limits: job.limits } : {}),
    });
    const enrich = job.enrich ? catalogEnricher(job.enrich.catalog, { kind: job.enrich.kind, apiBase: job.enrich.apiBase, http: catalogHttpOf(fetcher) }) : undefined;
    // As a local audit with history does: verdicts judged as of the run's start, so every worker agrees.
    const startedAt = new Date(run.startedAt);
    const unit: DatasetAuditContext = {
      ruleset: parseRuleset(run.ruleset, `ruleset stored with run ${run.id}`), now: () => startedAt, runSecrets: job.secrets,
      observer, history, ...(enrich ? { enrich } : {}),
    };
    return { unit, history, fetcher, gate };
  }

  /**
   * A job's attempts are for datasets that kill their worker, not for a database restarting: the store and the host
   * gate wait for an unreachable database themselves (store/pg-reconnect.ts), so an outage delays the job rather than
   * failing it; only one longer than their window fails it (and it is retried later, here or elsewhere).
   */
  async #audit(job: WorkerJob): Promise<void> {
    const ctx = await this.#context(job);
    // Already recorded: a retry of a job whose result landed just before its worker died, or a second enqueue.
    if (await ctx.history.hasResult(job.dataset.id)) return;
    const d: Dataset = job.dataset;
    let audited;
    try {
      audited = await auditDataset(ctx.unit, d);
    } catch (e) {
      // The store or the shared host limits failed (the database away too long): the job fails and is retried later,
      // on this worker or another — the dataset is not judged on what we could not do.
      if (e instanceof StoreError || e instanceof HostGateUnavailable || isPgUnreachable(e)) throw e;
      // A bug or an unexpected input in one dataset must not cost the run the others' results.
      d.findings.push(finding('internal-error', { variant: 'exception', error: String((e as Error)?.stack ?? e) }));
      audited = { dataset: d, result: failedDataset(ctx.unit, d, (e as Error)?.message ?? String(e)), contentChanged: null, resources: [] };
    }
    await ctx.history.save(job.idx, audited);
    this.#o.onDataset?.(job.runId, job.idx);
  }

  /** A dataset whose job failed every attempt (it killed each worker that took it): recorded as failed. */
  async #recordDead(job: WorkerJob): Promise<void> {
    const ctx = await this.#context(job);
    if (await ctx.history.hasResult(job.dataset.id)) return;
    const deaths = this.#o.queue.timing.retryLimit + 1;
    const d = job.dataset;
    const f = finding('internal-error', { variant: 'process-died', deaths }, { processDied: deaths });
    d.findings.push(f);
    await ctx.history.save(job.idx, { dataset: d, result: failedDataset(ctx.unit, d, f.message), contentChanged: null, resources: [] });
    this.#o.onDataset?.(job.runId, job.idx);
  }
}
