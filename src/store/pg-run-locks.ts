// Whether the process that runs a run is still alive, told at once on PostgreSQL: the holder keeps a session-level
// advisory lock (RUN_LOCK, run id) on a connection of its own. When the process dies the server closes that session
// and the lock is gone that moment — the run is resumable at once, as SQLite's released lock file makes it, instead
// of LEASE_MS after the last heartbeat.
//
// The lock is a liveness signal on top of the heartbeat, never the only one (pg-store.ts decides, LEASE_FREE): the
// run's row names the session holding its lock (lock_pid), renewed with each heartbeat, so
// - a server restart, which drops every session, frees nothing: the row names a session of the old server until the
//   holder's next heartbeat names none (or its new one) — judged by the heartbeat meanwhile;
// - a lock that could not be had (its connection failing) is named as none, and the heartbeat decides;
// - a machine that vanished without closing its connection keeps the lock until the server notices (TCP keepalive,
//   possibly hours), so a stale heartbeat frees the run whatever the lock says.
import pg from 'pg';

/** Advisory-lock key space of runs ("odbr"); with the run id as the second key. */
export const RUN_LOCK = 0x6f646272;

/** SQL: whether backend `pidExpr` holds run `idExpr`'s lock in this database. */
export function runLockedSql(idExpr: string, pidExpr: string): string {
  return `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${RUN_LOCK}::oid
    AND l.objid = (${idExpr})::oid AND l.objsubid = 2 AND l.pid = ${pidExpr}
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;
}

/** SQL: when the server started, in ms since the epoch (a restart drops every session's locks). */
export const SERVER_STARTED_MS = '(extract(epoch FROM pg_postmaster_start_time()) * 1000)::BIGINT';

/** The run locks this process holds, on one connection of their own (reopened after the server restarts). */
export class RunLocks {
  readonly #url: string;
  #session: Promise<{ client: pg.Client; pid: number }> | undefined;
  readonly #held = new Set<number>();
  readonly #holding = new Map<number, Promise<boolean>>();

  constructor(url: string) {
    this.#url = url;
  }

  /**
   * The backend pid of the session holding run `id`'s lock, asked of that session now (a restart may have ended it
   * without our noticing yet); null when this process does not hold the lock.
   */
  async heldPid(id: number): Promise<number | null> {
    if (!this.#held.has(id)) return null;
    const s = await this.#session?.catch(() => undefined);
    if (!s) return null;
    try {
      await s.client.query('SELECT 1');
      return this.#held.has(id) ? s.pid : null;
    } catch {
      this.#lost(s.client);
      return null;
    }
  }

  /**
   * Takes run `id`'s lock if no other session holds it; true when this process holds it now. One attempt at a time
   * per run: session locks stack, and a lock taken twice would outlive one unlock.
   */
  hold(id: number): Promise<boolean> {
    if (this.#held.has(id)) return Promise.resolve(true);
    let attempt = this.#holding.get(id);
    if (!attempt) {
      attempt = this.#tryLock(id).finally(() => this.#holding.delete(id));
      this.#holding.set(id, attempt);
    }
    return attempt;
  }

  async #tryLock(id: number): Promise<boolean> {
    const { client } = await this.#open();
    try {
      const { rows: [r] } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::INTEGER, $2::INTEGER) AS ok', [RUN_LOCK, id]);
      if (r.ok) this.#held.add(id);
      return r.ok;
    } catch (e) {
      this.#lost(client);
      throw e;
    }
  }

  holds(id: number): boolean {
    return this.#held.has(id);
  }

  /** Lets go of run `id`'s lock; the session closes when it holds none. */
  async release(id: number): Promise<void> {
    // An attempt in flight (a renewal re-taking the lock) would take it after this release: let it land first.
    await this.#holding.get(id)?.catch(() => false);
    if (!this.#held.delete(id)) return;
    const s = await this.#session?.catch(() => undefined);
    if (!s) return;
    if (!this.#held.size) return this.close();
    await s.client.query('SELECT pg_advisory_unlock($1::INTEGER, $2::INTEGER)', [RUN_LOCK, id]).catch(() => undefined);
  }

  async close(): Promise<void> {
    const s = this.#session;
    this.#session = undefined;
    this.#held.clear();
    const open = await s?.catch(() => undefined);
    await open?.client.end().catch(() => undefined);
  }

  #open(): Promise<{ client: pg.Client; pid: number }> {
    this.#session ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url, keepAlive: true, connectionTimeoutMillis: 5_000, query_timeout: 5_000, application_name: 'odbadge-run-lock' });
      // The server dropped the session (a restart): its locks are gone with it; the next hold() opens another.
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      await client.connect();
      const { rows: [r] } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return { client, pid: r.pid };
    })();
    const opening = this.#session;
    opening.catch(() => {
      if (this.#session === opening) this.#session = undefined;
    });
    return opening;
  }

  #lost(client: pg.Client): void {
    void this.#session?.then((s) => {
      if (s.client !== client) return;
      this.#session = undefined;
      this.#held.clear();
      void client.end().catch(() => undefined);
    }, () => undefined);
  }
}
