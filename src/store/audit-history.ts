// What one audit does with the history store: start or resume its run, tell the resource observer what is known of
// a URL and record what it saw (the ObservationStore), and turn content changes into timeliness evidence and
// findings. runAudit stays ignorant of SQL; without a store none of this runs.
import { finding } from '../messages/index.ts';
import type { Dataset, DatasetResult, Finding } from '../model.ts';
import { datasetKey, HEARTBEAT_MS, type HistoryStore, type RunInfo, type StoredDataset, type UrlState, type UrlVerdict } from './history-store.ts';
import { StoreError } from './errors.ts';
import type { Observation, ObservationStore } from './observation-store.ts';

export { sha256 } from './observation-store.ts';

export interface RunStart {
  rulesetId: string;
  ruleset: unknown;
  /** Catalogue source, redacted. */
  catalog: string;
  catalogKey: string;
  options: Record<string, unknown>;
  resumeRunId?: number;
}

/** One URL's fetch as the pipeline keeps it, plus what history says about it. */
export type Observed = Observation;

/** Identifies "the same audit" for resume and comparisons: the catalogue plus what selects its datasets. */
export function catalogKeyOf(catalog: string, agency: string | undefined, kind: string | undefined): string {
  return JSON.stringify([catalog, agency ?? '', kind ?? '']);
}

