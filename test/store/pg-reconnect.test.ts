// Issue 15: "PostgreSQL restarted mid-run: workers and coordinator reconnect and go on." A real server in a temporary
// directory is stopped and started under a store and a host gate that were already using it: what was asked during
// the outage completes once the server is back; an outage longer than the window is a clear error; an error the
// server answers with is not waited out; a fetcher whose shared limits cannot be consulted does not judge the resource.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, HostGateUnavailable } from '../../src/fetch/index.ts';
import { StoreError } from '../../src/store/errors.ts';
import type { HistoryStore, NewRun } from '../../src/store/history-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { PgHostGate } from '../../src/store/pg-host-gate.ts';
import { isPgUnreachable, withReconnect } from '../../src/store/pg-reconnect.ts';
import { FAST } from '../fetch/helpers.ts';
import { havePostgres, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

const newRun = (catalogKey: string): NewRun => ({ rulesetId: 'tw-ndc-2017', ruleset: { id: 'tw-ndc-2017' }, catalog: 'c.csv', catalogKey, options: { out: '/o' }, startedAt: '2026-11-30T08:00:00.000Z' });
const later = (ms: number, fn: () => void) => new Promise<void>((r) => setTimeout(() => (fn(), r()), ms));

describe('withReconnect: what is waited out', () => {
  it('a refused connection is tried again until it works; each wait is told', async () => {
    let calls = 0;
    const waits: string[] = [];
    const got = await withReconnect(async () => {
      if (++calls < 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return 'rows';
    }, { windowMs: 10_000, onWait: (e) => waits.push((e as Error).message) });
    expect([got, calls, waits.length]).toEqual(['rows', 3, 2]);
  });

  it('an error the server answers with (undefined table) is thrown at once', async () => {
    let calls = 0;
    const e = Object.assign(new Error('relation "runs" does not exist'), { code: '42P01' });
    await expect(withReconnect(async () => {
      calls++;
      throw e;
    }, { windowMs: 10_000 })).rejects.toBe(e);
    expect(calls).toBe(1);
  });

  it('the server shutting down, starting up, or a dropped connection count as unreachable; a wrong password does not', () => {
    expect([
      { code: '57P01', message: 'terminating connection due to administrator command' },
      { code: '57P03', message: 'the database system is starting up' },
      { message: 'Connection terminated unexpectedly' },
      { code: 'ENOENT', message: 'connect ENOENT /tmp/x/.s.PGSQL.5432' },
      { code: '28P01', message: 'password authentication failed for user "odbadge"' },
      { code: '3D000', message: 'database "nope" does not exist' },
    ].map((e) => isPgUnreachable(Object.assign(new Error(e.message), e)))).toEqual([true, true, true, true, false, false]);
  });
});

describe.skipIf(!havePostgres)('a PostgreSQL restart under a store and a host gate', () => {
  let db: TestPostgres;
  const told: string[] = [];
  let store: HistoryStore;

  beforeAll(async () => {
    db = startPostgres();
    store = await openStore(db.url, { onUnreachable: (m) => told.push(m) });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    db?.destroy();
  });

  it('an operation asked while the server is down completes when it is back, and the wait is told once', async () => {
    const run = await store.createRun(newRun('before'));
    db.stop('fast');
    told.length = 0;
    const during = store.createRun(newRun('during'));
    const listed = store.listRuns();
    await later(1_500, () => db.start());
    const made = await during;
    expect((await listed).map((r) => r.catalogKey)).toContain('before');
    // The run asked for during the outage exists once, with its own id.
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.catalogKey, r.status])).toEqual([['before', 'running'], ['during', 'running']]);
    expect(made.id).toBeGreaterThan(run.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^the history store postgres:.* is unreachable \(.+\); waiting up to 300 s for it to come back$/);
  }, 60_000);

  it('an outage longer than the window is a clear StoreError, not a hang', async () => {
    const impatient = await openStore(db.url, { reconnectMs: 1_000 });
    try {
      db.stop('fast');
      const e = await impatient.listRuns().then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).kind).toBe('io');
      expect((e as StoreError).message).toMatch(/^cannot connect to the history store postgres:/);
    } finally {
      db.start();
      await impatient.close();
    }
  }, 60_000);

  it('an error the server answers with is reported at once, without waiting', async () => {
    const other = await openStore(db.url, { create: true, onUnreachable: (m) => told.push(m) });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    told.length = 0;
    try {
      await client.query('ALTER TABLE runs RENAME TO runs_away');
      const e = await other.listRuns().then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).message).toMatch(/SQLSTATE 42P01/);
      expect(told).toEqual([]);
    } finally {
      await client.query('ALTER TABLE runs_away RENAME TO runs');
      await client.end();
      await other.close();
    }
  }, 60_000);

  it('the host gate waits out a restart; past its window the fetcher throws HostGateUnavailable instead of judging the resource', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => {});
    const patient = await PgHostGate.open(pool, { perHost: 1, spacingMs: 0, pollMs: 20 });
    const impatient = await PgHostGate.open(pool, { perHost: 1, spacingMs: 0, pollMs: 20, reconnectMs: 1_000 });
    const fetcher = new Fetcher({ ...FAST, allowPrivateNetwork: true }, { hostGate: impatient });
    try {
      db.stop('fast');
      const slot = patient.acquire('portal.example');
      // No request goes out: the gate fails before the fetcher opens a connection.
      const e = await fetcher.fetch('http://127.0.0.1:9/never.csv').then((r) => r, (x: unknown) => x);
      expect(e).toBeInstanceOf(HostGateUnavailable);
      expect((e as Error).message).toMatch(/^the shared host limits \(PostgreSQL\) cannot be consulted: /);
      await later(500, () => db.start());
      const release = await slot;
      expect(typeof release).toBe('function');
      release();
    } finally {
      await fetcher.close();
      await patient.close();
      await impatient.close();
      await pool.end();
    }
  }, 60_000);
});
