// Per-host politeness across machines, kept in PostgreSQL (the fetcher's HostGate): every worker of a distributed
// audit takes a lease on a host before a request and gives it back after, so no host ever has more than `perHost`
// requests in flight from all workers together; starts on a host are at least `spacingMs` apart; a Retry-After one
// worker received pauses the host for every worker. The database's clock decides (clock_timestamp()), so the
// machines' clocks need not agree.
//
// A lease expires `leaseMs` after its last renewal; a live gate renews the leases it holds every leaseMs / 4, so only
// a dead (or frozen) worker's leases expire — and then the host's other workers may use the slot. A worker that is
// frozen longer than leaseMs while a request is in flight could exceed the limit by one: leases are generous (60 s
// by default) for that reason.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { HostGateUnavailable, type HostGate } from '../fetch/host-gate.ts';
import { reconnectWindowMs, withReconnect } from './pg-reconnect.ts';
import { inTransaction } from './pg-transaction.ts';
import { sleep } from '../util/sleep.ts';

export interface PgHostGateOptions {
  /** Requests in flight per host across every process sharing the database. */
  perHost: number;
  /** At least this long between two starts on one host, across processes. */
  spacingMs: number;
  /** A lease not renewed for this long is free again (its holder died). */
  leaseMs?: number;
  /** How often a waiting acquire asks again, at most (it asks sooner when it knows when the host will be free). */
  pollMs?: number;
  /** How long acquire keeps trying while the database is unreachable (restarting) before it gives up (default: the store's window). */
  reconnectMs?: number;
}

