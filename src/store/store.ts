// The history store in one SQLite file (WAL, so `odbadge diff` and `history` read while an audit writes) holding
// runs, per-dataset results, per-indicator verdicts, per-resource observations, agency scores and the per-URL
// state (HTTP validators, content hash, reusable facts) behind incremental re-audits. The HistoryStore interface
// (history-store.ts) is async for the PostgreSQL engine's sake; here every method does its work synchronously
// (node:sqlite), so a transaction never interleaves with another call.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { AgencyScore, DatasetResult } from '../model.ts';
import { StoreError, storeErrorFrom } from './errors.ts';
import { probeRunLock, RunLock, runLockPath } from './run-lock.ts';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { redactDeep, redactText, redactUrl } from '../util/redact.ts';
import { reason } from '../util/atomic-write.ts';
import { escapeControls, stripControls } from '../util/control-chars.ts';
import {
  datasetKey, type CompleteRunsFilter, type DatasetRecord, type FinishRun, type HistoryStore, type NewRun, type RunInfo, type RunStatus,
  type ResourceStats, type StoredDataset, type UrlObservation, type UrlState, type UrlVerdict,
} from './history-store.ts';
import { heartbeatFresh, json, num, parse, resourceStats, type Row, str, toRun, toUrlState, urlObservation } from './rows.ts';

// Kept importable from here: the types moved to history-store.ts, shared by both engines.
export { datasetKey, HEARTBEAT_MS, LEASE_MS } from './history-store.ts';
export type { DatasetRecord, FinishRun, NewRun, ResourceStats, RunInfo, RunStatus, StoredResource, UrlObservation, UrlState, UrlVerdict } from './history-store.ts';

export interface OpenOptions {
  /** Create the file when it does not exist (default true). Readers (`diff`, `history`) pass false. */
  create?: boolean;
  /** How long a writer waits for another writer's lock, ms (default 10 s). */
  busyTimeoutMs?: number;
}


