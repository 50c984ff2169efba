// The history store on PostgreSQL (`pg`): the same tables and the same rules as the SQLite file (store.ts), for a
// store that several processes on several machines write at once (the distributed audit). Differences that follow
// from that:
// - The schema version and the mark "this is odbadge's" live in the table odbadge_meta; migrations run in one
//   transaction under an advisory lock, so two processes opening a fresh database do not both migrate it.
// - A run's lease is in its row (lease_owner + heartbeat_at, in the server's clock, so machines whose clocks
//   differ agree): held while renewed, free LEASE_MS after the last renewal, free at once when its session lets go
//   — or when its process dies, told by the advisory lock the holder keeps (pg-run-locks.ts). claimRun takes it with
//   one UPDATE … WHERE the lease is free.
// - saveDataset is idempotent per (run, position, dataset) and a resource is recorded once per run (primary keys,
//   ON CONFLICT DO NOTHING); observeUrl locks the URL's row (SELECT … FOR UPDATE), so two workers observing one URL
//   agree on when its content changed.
// - The server going away mid-run (a restart, a failover) is waited out (pg-reconnect.ts): every operation is retried
//   until the server is back, for up to the reconnect window, so each one is written to be safe to run twice.
// - TEXT cannot hold U+0000: text that may come from a portal is stored through pgText (reversible).
import { randomUUID } from 'node:crypto';
import pg, { type Pool, type PoolClient } from 'pg';
import type { AgencyScore, DatasetResult } from '../model.ts';
import { escapeControls, stripControls } from '../util/control-chars.ts';
import { redactDeep, redactText, redactUrl } from '../util/redact.ts';
import { pgStoreError, StoreError } from './errors.ts';
import { reconnectWindowMs, withReconnect } from './pg-reconnect.ts';
import { inTransaction } from './pg-transaction.ts';
import { RunLocks, runLockedSql, SERVER_STARTED_MS } from './pg-run-locks.ts';
import {
  datasetKey, LEASE_MS, type CompleteRunsFilter, type DatasetRecord, type FinishRun, type HistoryStore, type NewRun, type OpenStoreOptions,
  type RunInfo, type RunStatus, type ResourceStats, type StoredDataset, type UrlObservation, type UrlState, type UrlVerdict,
} from './history-store.ts';
import { json, num, parse, resourceStats, type Row, toRun, toUrlState, urlObservation } from './rows.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';

/** The server's clock in ms since the epoch: leases are judged by one clock however many machines write. */
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT';
/** Key of the advisory lock held while migrating ("odbg"). */
const MIGRATION_LOCK = 0x6f646267;
/** SQLite orders text by its bytes; so does the "C" collation, whatever the database's default. */
const C = 'COLLATE "C"';
/**
 * SQL: the lease of run row `r` is free — no heartbeat, or none for LEASE_MS, or the session the row names as holding
 * its lock (lock_pid) holds it no more: its process died. A row naming no session (the lock could not be had) is
 * judged by its heartbeat alone, and so is one whose heartbeat predates the server's start (a restart dropped every
 * lock; the holder names its new session at its next heartbeat).
 */
const LEASE_FREE = `(r.heartbeat_at IS NULL OR r.heartbeat_at <= ${NOW_MS} - ${LEASE_MS}
  OR (r.lock_pid IS NOT NULL AND r.heartbeat_at > ${SERVER_STARTED_MS} AND NOT ${runLockedSql('r.id', 'r.lock_pid')}))`;
const LIVENESS_COLUMNS = `${LEASE_FREE} AS lease_free`;
const RUN_COLUMNS = `r.*, (SELECT count(*) FROM run_datasets d WHERE d.run_id = r.id) AS n, ${LIVENESS_COLUMNS}`;

/**
 * Text for a TEXT column, which cannot hold U+0000: unchanged unless it holds U+0000 or starts with U+0001, then
 * U+0001 + its JSON (all escaped). Reversible by fromPgText, so keys read back equal the keys written.
 */