export const HOST_GATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS odbadge_host (
  host TEXT PRIMARY KEY,
  next_start_at TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
  paused_until TIMESTAMPTZ NOT NULL DEFAULT 'epoch'
);
CREATE TABLE IF NOT EXISTS odbadge_host_lease (
  lease UUID PRIMARY KEY,
  host TEXT NOT NULL,
  holder UUID NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS odbadge_host_lease_host ON odbadge_host_lease (host);
CREATE INDEX IF NOT EXISTS odbadge_host_lease_holder ON odbadge_host_lease (holder);
`;

/**
 * One attempt at a lease: under the host row's lock (so attempts on one host are serial), drop expired leases, and
 * take one if the host has room, is not paused and its spacing has passed. Returns the lease, or how long to wait.
 */
const TRY_ACQUIRE = `
WITH h AS (
  INSERT INTO odbadge_host (host) VALUES ($1)
  ON CONFLICT (host) DO UPDATE SET host = EXCLUDED.host
  RETURNING host, next_start_at, paused_until
)
SELECT
  GREATEST(h.next_start_at, h.paused_until) AS ready_at,
  clock_timestamp() AS now
FROM h`;

export class PgHostGate implements HostGate {
  readonly #pool: pg.Pool;
  readonly #o: Required<PgHostGateOptions>;
  readonly #holder = randomUUID();
  /** Leases held: lease id → host. */
  readonly #held = new Map<string, string>();
  /** Pause writes not yet done, per host: a release waits for them, so the pause is in force before the slot is free. */
  readonly #pausing = new Map<string, Promise<void>>();
  readonly #renewer: NodeJS.Timeout;
  #closed = false;

  private constructor(pool: pg.Pool, o: PgHostGateOptions) {
    this.#pool = pool;
    this.#o = { leaseMs: 60_000, pollMs: 100, reconnectMs: reconnectWindowMs(), ...o };
    this.#renewer = setInterval(() => void this.#renew(), Math.max(250, this.#o.leaseMs / 4));
    this.#renewer.unref();
  }

  /** A gate on `pool` (its tables created if missing). */
  static async open(pool: pg.Pool, o: PgHostGateOptions): Promise<PgHostGate> {
    // Workers start together: CREATE … IF NOT EXISTS is not safe against a concurrent twin, so one at a time.
    await withReconnect(() => inTransaction(pool, async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('odbadge_host_gate'))`);
      await c.query(HOST_GATE_SCHEMA);
    }), { windowMs: o.reconnectMs ?? reconnectWindowMs() });
    return new PgHostGate(pool, o);
  }

  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (this.#closed) throw new Error('host gate is closed');
      signal?.throwIfAborted();
      let got: string | number;
      try {
        // The database restarting, or a connection dropped: asked again until it is back (pg-reconnect.ts).
        got = await withReconnect(() => this.#tryAcquire(host), { windowMs: this.#o.reconnectMs, ...(signal ? { signal } : {}) });
      } catch (e) {
        signal?.throwIfAborted();
        throw new HostGateUnavailable(`the shared host limits (PostgreSQL) cannot be consulted: ${(e as Error).message}`, { cause: e });
      }
      if (typeof got === 'string') {
        this.#held.set(got, host);
        return this.#releaser(got, host);
      }
      // Not yet: wait until the host is ready (spacing, pause) or, when it is full, one poll interval (with
      // jitter, so waiting workers do not ask in lockstep).
      const wait = Math.max(5, Math.min(got, this.#o.pollMs) * (0.75 + Math.random() / 2));
      if (!(await sleep(wait, signal))) signal!.throwIfAborted();
    }
  }

  pause(host: string, delayMs: number): Promise<void> {
    // Waits out a database restart like acquire does (nobody can start on the host meanwhile anyway); the pause is
    // lost only when the database stays away longer.
    const write = withReconnect(() => this.#pool.query(
      `INSERT INTO odbadge_host (host, paused_until) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (host) DO UPDATE SET paused_until = GREATEST(odbadge_host.paused_until, EXCLUDED.paused_until)`,
      [host, Math.max(0, Math.round(delayMs))],
    ), { windowMs: this.#o.reconnectMs }).then(() => undefined, () => undefined);
    const before = this.#pausing.get(host) ?? Promise.resolve();
    const chained = before.then(() => write);
    this.#pausing.set(host, chained);
    void chained.then(() => {
      if (this.#pausing.get(host) === chained) this.#pausing.delete(host);
    });
    return chained;
  }

  /** Stops renewing and gives back every lease still held. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#renewer);
    await Promise.all(this.#pausing.values());
    if (this.#held.size) await this.#pool.query('DELETE FROM odbadge_host_lease WHERE holder = $1', [this.#holder]).catch(() => undefined);
    this.#held.clear();
  }

  /**
   * A lease id, or the milliseconds to wait before asking again. Asked again after a connection broke: should the
   * lost attempt have committed, its lease is unknown to us and frees itself after leaseMs.
   */
  async #tryAcquire(host: string): Promise<string | number> {
    return inTransaction(this.#pool, async (client) => {
      const { rows: [h] } = await client.query<{ ready_at: Date; now: Date }>(TRY_ACQUIRE, [host]);
      // The row lock the upsert took serialises every attempt on this host until COMMIT.
      const wait = h.ready_at.getTime() - h.now.getTime();
      if (wait > 0) return wait;
      await client.query('DELETE FROM odbadge_host_lease WHERE host = $1 AND expires_at < clock_timestamp()', [host]);
      const { rows: [c] } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM odbadge_host_lease WHERE host = $1', [host]);
      if (c.n >= this.#o.perHost) return this.#o.pollMs;
      const lease = randomUUID();
      await client.query(
        `INSERT INTO odbadge_host_lease (lease, host, holder, expires_at) VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond')`,
        [lease, host, this.#holder, this.#o.leaseMs],
      );
      await client.query(`UPDATE odbadge_host SET next_start_at = clock_timestamp() + $2 * interval '1 millisecond' WHERE host = $1`, [host, this.#o.spacingMs]);
      return lease;
    });
  }

  #releaser(lease: string, host: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const pausing = this.#pausing.get(host) ?? Promise.resolve();
      void pausing
        .then(() => this.#pool.query('DELETE FROM odbadge_host_lease WHERE lease = $1', [lease]))
        .catch(() => undefined) // the lease expires on its own
        .finally(() => this.#held.delete(lease));
    };
  }

  async #renew(): Promise<void> {
    if (!this.#held.size || this.#closed) return;
    await this.#pool.query(
      `UPDATE odbadge_host_lease SET expires_at = clock_timestamp() + $2 * interval '1 millisecond' WHERE holder = $1`,
      [this.#holder, this.#o.leaseMs],
    ).catch(() => undefined); // the database is away: the leases expire, and acquire fails until it is back
  }
}