export class SqliteStore implements HistoryStore {
  readonly kind = 'sqlite' as const;
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  /** Runs this process holds: their lock and the lease owner id written with every heartbeat. */
  readonly #leases = new Map<number, { lock: RunLock; owner: string }>();

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  /** Opens (or creates) a store; a file that is not an odbadge store gives a StoreError, never a crash. */
  static open(path: string, o: OpenOptions = {}): SqliteStore {
    const exists = existsSync(path);
    if (!exists && o.create === false) {
      throw new StoreError('missing', path, `no history store at ${path} (run an audit first, or choose one with --db)`);
    }
    if (exists && statSync(path).isDirectory()) throw new StoreError('io', path, `${path} is a directory, not a history store file`);
    let db: DatabaseSync | undefined;
    try {
      if (!exists) mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path, { timeout: o.busyTimeoutMs ?? 10_000, enableForeignKeyConstraints: true });
      const store = new SqliteStore(path, db);
      store.#prepareFile();
      return store;
    } catch (e) {
      try {
        db?.close();
      } catch {
        // already unusable; the original error is the one to report
      }
      // The directory cannot be created or the file opened (permissions, a file where a directory should be).
      const fsCode = (e as NodeJS.ErrnoException)?.code;
      if (typeof fsCode === 'string' && /^E[A-Z]+$/.test(fsCode)) throw new StoreError('io', path, `cannot create the history store ${path}: ${reason(e)}`);
      throw storeErrorFrom(e, path);
    }
  }

  async close(): Promise<void> {
    // Dropping the locks makes a run this process did not finish resumable at once.
    for (const id of [...this.#leases.keys()]) this.#releaseRun(id);
    if (this.#db.isOpen) this.#db.close();
  }

  #prepareFile(): void {
    const appId = num(this.#get('PRAGMA application_id')?.application_id) ?? 0;
    const version = num(this.#get('PRAGMA user_version')?.user_version) ?? 0;
    const objects = num(this.#get("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")?.n) ?? 0;
    if (appId !== APPLICATION_ID && (appId !== 0 || version !== 0 || objects !== 0)) {
      throw new StoreError('foreign', this.path, `${this.path} is an SQLite database but not an odbadge history store (application_id ${appId}, ${objects} tables); choose another file with --db`);
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError('newer-schema', this.path, `the history store ${this.path} has schema version ${version}, newer than this odbadge understands (${SCHEMA_VERSION}); upgrade odbadge`);
    }
    this.#db.exec('PRAGMA journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses nothing committed; only a power cut may lose the last commits.
    this.#db.exec('PRAGMA synchronous = NORMAL');
    this.#db.exec('PRAGMA foreign_keys = ON');
    this.#migrate();
  }

  #migrate(): void {
    // Readers (`diff` while an audit runs) must not queue for the write lock when there is nothing to migrate.
    if ((num(this.#get('PRAGMA user_version')?.user_version) ?? 0) >= SCHEMA_VERSION) return;
    for (;;) {
      const done = this.#tx(() => {
        // Re-read inside the write lock: two processes may open a fresh file at the same moment.
        const v = num(this.#get('PRAGMA user_version')?.user_version) ?? 0;
        if (v >= SCHEMA_VERSION) return true;
        if (v === 0) this.#db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
        const m = MIGRATIONS[v].sqlite;
        if (typeof m === 'string') this.#db.exec(m);
        else m(this.#db);
        this.#db.exec(`PRAGMA user_version = ${v + 1}`);
        return false;
      });
      if (done) break;
    }
    // Old page images (a migration may have rewritten secrets away) must not linger in the write-ahead log.
    try {
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // busy with a reader: the next checkpoint overwrites them
    }
  }

  #stmt(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  #get(sql: string, ...p: SQLInputValue[]): Row | undefined {
    return this.#stmt(sql).get(...p) as Row | undefined;
  }

  #all(sql: string, ...p: SQLInputValue[]): Row[] {
    return this.#stmt(sql).all(...p) as Row[];
  }

  #run(sql: string, ...p: SQLInputValue[]): { changes: number; lastInsertRowid: number } {
    const r = this.#stmt(sql).run(...p);
    return { changes: Number(r.changes), lastInsertRowid: Number(r.lastInsertRowid) };
  }

  /** One write transaction; BEGIN IMMEDIATE takes the write lock up front so it cannot deadlock on upgrade. */
  #tx<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      this.#db.exec('COMMIT');
      return r;
    } catch (e) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeErrorFrom(e, this.path);
    }
  }

  // ------------------------------------------------------------------ runs

  /** Creates a run held by this process (its lock is taken before any other process can see the run). */
  async createRun(r: NewRun): Promise<RunInfo> {
    return this.#guard(() => {
      const id = this.#tx(() => {
        const owner = randomUUID();
        const { lastInsertRowid } = this.#run(
          `INSERT INTO runs (ruleset_id, ruleset, catalog, catalog_key, options, started_at, status, pid, previous_run_id, heartbeat_at, lease_owner)
           VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
          r.rulesetId, json(r.ruleset), redactUrl(r.catalog), r.catalogKey, json(redactDeep(r.options)), r.startedAt, process.pid, r.previousRunId ?? null, Date.now(), owner,
        );
        // A file left by a pruned run of the same id is taken over like any free lock.
        const lock = RunLock.acquire(runLockPath(this.path, lastInsertRowid));
        if (!lock) throw new StoreError('busy', this.path, `cannot lock run ${lastInsertRowid}: ${runLockPath(this.path, lastInsertRowid)} is held by another process`);
        this.#leases.set(lastInsertRowid, { lock, owner });
        return lastInsertRowid;
      });
      return this.#getRun(id)!;
    });
  }

  /**
   * Takes over an interrupted run for this process; refuses a run that a live session holds. "Interrupted" includes
   * a run whose process was killed a moment ago: its lock went with the process (see run-lock.ts).
   */
  async claimRun(id: number): Promise<RunInfo> {
    return this.#guard(() => {
      this.#tx(() => {
        const row = this.#get('SELECT status, heartbeat_at FROM runs WHERE id = ?', id);
        if (!row) throw new StoreError('usage', this.path, `no run ${id} in ${this.path} (see odbadge history)`);
        if (row.status === 'complete') throw new StoreError('usage', this.path, `run ${id} is already complete; nothing to resume`);
        const still = () => new StoreError('usage', this.path, `run ${id} is still running in another process; wait for it, or stop it (Ctrl-C) and resume then`);
        if (this.#leases.has(id)) throw still();
        const path = runLockPath(this.path, id);
        const hadFile = existsSync(path);
        const lock = RunLock.acquire(path);
        if (!lock) throw still();
        // No lock file: nothing proves the holder gone, so a fresh heartbeat (an older odbadge's run) still counts.
        if (!hadFile && row.status === 'running' && heartbeatFresh(num(row.heartbeat_at))) {
          lock.release(true);
          throw still();
        }
        const owner = randomUUID();
        this.#leases.set(id, { lock, owner });
        this.#run("UPDATE runs SET status = 'running', pid = ?, resumes = resumes + 1, heartbeat_at = ?, lease_owner = ? WHERE id = ?", process.pid, Date.now(), owner, id);
      });
      return this.#getRun(id)!;
    });
  }

  /** Renews this process's lease on a run; false when it holds none (released, or taken over). */
  async renewLease(id: number): Promise<boolean> {
    const lease = this.#leases.get(id);
    if (!lease) return false;
    return this.#guard(() => this.#run('UPDATE runs SET heartbeat_at = ? WHERE id = ? AND lease_owner = ?', Date.now(), id, lease.owner).changes === 1);
  }

  /** Lets go of a run this process holds (after finishRun, or when giving up on it): it is resumable at once. */
  async releaseRun(id: number): Promise<void> {
    this.#releaseRun(id);
  }

  #releaseRun(id: number): void {
    const lease = this.#leases.get(id);
    if (!lease) return;
    this.#leases.delete(id);
    let over = true;
    try {
      over = this.#db.isOpen && this.#get('SELECT status FROM runs WHERE id = ?', id)?.status !== 'running';
    } catch {
      over = false; // cannot tell: keep the file, which answers "free" from now on
    }
    lease.lock.release(over);
  }

  /** Deletes a run that recorded nothing worth keeping (its catalogue could not be read), and lets go of it. */
  async discardRun(id: number): Promise<void> {
    this.#guard(() => this.#tx(() => this.#deleteRun(id)));
    this.#releaseRun(id);
  }

  #deleteRun(id: number): void {
    this.#run('DELETE FROM run_indicators WHERE run_id = ?', id);
    this.#run('DELETE FROM run_datasets WHERE run_id = ?', id);
    this.#run('DELETE FROM run_resources WHERE run_id = ?', id);
    this.#run('DELETE FROM run_agencies WHERE run_id = ?', id);
    this.#run('DELETE FROM run_attempts WHERE run_id = ?', id);
    this.#run('DELETE FROM runs WHERE id = ?', id);
  }

  /** What a run really is: `running` while a live session holds it, else as recorded (a killed run: interrupted). */
  #liveness(id: number, stored: RunStatus, heartbeatAt: number | undefined): RunStatus {
    if (stored !== 'running' || this.#leases.has(id)) return stored;
    const lock = probeRunLock(runLockPath(this.path, id));
    if (lock === 'held') return 'running';
    if (lock === 'free') return 'interrupted';
    return heartbeatFresh(heartbeatAt) ? 'running' : 'interrupted';
  }

  async getRun(id: number): Promise<RunInfo | undefined> {
    return this.#getRun(id);
  }

  #getRun(id: number): RunInfo | undefined {
    return this.#guard(() => {
      const row = this.#get(`SELECT r.*, (SELECT count(*) FROM run_datasets d WHERE d.run_id = r.id) AS n FROM runs r WHERE id = ?`, id);
      return row ? this.#toRun(row) : undefined;
    });
  }

  /** Every run, oldest first. */
  async listRuns(): Promise<RunInfo[]> {
    return this.#listRuns();
  }

  #listRuns(): RunInfo[] {
    return this.#guard(() =>
      this.#all(`SELECT r.*, (SELECT count(*) FROM run_datasets d WHERE d.run_id = r.id) AS n FROM runs r ORDER BY id`).map((r) => this.#toRun(r)));
  }

  /** The newest run that can be resumed (interrupted, or killed), optionally of one catalogue. */
  async resumable(catalogKey?: string): Promise<RunInfo | undefined> {
    return this.#listRuns().reverse().find((r) => r.status === 'interrupted' && (catalogKey === undefined || r.catalogKey === catalogKey));
  }

  /** Complete runs matching the filter, oldest first; `last`: only the newest that many. */
  async completeRuns(by: CompleteRunsFilter = {}): Promise<RunInfo[]> {
    return this.#guard(() => this.#all(
      `SELECT id FROM runs WHERE status = 'complete' AND (?1 IS NULL OR id < ?1) AND (?2 IS NULL OR catalog_key = ?2)
       AND (?3 IS NULL OR ruleset_id = ?3) ORDER BY id DESC LIMIT ?4`,
      by.beforeId ?? null, by.catalogKey ?? null, by.rulesetId ?? null, by.last ?? -1,
    ).map((r) => this.#getRun(num(r.id)!)!).reverse());
  }

  async finishRun(id: number, f: FinishRun): Promise<void> {
    this.#guard(() =>
      this.#tx(() => {
        this.#run(
          `UPDATE runs SET status = ?, finished_at = ?, pid = NULL, lease_owner = NULL, catalog_complete = ?, catalog_error = ?, catalog_findings = ?,
           stats = ?, bytes = ?, wire_bytes = ? WHERE id = ?`,
          f.status, f.finishedAt, f.catalogComplete ? 1 : 0, f.catalogError === undefined ? null : stripControls(redactText(f.catalogError)), f.catalogFindings, json(f.stats), f.bytes, f.wireBytes, id,
        );
        // Datasets a dead session left unfinished stay counted while the run can still be resumed.
        if (f.status === 'complete') this.#run('DELETE FROM run_attempts WHERE run_id = ?', id);
        this.#run('DELETE FROM run_agencies WHERE run_id = ?', id);
        for (const a of f.agencies) {
          // Names as columns (for people reading the file with sqlite3) carry no raw control character; the JSON
          // holds the exact text, escaped.
          this.#run('INSERT INTO run_agencies (run_id, agency, datasets, score, detail) VALUES (?, ?, ?, ?, ?)', id, escapeControls(a.agency), a.datasets, a.score, json(a));
        }
      }));
  }

  // ------------------------------------------------------------------ datasets

  /** Results already stored for a run, keyed by `datasetKey(idx, id)`. */
  /** Writes one dataset's result, verdicts and resource observations in one transaction; a second write is ignored. */
  async saveDataset(rec: DatasetRecord): Promise<void> {
    const d = rec.result;
    this.#guard(() =>
      this.#tx(() => {
        const { changes } = this.#run(
          `INSERT INTO run_datasets (run_id, idx, dataset_id, title, agency, badge, metadata_updated_at, content_changed, result)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          rec.runId, rec.idx, d.id, escapeControls(d.title), escapeControls(d.agency), d.badge, rec.metadataUpdatedAt ?? null,
          rec.contentChanged === null ? null : rec.contentChanged ? 1 : 0, json(d),
        );
        if (!changes) return;
        this.#run('DELETE FROM run_attempts WHERE run_id = ? AND idx = ? AND dataset_id = ?', rec.runId, rec.idx, d.id);
        for (const [indicator, r] of Object.entries(d.indicators)) {
          this.#run('INSERT INTO run_indicators (run_id, idx, dataset_id, indicator, verdict) VALUES (?, ?, ?, ?, ?)', rec.runId, rec.idx, d.id, indicator, r.verdict);
        }
        for (const r of rec.resources) {
          this.#run(
            'INSERT INTO run_resources (run_id, url, fetch, facts, content_hash, reused, bytes, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
            rec.runId, redactUrl(r.url), json(r.fetch), r.facts ? json(r.facts) : null, r.hash ?? null, r.reused ? 1 : 0, r.fetch.bytes ?? 0, Math.max(1, r.fetch.attempts ?? 1),
          );
        }
        if (rec.bytes) this.#run('UPDATE runs SET bytes = ?, wire_bytes = ? WHERE id = ?', rec.bytes.bytes, rec.bytes.wireBytes, rec.runId);
      }));
  }

  /**
   * Per dataset: how many sessions started it and ended before recording it, keyed by `datasetKey(idx, id)`. Read
   * when a session starts, so every count is of sessions that died (a session stopped with Ctrl-C finishes and
   * records what it started).
   */
  async unfinishedAttempts(runId: number): Promise<Map<string, number>> {
    return this.#guard(() => new Map(
      this.#all('SELECT idx, dataset_id, attempts FROM run_attempts WHERE run_id = ?', runId)
        .map((r) => [datasetKey(num(r.idx)!, String(r.dataset_id)), num(r.attempts)!]),
    ));
  }

  /** Notes that this session starts a dataset: one small write, undone by saveDataset in its transaction. */
  async startAttempt(runId: number, idx: number, datasetId: string): Promise<void> {
    this.#guard(() => this.#run(
      `INSERT INTO run_attempts (run_id, idx, dataset_id, attempts, session) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (run_id, idx, dataset_id) DO UPDATE SET attempts = attempts + 1, session = excluded.session WHERE session IS NOT excluded.session`,
      runId, idx, datasetId, this.#leases.get(runId)?.owner ?? randomUUID(),
    ));
  }

  /** Deletes a run's dataset rows whose key is not in `keep`; returns how many went. */
  async retainDatasets(runId: number, keep: ReadonlySet<string>): Promise<number> {
    return this.#guard(() =>
      this.#tx(() => {
        let n = 0;
        for (const r of this.#all('SELECT idx, dataset_id FROM run_datasets WHERE run_id = ?', runId)) {
          if (keep.has(datasetKey(num(r.idx)!, String(r.dataset_id)))) continue;
          this.#run('DELETE FROM run_indicators WHERE run_id = ? AND idx = ? AND dataset_id = ?', runId, num(r.idx)!, String(r.dataset_id));
          n += this.#run('DELETE FROM run_datasets WHERE run_id = ? AND idx = ? AND dataset_id = ?', runId, num(r.idx)!, String(r.dataset_id)).changes;
        }
        return n;
      }));
  }

  /** The metadata update time a dataset had in a run (found = the dataset was in that run). */
  async datasetMetadata(runId: number, datasetId: string): Promise<{ found: boolean; metadataUpdatedAt?: string }> {
    return this.#guard(() => {
      const row = this.#get('SELECT metadata_updated_at AS m FROM run_datasets WHERE run_id = ? AND dataset_id = ? ORDER BY idx LIMIT 1', runId, datasetId);
      return row ? { found: true, metadataUpdatedAt: str(row.m) } : { found: false };
    });
  }

  /** A run's dataset results in catalogue order and its agency scores. */
  async runResults(runId: number): Promise<{ datasets: DatasetResult[]; agencies: AgencyScore[] }> {
    return this.#guard(() => ({
      datasets: this.#all('SELECT result FROM run_datasets WHERE run_id = ? ORDER BY idx, dataset_id', runId).map((r) => parse<DatasetResult>(r.result)!),
      agencies: this.#agencyScores(runId),
    }));
  }

  /**
   * A run's dataset results one at a time, in catalogue order, optionally only those at catalogue positions below
   * `below`: a whole portal's results do not fit in memory, so outputs are written from here.
   */
  async *iterateRunResults(runId: number, below = Number.MAX_SAFE_INTEGER): AsyncGenerator<DatasetResult> {
    for await (const d of this.iterateRunDatasets(runId, below)) yield d.result;
  }

  /**
   * In pages by key (the primary key's order): no statement stays open between pages, so a resume that reads these
   * alongside its own writes holds no read snapshot that would keep the WAL from being checkpointed.
   */
  async *iterateRunDatasets(runId: number, below = Number.MAX_SAFE_INTEGER): AsyncGenerator<StoredDataset> {
    let after: { idx: number; id: string } | undefined;
    for (;;) {
      const page = this.#guard(() => this.#all(
        `SELECT idx, dataset_id, result FROM run_datasets WHERE run_id = ? AND idx < ?
         AND (? IS NULL OR idx > ? OR (idx = ? AND dataset_id > ?)) ORDER BY idx, dataset_id LIMIT 256`,
        runId, below, after?.idx ?? null, after?.idx ?? null, after?.idx ?? null, after?.id ?? null,
      ));
      for (const r of page) yield { idx: num(r.idx)!, id: String(r.dataset_id), result: parse<DatasetResult>(r.result)! };
      if (page.length < 256) return;
      const last = page[page.length - 1];
      after = { idx: num(last.idx)!, id: String(last.dataset_id) };
    }
  }

  async countRunResults(runId: number, below = Number.MAX_SAFE_INTEGER): Promise<number> {
    return this.#guard(() => num(this.#get('SELECT count(*) AS n FROM run_datasets WHERE run_id = ? AND idx < ?', runId, below)?.n) ?? 0);
  }

  /** The row ids of a run's results in catalogue order (see iterateRunResults), for runResultAt. */
  async runResultRowids(runId: number, below = Number.MAX_SAFE_INTEGER): Promise<Float64Array> {
    return this.#guard(() => Float64Array.from(this.#all('SELECT rowid AS r FROM run_datasets WHERE run_id = ? AND idx < ? ORDER BY idx, dataset_id', runId, below), (r) => num(r.r)!));
  }

  async runResultAt(rowid: number): Promise<DatasetResult> {
    return this.#guard(() => {
      const r = this.#get('SELECT result FROM run_datasets WHERE rowid = ?', rowid);
      if (!r) throw new StoreError('usage', this.path, `no stored result with rowid ${rowid}`);
      return parse<DatasetResult>(r.result)!;
    });
  }

  /** A run's agency scores by name, or as the audit recorded them (`recorded`: best first, as it reported them). */
  async agencyScores(runId: number, order: 'name' | 'recorded' = 'name'): Promise<AgencyScore[]> {
    return this.#agencyScores(runId, order);
  }

  #agencyScores(runId: number, order: 'name' | 'recorded' = 'name'): AgencyScore[] {
    return this.#guard(() => this.#all(`SELECT detail FROM run_agencies WHERE run_id = ? ORDER BY ${order === 'name' ? 'agency' : 'rowid'}`, runId).map((r) => parse<AgencyScore>(r.detail)!));
  }

  async resourceStats(runId: number): Promise<ResourceStats> {
    return this.#guard(() => resourceStats(this.#get(
      'SELECT count(*) AS urls, sum(attempts) AS requests, sum(CASE WHEN reused = 1 THEN 0 ELSE bytes END) AS bytes, sum(reused) AS reused FROM run_resources WHERE run_id = ?',
      runId,
    )));
  }

  // ------------------------------------------------------------------ per-URL state

  /** What the store remembers of `url`; keyed by the redacted URL (the store never holds a URL's secrets). */
  async urlState(url: string): Promise<UrlState | undefined> {
    return this.#urlState(url);
  }

  #urlState(url: string): UrlState | undefined {
    return this.#guard(() => {
      const key = redactUrl(url);
      const r = this.#get('SELECT * FROM url_state WHERE url = ?', key);
      return r ? toUrlState(r, key) : undefined;
    });
  }

  /**
   * Records what run `run` saw at a URL and says whether its content changed. Safe to repeat within a run (a
   * resumed run re-fetches what its killed session fetched): a change is attributed to the run that first saw it.
   */
  async observeUrl(run: { id: number; startedAt: string }, obs: UrlObservation, checkedAt: string): Promise<UrlVerdict> {
    const o = { ...obs, url: redactUrl(obs.url) };
    return this.#guard(() =>
      this.#tx(() => {
        const { write: w, verdict } = urlObservation(this.#urlState(o.url), run, o);
        if (w.kind === 'insert') {
          this.#run(
            `INSERT INTO url_state (url, etag, last_modified, content_hash, declared_format, fetch, facts, first_run, seen_run, checked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            o.url, w.etag, w.lastModified, w.hash, w.declaredFormat, w.fetch, w.facts, run.id, run.id, checkedAt,
          );
        } else if (w.kind === 'touch') this.#run('UPDATE url_state SET seen_run = ?, checked_at = ? WHERE url = ?', run.id, checkedAt, o.url);
        else {
          this.#run(
            `UPDATE url_state SET etag = ?, last_modified = ?, content_hash = ?, declared_format = ?, fetch = ?, facts = ?, seen_run = ?,
             changed_at = ?, changed_run = ?, checked_at = ? WHERE url = ?`,
            w.etag, w.lastModified, w.hash, w.declaredFormat, w.fetch, w.facts, run.id, w.changedAt, w.changedRun, checkedAt, o.url,
          );
        }
        return verdict;
      }));
  }

  // ------------------------------------------------------------------ retention

  /** Deletes all but the `keep` newest runs (never a live one) and the URL state no kept run refers to. */
  async prune(keep: number): Promise<{ deletedRuns: number[]; urlsDropped: number }> {
    const r = this.#guard(() =>
      this.#tx(() => {
        const runs = this.#all('SELECT id, status, heartbeat_at FROM runs ORDER BY id DESC')
          .map((r) => ({ id: num(r.id)!, status: this.#liveness(num(r.id)!, String(r.status) as RunStatus, num(r.heartbeat_at)) }));
        const doomed = runs.slice(keep).filter((r) => r.status !== 'running').map((r) => r.id);
        for (const id of doomed) this.#deleteRun(id);
        const { changes } = this.#run('DELETE FROM url_state WHERE seen_run NOT IN (SELECT id FROM runs)');
        return { deletedRuns: doomed.sort((a, b) => a - b), urlsDropped: changes };
      }));
    // The lock files of deleted runs: none is held (their runs were not running).
    for (const id of r.deletedRuns) rmSync(runLockPath(this.path, id), { force: true });
    return r;
  }

  #toRun(r: Row): RunInfo {
    return toRun(r, this.#liveness(num(r.id)!, String(r.status) as RunStatus, num(r.heartbeat_at)));
  }

  /** `ok`, or SQLite's list of problems. */
  async integrityCheck(): Promise<string> {
    return this.#guard(() => this.#all('PRAGMA integrity_check').map((r) => String(Object.values(r)[0])).join('; '));
  }
}