export class AuditHistory implements ObservationStore {
  readonly store: HistoryStore;
  readonly run: RunInfo;
  readonly resumed: boolean;
  /** Results stored by earlier sessions of this run, read alongside the catalogue (see storedResult). */
  readonly #stored: StoredCursor | undefined;
  readonly incremental: boolean;
  /** Run-level byte counters before this session (a resumed run adds to them). */
  readonly baseBytes: { bytes: number; wireBytes: number };
  /** Datasets that earlier sessions of this run started and died on, with how many times (see unfinishedAttempts). */
  readonly #died: Map<string, number>;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  private constructor(store: HistoryStore, run: RunInfo, resumed: boolean, incremental: boolean, died: Map<string, number>) {
    this.store = store;
    this.run = run;
    this.resumed = resumed;
    this.incremental = incremental;
    this.#stored = resumed ? new StoredCursor(store.iterateRunDatasets(run.id)) : undefined;
    this.#died = died;
    this.baseBytes = { bytes: run.bytes, wireBytes: run.wireBytes };
  }

  static async start(store: HistoryStore, s: RunStart, incremental = true): Promise<AuditHistory> {
    if (s.resumeRunId !== undefined) {
      const existing = await store.getRun(s.resumeRunId);
      if (existing && existing.catalogKey !== s.catalogKey) {
        throw new StoreError('usage', store.path, `run ${s.resumeRunId} audited ${existing.catalog} with other options; resume it with the same catalogue and --agency`);
      }
      const run = await store.claimRun(s.resumeRunId);
      return new AuditHistory(store, run, true, incremental, await store.unfinishedAttempts(run.id));
    }
    const startedAt = new Date().toISOString();
    // Fixed at creation so a resumed run compares with the same earlier run as an uninterrupted one would.
    const previous = (await store.completeRuns({ catalogKey: s.catalogKey, last: 1 }))[0];
    const run = await store.createRun({ ...s, startedAt, ...(previous ? { previousRunId: previous.id } : {}) });
    return new AuditHistory(store, run, false, incremental, new Map());
  }

  /**
   * A worker's view of a run another process coordinates (a distributed audit): it observes URLs and records
   * datasets of the run, but neither holds the run's lease nor reads what earlier sessions stored.
   */
  static attach(store: HistoryStore, run: RunInfo, incremental = true): AuditHistory {
    return new AuditHistory(store, run, false, incremental, new Map());
  }

  /** Whether the run already holds a result for this dataset (a retried job, or one enqueued twice). */
  async hasResult(id: string): Promise<boolean> {
    return (await this.store.datasetMetadata(this.run.id, id)).found;
  }

  /** Records a dataset audited by a distributed worker (a local audit records through its finisher). */
  async save(idx: number, a: { dataset: Dataset; result: DatasetResult; contentChanged: boolean | null; resources: (Observation & { url: string })[] }): Promise<void> {
    await this.store.saveDataset({
      runId: this.run.id, idx, result: a.result, contentChanged: a.contentChanged, metadataUpdatedAt: a.dataset.metadataUpdatedAt,
      resources: a.resources.map((r) => ({ url: r.url, fetch: r.fetch, facts: r.facts, hash: r.hash, reused: r.reused })),
    });
  }

  /**
   * Renews the run's lease every HEARTBEAT_MS until end(). `onLost` is called once if the lease turns out to be
   * someone else's (a takeover of a run believed dead). A renewal that fails (the store busy or unwritable) is
   * tried again at the next beat: the lock, not the heartbeat, keeps the run ours, and the dataset writes report
   * a store that stays unusable.
   */
  keepAlive(onLost: (e: StoreError) => void): void {
    if (this.#heartbeat) return;
    let renewing = false;
    this.#heartbeat = setInterval(() => {
      // One renewal at a time: a slow store must not pile them up.
      if (renewing) return;
      renewing = true;
      this.store.renewLease(this.run.id).then((held) => {
        if (!held && this.#heartbeat) {
          this.#stopHeartbeat();
          onLost(new StoreError('usage', this.store.path, `run ${this.run.id} was taken over by another process; this session stops`));
        }
      }, () => {}).finally(() => {
        renewing = false;
      });
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** The session is over (finished, interrupted or failed): stop renewing and let go of the run. */
  async end(): Promise<void> {
    this.#stopHeartbeat();
    await this.store.releaseRun(this.run.id);
  }

  /** How many earlier sessions died while this dataset was in flight (0: none, or it was never started). */
  diedOn(idx: number, id: string): number {
    return this.#died.get(datasetKey(idx, id)) ?? 0;
  }

  /** Records that this session starts the dataset, so a death during it is counted against it. */
  async startAttempt(idx: number, id: string): Promise<void> {
    await this.store.startAttempt(this.run.id, idx, id);
  }

  readonly #seen = new Set<string>();

  /** Notes a dataset the catalogue listed in this session. */
  seen(idx: number, id: string): void {
    if (this.resumed) this.#seen.add(datasetKey(idx, id));
  }

  /** After a complete catalogue read: forget stored results for datasets the catalogue no longer lists there. */
  dropUnseen(): Promise<number> {
    return this.store.retainDatasets(this.run.id, this.#seen);
  }

  /**
   * The result an earlier session stored for the dataset at catalogue position `idx`. Asked in position order (the
   * catalogue is read in order, and the store gives its results in the same order), so only a page of a half-done
   * national run is in memory, not all of it.
   */
  storedResult(idx: number, id: string): Promise<DatasetResult | undefined> {
    return this.#stored?.at(idx, id) ?? Promise.resolve(undefined);
  }

  /** Stored state that may stand in for a fresh inspection of `url` declared as `declaredFormat`. */
  async prior(url: string, declaredFormat: string | undefined): Promise<UrlState | undefined> {
    if (!this.incremental) return undefined;
    const s = await this.store.urlState(url);
    if (!s?.hash || !s.facts || !s.fetch || s.fetch.kind !== 'ok' || s.declaredFormat !== (declaredFormat ?? '')) return undefined;
    return s;
  }

  /** What this run already recorded for `url`, when it holds a body's facts (so it can stand in for a new fetch). */
  async recordedThisRun(url: string, declaredFormat: string | undefined): Promise<Observation | undefined> {
    const s = await this.store.urlState(url);
    if (!s || s.seenRun !== this.run.id || !s.hash || !s.fetch || !s.facts || s.declaredFormat !== (declaredFormat ?? '')) return undefined;
    const verdict = { ...(s.changedAt ? { changedAt: s.changedAt } : {}), changedThisRun: s.changedRun === this.run.id, seenBefore: s.firstRun < this.run.id };
    return { fetch: s.fetch, facts: s.facts, hash: s.hash, reused: true, verdict };
  }

  record(url: string, o: Observation, declaredFormat: string | undefined, headers: Record<string, string>): Promise<UrlVerdict> {
    return this.store.observeUrl(this.run, { url, fetch: o.fetch, facts: o.facts, hash: o.hash, declaredFormat, headers }, new Date().toISOString());
  }

  /**
   * Findings from comparing this audit with the previous one: the metadata says the dataset was updated but no
   * resource changed, or the reverse. Silent when either side is unknown.
   */
  async historyFindings(d: Dataset, observed: Observation[]): Promise<{ findings: Finding[]; contentChanged: boolean | null }> {
    const changed = observed.some((o) => o.verdict?.changedThisRun);
    const allKnown = observed.length > 0 && observed.every((o) => o.hash && o.verdict?.seenBefore);
    const contentChanged = changed ? true : allKnown ? false : null;
    if (this.run.previousRunId === undefined || contentChanged === null) return { findings: [], contentChanged };
    const prev = await this.store.datasetMetadata(this.run.previousRunId, d.id);
    if (!prev.found || !prev.metadataUpdatedAt || !d.metadataUpdatedAt) return { findings: [], contentChanged };
    const before = Date.parse(prev.metadataUpdatedAt);
    const now = Date.parse(d.metadataUpdatedAt);
    if (Number.isNaN(before) || Number.isNaN(now)) return { findings: [], contentChanged };
    const detail = { previousRunId: this.run.previousRunId, metadataUpdatedBefore: prev.metadataUpdatedAt, metadataUpdatedNow: d.metadataUpdatedAt };
    if (now !== before && !contentChanged) {
      return {
        contentChanged,
        findings: [finding('metadata-claims-update-without-content-change', { before: prev.metadataUpdatedAt, now: d.metadataUpdatedAt, run: this.run.previousRunId }, detail, { timeZone: d.timeZone })],
      };
    }
    if (now === before && contentChanged) {
      const urls = observed.filter((o) => o.verdict?.changedThisRun).map((o) => o.fetch.url);
      return {
        contentChanged,
        findings: [finding('content-changed-without-metadata-update', { resources: urls.length, now: d.metadataUpdatedAt, run: this.run.previousRunId }, { ...detail, changedResources: urls }, { timeZone: d.timeZone })],
      };
    }
    return { findings: [], contentChanged };
  }
}

/** A forward reader of a run's stored results, asked for positions in increasing order. */
class StoredCursor {
  readonly #rows: AsyncIterator<StoredDataset>;
  #next: StoredDataset | undefined;
  #started = false;
  #done = false;
  #last = -1;

  constructor(rows: AsyncIterable<StoredDataset>) {
    this.#rows = rows[Symbol.asyncIterator]();
  }

  async at(idx: number, id: string): Promise<DatasetResult | undefined> {
    if (idx <= this.#last) throw new Error(`stored results asked out of order (${idx} after ${this.#last})`);
    this.#last = idx;
    if (!this.#started) {
      this.#started = true;
      await this.#advance();
    }
    // Rows at earlier positions belong to datasets the catalogue no longer lists there (dropUnseen forgets them).
    while (this.#next && this.#next.idx < idx) await this.#advance();
    let found: DatasetResult | undefined;
    while (this.#next && this.#next.idx === idx) {
      if (this.#next.id === id) found = this.#next.result;
      await this.#advance();
    }
    return found;
  }

  async #advance(): Promise<void> {
    if (this.#done) return;
    const r = await this.#rows.next();
    if (r.done) {
      this.#done = true;
      this.#next = undefined;
    } else this.#next = r.value;
  }
}