export function pgText(s: string): string;
export function pgText(s: string | undefined | null): string | null;
export function pgText(s: string | undefined | null): string | null {
  if (s === undefined || s === null) return null;
  return s.includes('\u0000') || s.startsWith('\u0001') ? `\u0001${JSON.stringify(s)}` : s;
}

export function fromPgText(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return v.startsWith('\u0001') ? (JSON.parse(v.slice(1)) as string) : v;
}

/** BIGINT (int8) as a number, as node:sqlite gives it: ids, times in ms and byte counts are far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type Client = PoolClient;

export class PgStore implements HistoryStore {
  readonly kind = 'postgres' as const;
  readonly path: string;
  readonly #pool: Pool;
  /** Runs this process holds, with the lease owner id written with every heartbeat. */
  readonly #leases = new Map<number, string>();
  /** The advisory locks that tell others this process is alive (pg-run-locks.ts). */
  readonly #locks: RunLocks;
  readonly #reconnectMs: number;
  /** Aborted by close(): an operation waiting for the server stops waiting. */
  readonly #closing = new AbortController();

  readonly #onUnreachable: ((message: string) => void) | undefined;
  #toldAt = 0;

  private constructor(url: string, path: string, pool: Pool, o: OpenStoreOptions) {
    this.#locks = new RunLocks(url);
    this.path = path;
    this.#pool = pool;
    this.#reconnectMs = o.reconnectMs ?? reconnectWindowMs();
    this.#onUnreachable = o.onUnreachable;
  }

  /** Connects, checks the database is an odbadge store (or empty), and brings its schema up to date. */
  static async open(url: string, o: OpenStoreOptions = {}): Promise<PgStore> {
    const path = redactUrl(url);
    // keepAlive: a server that vanished without closing the connection (a machine gone) is noticed by TCP.
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 15_000, idleTimeoutMillis: 30_000, allowExitOnIdle: true, keepAlive: true, types });
    // An idle connection the server drops (restart, network) is discarded by the pool; the next query opens another.
    pool.on('error', () => {});
    const store = new PgStore(url, path, pool, o);
    try {
      await store.#prepare(o.create !== false);
      return store;
    } catch (e) {
      await pool.end().catch(() => {});
      throw pgStoreError(e, path);
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    for (const id of [...this.#leases.keys()]) await this.releaseRun(id).catch(() => {});
    await this.#locks.close();
    await this.#pool.end().catch(() => {});
  }

  async #prepare(create: boolean): Promise<void> {
    const r = (await this.#pool.query(
      `SELECT to_regclass('odbadge_meta') IS NOT NULL AS meta,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p')) AS tables`,
    )).rows[0] as Row;
    if (!r.meta) {
      if (num(r.tables)) throw new StoreError('foreign', this.path, `${this.path} is a PostgreSQL database but not an odbadge history store (${num(r.tables)} tables and no odbadge_meta); choose another database with --db`);
      if (!create) throw new StoreError('missing', this.path, `no history store at ${this.path} (run an audit first, or choose one with --db)`);
    } else {
      const meta = await this.#meta(this.#pool);
      if (meta.application !== 'odbadge') throw new StoreError('foreign', this.path, `${this.path} is a PostgreSQL database but not an odbadge history store (odbadge_meta says ${JSON.stringify(meta.application ?? '')}); choose another database with --db`);
      this.#checkVersion(meta.version);
      // Readers (`diff` while an audit runs) must not queue for the migration lock when there is nothing to migrate.
      if (meta.version >= SCHEMA_VERSION) return;
    }
    await this.#tx(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await c.query('CREATE TABLE IF NOT EXISTS odbadge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      await c.query(`INSERT INTO odbadge_meta (key, value) VALUES ('application', 'odbadge'), ('schema_version', '0') ON CONFLICT (key) DO NOTHING`);
      // Re-read under the lock: another process may have migrated meanwhile.
      const m = await this.#meta(c);
      this.#checkVersion(m.version);
      for (let v = m.version; v < SCHEMA_VERSION; v++) {
        if (MIGRATIONS[v].postgres.trim()) await c.query(MIGRATIONS[v].postgres);
      }
      await c.query(`UPDATE odbadge_meta SET value = $1 WHERE key = 'schema_version'`, [String(SCHEMA_VERSION)]);
    });
  }

  async #meta(q: Pool | Client): Promise<{ application?: string; version: number }> {
    const rows = (await q.query('SELECT key, value FROM odbadge_meta')).rows as { key: string; value: string }[];
    const get = (k: string) => rows.find((x) => x.key === k)?.value;
    return { application: get('application'), version: Number(get('schema_version') ?? 0) };
  }

  #checkVersion(version: number): void {
    if (version > SCHEMA_VERSION) {
      throw new StoreError('newer-schema', this.path, `the history store ${this.path} has schema version ${version}, newer than this odbadge understands (${SCHEMA_VERSION}); upgrade odbadge`);
    }
  }

  async #all(sql: string, params: unknown[] = [], c?: Client): Promise<Row[]> {
    return (await (c ?? this.#pool).query(sql, params)).rows as Row[];
  }

  async #get(sql: string, params: unknown[] = [], c?: Client): Promise<Row | undefined> {
    return (await this.#all(sql, params, c))[0];
  }

  async #run(sql: string, params: unknown[] = [], c?: Client): Promise<number> {
    return (await (c ?? this.#pool).query(sql, params)).rowCount ?? 0;
  }

  /** One transaction on one connection (pg-transaction.ts). */
  #tx<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, fn);
  }

  /**
   * Every operation goes through here: run again while the server is unreachable (up to the reconnect window, not
   * past close()), then any error as a StoreError.
   */
  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withReconnect(fn, { windowMs: this.#reconnectMs, signal: this.#closing.signal, onWait: (e) => this.#tell(e) });
    } catch (e) {
      throw pgStoreError(e, this.path);
    }
  }

  /** One line per outage (at most every 30 s), however many operations are waiting. */
  #tell(e: unknown): void {
    if (!this.#onUnreachable || Date.now() - this.#toldAt < 30_000) return;
    this.#toldAt = Date.now();
    const why = redactText(String((e as Error)?.message ?? e).split('\n')[0]);
    this.#onUnreachable(`the history store ${this.path} is unreachable (${why}); waiting up to ${Math.round(this.#reconnectMs / 1000)} s for it to come back`);
  }

  // ------------------------------------------------------------------ runs

  async createRun(r: NewRun): Promise<RunInfo> {
    // The owner id names this creation: an attempt repeated after a lost reply finds the row the first one made.
    const owner = randomUUID();
    return this.#guard(async () => {
      let id = num((await this.#get('SELECT id FROM runs WHERE lease_owner = $1', [owner]))?.id);
      if (id === undefined) {
        // The id first, and its lock, so the row names the session holding it from the start.
        id = num((await this.#get(`SELECT nextval(pg_get_serial_sequence('runs', 'id')) AS id`))!.id)!;
        const lockPid = await this.#lockFor(id);
        try {
          await this.#run(
            `INSERT INTO runs (id, ruleset_id, ruleset, catalog, catalog_key, options, started_at, status, pid, previous_run_id, heartbeat_at, lease_owner, lock_pid)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9, ${NOW_MS}, $10, $11)`,
            [id, r.rulesetId, json(r.ruleset), pgText(redactUrl(r.catalog)), pgText(r.catalogKey), json(redactDeep(r.options)), r.startedAt, process.pid, r.previousRunId ?? null, owner, lockPid],
          );
        } catch (e) {
          await this.#locks.release(id);
          throw e;
        }
      }
      this.#leases.set(id, owner);
      return (await this.#getRun(id))!;
    });
  }

  /** Takes over a run whose lease is free (released, not renewed for LEASE_MS, or its holder's session gone). */
  async claimRun(id: number): Promise<RunInfo> {
    const still = () => new StoreError('usage', this.path, `run ${id} is still running in another process; wait for it, or stop it (Ctrl-C) and resume then`);
    if (this.#leases.has(id)) throw still();
    const owner = randomUUID();
    return this.#guard(async () => {
      const lockPid = await this.#lockFor(id);
      // One UPDATE decides between claimers (the row lock serialises them); repeated after a lost reply, the claim
      // finds the run already ours (lease_owner = owner) and counts it once.
      const claimed = await this.#run(
        `UPDATE runs r SET status = 'running', pid = $2, resumes = resumes + CASE WHEN lease_owner = $3 THEN 0 ELSE 1 END, heartbeat_at = ${NOW_MS},
         lease_owner = $3, lock_pid = $4
         WHERE id = $1 AND status <> 'complete' AND (lease_owner = $3 OR status <> 'running' OR ${LEASE_FREE})`,
        [id, process.pid, owner, lockPid],
      );
      if (!claimed) {
        await this.#locks.release(id);
        const row = await this.#get('SELECT status FROM runs WHERE id = $1', [id]);
        if (!row) throw new StoreError('usage', this.path, `no run ${id} in ${this.path} (see odbadge history)`);
        if (row.status === 'complete') throw new StoreError('usage', this.path, `run ${id} is already complete; nothing to resume`);
        throw still();
      }
      this.#leases.set(id, owner);
      return (await this.#getRun(id))!;
    });
  }

  /**
   * The run's lock for this process, and the pid of the session holding it; null when it cannot be had (another
   * session holds it, or the lock connection failed): the row then says "no lock", and the heartbeat alone decides.
   */
  async #lockFor(id: number): Promise<number | null> {
    return (await this.#locks.hold(id).catch(() => false)) ? this.#locks.heldPid(id) : null;
  }

  async renewLease(id: number): Promise<boolean> {
    const owner = this.#leases.get(id);
    if (!owner) return false;
    // The session holding the lock, checked now: after a server restart it is gone, and the row must not name it
    // (its lock missing would read as a dead holder); the lock is taken again for the next beat to name.
    const lockPid = await this.#locks.heldPid(id);
    const held = await this.#guard(async () =>
      (await this.#run(`UPDATE runs SET heartbeat_at = ${NOW_MS}, lock_pid = $3 WHERE id = $1 AND lease_owner = $2`, [id, owner, lockPid])) === 1);
    if (!held) await this.#locks.release(id);
    else if (lockPid === null) void this.#locks.hold(id).catch(() => false);
    return held;
  }

  /** Lets go of a run: an unfinished one is resumable at once (its heartbeat cleared), as a released lock file says. */
  async releaseRun(id: number): Promise<void> {
    await this.#locks.release(id);
    const owner = this.#leases.get(id);
    if (!owner) return;
    this.#leases.delete(id);
    try {
      await this.#run('UPDATE runs SET heartbeat_at = NULL, lease_owner = NULL WHERE id = $1 AND lease_owner = $2', [id, owner]);
    } catch {
      // The server is unreachable: the lease expires by itself LEASE_MS after the last renewal.
    }
  }

  async discardRun(id: number): Promise<void> {
    await this.#guard(() => this.#tx((c) => this.#deleteRuns([id], c)));
    this.#leases.delete(id);
    await this.#locks.release(id);
  }

  async #deleteRuns(ids: number[], c: Client): Promise<void> {
    if (!ids.length) return;
    // run_indicators go with their run_datasets rows, every other table with the run (ON DELETE CASCADE).
    await this.#run('DELETE FROM runs WHERE id = ANY($1::BIGINT[])', [ids], c);
  }

  #liveness(r: Row): RunStatus {
    const id = num(r.id)!;
    const stored = String(r.status) as RunStatus;
    if (stored !== 'running' || this.#leases.has(id)) return stored;
    // LEASE_FREE, read: a stale heartbeat, or the session the row names no longer holds the lock.
    return r.lease_free ? 'interrupted' : 'running';
  }

  #toRun(r: Row): RunInfo {
    return toRun({ ...r, catalog: fromPgText(r.catalog), catalog_key: fromPgText(r.catalog_key) }, this.#liveness(r));
  }

  async getRun(id: number): Promise<RunInfo | undefined> {
    return this.#guard(() => this.#getRun(id));
  }

  async #getRun(id: number): Promise<RunInfo | undefined> {
    const row = await this.#get(`SELECT ${RUN_COLUMNS} FROM runs r WHERE id = $1`, [id]);
    return row ? this.#toRun(row) : undefined;
  }

  async listRuns(): Promise<RunInfo[]> {
    return this.#guard(async () => (await this.#all(`SELECT ${RUN_COLUMNS} FROM runs r ORDER BY id`)).map((r) => this.#toRun(r)));
  }

  async resumable(catalogKey?: string): Promise<RunInfo | undefined> {
    return (await this.listRuns()).reverse().find((r) => r.status === 'interrupted' && (catalogKey === undefined || r.catalogKey === catalogKey));
  }

  async completeRuns(by: CompleteRunsFilter = {}): Promise<RunInfo[]> {
    return this.#guard(async () => (await this.#all(
      `SELECT ${RUN_COLUMNS} FROM runs r WHERE status = 'complete' AND ($1::BIGINT IS NULL OR id < $1) AND ($2::TEXT IS NULL OR catalog_key = $2)
       AND ($3::TEXT IS NULL OR ruleset_id = $3) ORDER BY id DESC LIMIT $4`,
      [by.beforeId ?? null, pgText(by.catalogKey), by.rulesetId ?? null, by.last ?? null],
    )).map((r) => this.#toRun(r)).reverse());
  }

  async finishRun(id: number, f: FinishRun): Promise<void> {
    await this.#guard(() =>
      this.#tx(async (c) => {
        await this.#run(
          `UPDATE runs SET status = $1, finished_at = $2, pid = NULL, lease_owner = NULL, catalog_complete = $3, catalog_error = $4, catalog_findings = $5,
           stats = $6, bytes = $7, wire_bytes = $8 WHERE id = $9`,
          [f.status, f.finishedAt, f.catalogComplete ? 1 : 0, f.catalogError === undefined ? null : pgText(stripControls(redactText(f.catalogError))), f.catalogFindings, json(f.stats), f.bytes, f.wireBytes, id],
          c,
        );
        if (f.status === 'complete') await this.#run('DELETE FROM run_attempts WHERE run_id = $1', [id], c);
        await this.#run('DELETE FROM run_agencies WHERE run_id = $1', [id], c);
        // In the order given (row_id keeps it, for agencyScores 'recorded').
        await this.#run(
          `INSERT INTO run_agencies (run_id, agency, datasets, score, detail)
           SELECT $1, a, n, s, d FROM unnest($2::TEXT[], $3::INTEGER[], $4::DOUBLE PRECISION[], $5::TEXT[]) WITH ORDINALITY AS t(a, n, s, d, o) ORDER BY o`,
          [id, f.agencies.map((a) => pgText(escapeControls(a.agency))), f.agencies.map((a) => a.datasets), f.agencies.map((a) => a.score), f.agencies.map((a) => json(a))],
          c,
        );
      }));
  }

  // ------------------------------------------------------------------ datasets

  /** One transaction; the first write of (run, position, dataset) wins, so a job retried elsewhere counts once. */
  async saveDataset(rec: DatasetRecord): Promise<void> {
    const d = rec.result;
    const id = pgText(d.id);
    await this.#guard(() =>
      this.#tx(async (c) => {
        const inserted = await this.#run(
          `INSERT INTO run_datasets (run_id, idx, dataset_id, title, agency, badge, metadata_updated_at, content_changed, result)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [rec.runId, rec.idx, id, pgText(escapeControls(d.title)), pgText(escapeControls(d.agency)), pgText(d.badge), pgText(rec.metadataUpdatedAt),
            rec.contentChanged === null ? null : rec.contentChanged ? 1 : 0, json(d)],
          c,
        );
        if (!inserted) return;
        await this.#run('DELETE FROM run_attempts WHERE run_id = $1 AND idx = $2 AND dataset_id = $3', [rec.runId, rec.idx, id], c);
        const indicators = Object.entries(d.indicators);
        await this.#run(
          `INSERT INTO run_indicators (run_id, idx, dataset_id, indicator, verdict) SELECT $1, $2, $3, i, v FROM unnest($4::TEXT[], $5::TEXT[]) AS t(i, v)`,
          [rec.runId, rec.idx, id, indicators.map(([k]) => pgText(k)), indicators.map(([, r]) => pgText(r.verdict))],
          c,
        );
        await this.#run(
          `INSERT INTO run_resources (run_id, url, "fetch", facts, content_hash, reused, bytes, attempts)
           SELECT $1, u, f, x, h, r, b, a FROM unnest($2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::INTEGER[], $7::BIGINT[], $8::INTEGER[]) AS t(u, f, x, h, r, b, a)
           ON CONFLICT DO NOTHING`,
          [rec.runId, rec.resources.map((r) => pgText(redactUrl(r.url))), rec.resources.map((r) => json(r.fetch)), rec.resources.map((r) => (r.facts ? json(r.facts) : null)),
            rec.resources.map((r) => r.hash ?? null), rec.resources.map((r) => (r.reused ? 1 : 0)), rec.resources.map((r) => r.fetch.bytes ?? 0),
            rec.resources.map((r) => Math.max(1, r.fetch.attempts ?? 1))],
          c,
        );
        if (rec.bytes) await this.#run('UPDATE runs SET bytes = $1, wire_bytes = $2 WHERE id = $3', [rec.bytes.bytes, rec.bytes.wireBytes, rec.runId], c);
      }));
  }

  async unfinishedAttempts(runId: number): Promise<Map<string, number>> {
    return this.#guard(async () => new Map(
      (await this.#all(`SELECT idx, dataset_id, attempts FROM run_attempts WHERE run_id = $1 ORDER BY idx, dataset_id ${C}`, [runId]))
        .map((r) => [datasetKey(num(r.idx)!, fromPgText(r.dataset_id)!), num(r.attempts)!]),
    ));
  }

  async startAttempt(runId: number, idx: number, datasetId: string): Promise<void> {
    await this.#guard(() => this.#run(
      `INSERT INTO run_attempts (run_id, idx, dataset_id, attempts, session) VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (run_id, idx, dataset_id) DO UPDATE SET attempts = run_attempts.attempts + 1, session = EXCLUDED.session
       WHERE run_attempts.session IS DISTINCT FROM EXCLUDED.session`,
      [runId, idx, pgText(datasetId), this.#leases.get(runId) ?? randomUUID()],
    ));
  }

  async retainDatasets(runId: number, keep: ReadonlySet<string>): Promise<number> {
    return this.#guard(() =>
      this.#tx(async (c) => {
        const doomed = (await this.#all('SELECT idx, dataset_id FROM run_datasets WHERE run_id = $1 FOR UPDATE', [runId], c))
          .filter((r) => !keep.has(datasetKey(num(r.idx)!, fromPgText(r.dataset_id)!)));
        if (!doomed.length) return 0;
        // Their run_indicators rows go with them (ON DELETE CASCADE).
        return this.#run(
          'DELETE FROM run_datasets d USING unnest($2::INTEGER[], $3::TEXT[]) AS k(idx, id) WHERE d.run_id = $1 AND d.idx = k.idx AND d.dataset_id = k.id',
          [runId, doomed.map((r) => num(r.idx)), doomed.map((r) => r.dataset_id)],
          c,
        );
      }));
  }

  async datasetMetadata(runId: number, datasetId: string): Promise<{ found: boolean; metadataUpdatedAt?: string }> {
    return this.#guard(async () => {
      const row = await this.#get('SELECT metadata_updated_at AS m FROM run_datasets WHERE run_id = $1 AND dataset_id = $2 ORDER BY idx LIMIT 1', [runId, pgText(datasetId)]);
      return row ? { found: true, metadataUpdatedAt: fromPgText(row.m) } : { found: false };
    });
  }

  async runResults(runId: number): Promise<{ datasets: DatasetResult[]; agencies: AgencyScore[] }> {
    return this.#guard(async () => ({
      datasets: (await this.#all(`SELECT result FROM run_datasets WHERE run_id = $1 ORDER BY idx, dataset_id ${C}`, [runId])).map((r) => parse<DatasetResult>(r.result)!),
      agencies: await this.agencyScores(runId),
    }));
  }

  async *iterateRunResults(runId: number, below = Number.MAX_SAFE_INTEGER): AsyncGenerator<DatasetResult> {
    for await (const d of this.iterateRunDatasets(runId, below)) yield d.result;
  }

  /** In pages by key (no cursor held open between rows): bounded memory, and other queries may run in between. */
  async *iterateRunDatasets(runId: number, below = Number.MAX_SAFE_INTEGER): AsyncGenerator<StoredDataset> {
    let after: { idx: number; id: string } | undefined;
    for (;;) {
      const page = await this.#guard(() => this.#all(
        `SELECT idx, dataset_id, result FROM run_datasets WHERE run_id = $1 AND idx < $2
         AND ($3::INTEGER IS NULL OR idx > $3 OR (idx = $3 AND dataset_id ${C} > $4)) ORDER BY idx, dataset_id ${C} LIMIT 256`,
        [runId, Math.min(below, 2 ** 31 - 1), after?.idx ?? null, after?.id ?? null],
      ));
      for (const r of page) yield { idx: num(r.idx)!, id: fromPgText(r.dataset_id)!, result: parse<DatasetResult>(r.result)! };
      if (page.length < 256) return;
      const last = page[page.length - 1];
      after = { idx: num(last.idx)!, id: String(last.dataset_id) };
    }
  }

  async countRunResults(runId: number, below = Number.MAX_SAFE_INTEGER): Promise<number> {
    return this.#guard(async () => num((await this.#get('SELECT count(*) AS n FROM run_datasets WHERE run_id = $1 AND idx < $2', [runId, Math.min(below, 2 ** 31 - 1)]))?.n) ?? 0);
  }

  async runResultRowids(runId: number, below = Number.MAX_SAFE_INTEGER): Promise<Float64Array> {
    return this.#guard(async () => Float64Array.from(
      await this.#all(`SELECT row_id AS r FROM run_datasets WHERE run_id = $1 AND idx < $2 ORDER BY idx, dataset_id ${C}`, [runId, Math.min(below, 2 ** 31 - 1)]),
      (r) => num(r.r)!,
    ));
  }

  async runResultAt(rowid: number): Promise<DatasetResult> {
    return this.#guard(async () => {
      const r = await this.#get('SELECT result FROM run_datasets WHERE row_id = $1', [rowid]);
      if (!r) throw new StoreError('usage', this.path, `no stored result with row id ${rowid}`);
      return parse<DatasetResult>(r.result)!;
    });
  }

  async agencyScores(runId: number, order: 'name' | 'recorded' = 'name'): Promise<AgencyScore[]> {
    return this.#guard(async () => (await this.#all(`SELECT detail FROM run_agencies WHERE run_id = $1 ORDER BY ${order === 'name' ? `agency ${C}` : 'row_id'}`, [runId]))
      .map((r) => parse<AgencyScore>(r.detail)!));
  }

  async resourceStats(runId: number): Promise<ResourceStats> {
    return this.#guard(async () => resourceStats(await this.#get(
      // sum() of BIGINT is NUMERIC, which pg gives as a string: cast back.
      'SELECT count(*) AS urls, sum(attempts)::BIGINT AS requests, sum(CASE WHEN reused = 1 THEN 0 ELSE bytes END)::BIGINT AS bytes, sum(reused)::BIGINT AS reused FROM run_resources WHERE run_id = $1',
      [runId],
    )));
  }

  // ------------------------------------------------------------------ per-URL state

  async urlState(url: string): Promise<UrlState | undefined> {
    return this.#guard(() => this.#urlState(redactUrl(url)));
  }

  async #urlState(key: string, c?: Client, lock = false): Promise<UrlState | undefined> {
    const r = await this.#get(`SELECT * FROM url_state WHERE url = $1${lock ? ' FOR UPDATE' : ''}`, [pgText(key)], c);
    if (!r) return undefined;
    return toUrlState({ ...r, etag: fromPgText(r.etag), last_modified: fromPgText(r.last_modified), declared_format: fromPgText(r.declared_format) }, key);
  }

  /** The URL's row locked for the transaction: observations of one URL by several workers happen one after another. */
  async observeUrl(run: { id: number; startedAt: string }, obs: UrlObservation, checkedAt: string): Promise<UrlVerdict> {
    const o = { ...obs, url: redactUrl(obs.url) };
    const key = pgText(o.url);
    return this.#guard(() =>
      this.#tx(async (c) => {
        for (;;) {
          const { write: w, verdict } = urlObservation(await this.#urlState(o.url, c, true), run, o);
          if (w.kind === 'insert') {
            const n = await this.#run(
              `INSERT INTO url_state (url, etag, last_modified, content_hash, declared_format, "fetch", facts, first_run, seen_run, checked_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) ON CONFLICT (url) DO NOTHING`,
              [key, pgText(w.etag), pgText(w.lastModified), w.hash, pgText(w.declaredFormat), w.fetch, w.facts, run.id, checkedAt],
              c,
            );
            // Another worker inserted it between our look and our insert: judge again against its row, locked.
            if (!n) continue;
          } else if (w.kind === 'touch') await this.#run('UPDATE url_state SET seen_run = $1, checked_at = $2 WHERE url = $3', [run.id, checkedAt, key], c);
          else {
            await this.#run(
              `UPDATE url_state SET etag = $1, last_modified = $2, content_hash = $3, declared_format = $4, "fetch" = $5, facts = $6, seen_run = $7,
               changed_at = $8, changed_run = $9, checked_at = $10 WHERE url = $11`,
              [pgText(w.etag), pgText(w.lastModified), w.hash, pgText(w.declaredFormat), w.fetch, w.facts, run.id, w.changedAt, w.changedRun, checkedAt, key],
              c,
            );
          }
          return verdict;
        }
      }));
  }

  // ------------------------------------------------------------------ retention

  async prune(keep: number): Promise<{ deletedRuns: number[]; urlsDropped: number }> {
    return this.#guard(() =>
      this.#tx(async (c) => {
        const runs = await this.#all(`SELECT r.id, r.status, ${LIVENESS_COLUMNS} FROM runs r ORDER BY r.id DESC FOR UPDATE OF r`, [], c);
        const doomed = runs.slice(keep).filter((r) => this.#liveness(r) !== 'running').map((r) => num(r.id)!);
        await this.#deleteRuns(doomed, c);
        const urlsDropped = await this.#run('DELETE FROM url_state WHERE seen_run NOT IN (SELECT id FROM runs)', [], c);
        return { deletedRuns: doomed.sort((a, b) => a - b), urlsDropped };
      }));
  }

  /** `ok`, or what is inconsistent: rows whose run is gone (the foreign keys forbid them; a hand edit could not). */
  async integrityCheck(): Promise<string> {
    return this.#guard(async () => {
      const r = await this.#get(`SELECT
        (SELECT count(*) FROM run_indicators i WHERE NOT EXISTS (SELECT 1 FROM run_datasets d WHERE d.run_id = i.run_id AND d.idx = i.idx AND d.dataset_id = i.dataset_id)) AS indicators,
        (SELECT count(*) FROM run_datasets d WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = d.run_id)) AS datasets`);
      const problems = [num(r?.indicators) ? `${num(r?.indicators)} orphaned verdicts` : '', num(r?.datasets) ? `${num(r?.datasets)} orphaned results` : ''].filter(Boolean);
      return problems.length ? problems.join('; ') : 'ok';
    });
  }
}
