// Issue 15: politeness across machines. Several fetchers, each with its own PostgreSQL host gate (as separate worker
// processes have), request one real server on 127.0.0.1: the server never sees more than perHost requests at once,
// a Retry-After one fetcher received holds for the others, and a dead holder's lease frees after it expires.
import type http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, type FetchOptions } from '../../src/fetch/index.ts';
import { PgHostGate } from '../../src/store/pg-host-gate.ts';
import { FAST, startServer, type TestServer } from '../fetch/helpers.ts';
import { havePostgres, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

describe.skipIf(!havePostgres)('per-host limits shared through PostgreSQL', () => {
  let db: TestPostgres;
  let pool: pg.Pool;
  let server: TestServer;
  let inFlight = 0;
  let maxInFlight = 0;
  let arrivals: { at: number; path: string; status: number }[] = [];
  let throttleNext = false;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url ?? '/';
    if (throttleNext) {
      throttleNext = false;
      arrivals.push({ at: performance.now(), path, status: 503 });
      res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('busy');
      return;
    }
    arrivals.push({ at: performance.now(), path, status: 200 });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,2\n');
    }, 60);
  };

  beforeAll(async () => {
    db = startPostgres();
    pool = new pg.Pool({ connectionString: db.url, max: 20 });
    server = await startServer(handler, { host: '127.0.0.21' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await pool?.end();
    db?.destroy();
  });

  /** `n` fetchers, each with its own gate allowing 2 per host (as separate worker processes have), closed after `fn`. */
  const withFetchers = async (n: number, fetch: Partial<FetchOptions>, fn: (fetchers: Fetcher[]) => Promise<void>) => {
    const gates = await Promise.all(Array.from({ length: n }, () => PgHostGate.open(pool, { perHost: 2, spacingMs: 0, pollMs: 20 })));
    const fetchers = gates.map((g) => new Fetcher({ ...FAST, ...fetch }, { hostGate: g }));
    try {
      await fn(fetchers);
    } finally {
      for (const f of fetchers) await f.close();
      for (const g of gates) await g.close();
    }
  };

  const reset = async () => {
    inFlight = 0;
    maxInFlight = 0;
    arrivals = [];
    await pool.query('DELETE FROM odbadge_host_lease; DELETE FROM odbadge_host').catch(() => undefined);
  };

  it('three fetchers allowed 4 each on the host: the server sees at most 2 at once, and does see 2', async () => {
    await reset();
    await withFetchers(3, { perHost: 4, concurrency: 8 }, async (fetchers) => {
      const outcomes = await Promise.all(fetchers.flatMap((f, i) => Array.from({ length: 8 }, (_, k) => f.fetch(`${server.origin}/w${i}/r${k}.csv`))));
      expect(outcomes.map((o) => o.kind)).toEqual(Array(24).fill('ok'));
      expect(arrivals).toHaveLength(24);
      expect(maxInFlight).toBe(2);
      // Every lease given back (the deletes are asynchronous: give them a moment).
      for (let i = 0; i < 50 && (await pool.query('SELECT count(*)::int AS n FROM odbadge_host_lease')).rows[0].n > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await pool.query('SELECT count(*)::int AS n FROM odbadge_host_lease')).rows[0].n).toBe(0);
    });
  }, 60_000);

  it('a 503 with Retry-After: 1 to one fetcher pauses the host for the other fetchers too', async () => {
    await reset();
    await withFetchers(2, { perHost: 2, concurrency: 4, retries: 0 }, async (fetchers) => {
      throttleNext = true;
      const first = await fetchers[0].fetch(`${server.origin}/throttled.csv`);
      expect(first.status).toBe(503);
      const others = await Promise.all(Array.from({ length: 4 }, (_, k) => fetchers[1].fetch(`${server.origin}/after${k}.csv`)));
      expect(others.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok']);
      const throttledAt = arrivals.find((a) => a.status === 503)!.at;
      const next = Math.min(...arrivals.filter((a) => a.status === 200).map((a) => a.at));
      // The other fetcher (another holder, as another machine is) waited out the host's second.
      expect(next - throttledAt).toBeGreaterThanOrEqual(900);
    });
  }, 60_000);

  it('a holder that died keeps its slots only until its leases expire', async () => {
    await reset();
    const dead = await PgHostGate.open(pool, { perHost: 1, spacingMs: 0, leaseMs: 1_500, pollMs: 20 });
    // Takes the host's only slot and never gives it back, nor renews it (as a SIGKILLed worker would not).
    await dead.acquire('127.0.0.21');
    await pool.query(`UPDATE odbadge_host_lease SET holder = '00000000-0000-0000-0000-000000000000'`);
    const live = await PgHostGate.open(pool, { perHost: 1, spacingMs: 0, leaseMs: 1_500, pollMs: 20 });
    const fetcher = new Fetcher({ ...FAST, perHost: 1, concurrency: 1 }, { hostGate: live });
    try {
      const started = performance.now();
      const o = await fetcher.fetch(`${server.origin}/after-expiry.csv`);
      expect(o.kind).toBe('ok');
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      await fetcher.close();
      await live.close();
      await dead.close();
    }
  }, 60_000);
});
