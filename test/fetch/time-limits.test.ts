// Bounded time per host: a minimum transfer rate, a total time-out that is not retried, and the per-host circuit
// breaker (a host that keeps timing out gets one short attempt per remaining resource, reported "host unresponsive").
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { FAST, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

const hits = new Map<string, number>();
const timers = new Set<NodeJS.Timeout>();
const every = (ms: number, res: http.ServerResponse, fn: () => void) => {
  const t = setInterval(() => (res.destroyed ? clearInterval(t) : fn()), ms);
  timers.add(t);
  res.on('close', () => clearInterval(t));
};

let srv: TestServer; // 127.0.0.1
let mute: TestServer; // 127.0.0.2: accepts, reads the request, never answers (except /ok)
let answersAfterOk = false;

beforeAll(async () => {
  srv = await startServer((req, res) => {
    const path = (req.url ?? '/').replace(/\?.*/, '');
    hits.set(req.url ?? '/', (hits.get(req.url ?? '/') ?? 0) + 1);
    if (path === '/drip') {
      // One byte every 100 ms: never idle, but 10 B/s.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('a\n');
      return every(100, res, () => res.write('1'));
    }
    if (path === '/trickle') {
      res.writeHead(200);
      return every(50, res, () => res.write('.'));
    }
    res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n1,2\n');
  });
  mute = await startServer((req, res) => {
    const path = (req.url ?? '/').replace(/\?.*/, '');
    hits.set(`mute${req.url}`, (hits.get(`mute${req.url}`) ?? 0) + 1);
    if (path === '/ok' || (answersAfterOk && path === '/late')) return void res.writeHead(200).end('x\n1\n');
    // Never answers: the client's time-outs end it.
  }, { host: '127.0.0.2' });
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await Promise.all([srv.close(), mute.close()]);
});

describe('minimum transfer rate and total time-out', () => {
  it('cuts a drip below the minimum rate as a (retried) time-out, long before the total time-out', async () => {
    const f = new Fetcher({ ...FAST, minSpeedBytesPerSec: 100, minSpeedWindowMs: 400, retries: 1, totalTimeoutMs: 60_000 });
    const o = await f.fetch(`${srv.origin}/drip?rate`);
    await f.close();
    expect(o).toMatchObject({ kind: 'timeout', transient: true, attempts: 2 });
    expect(o.error).toMatch(/transfer too slow: \d+ bytes in 0\.4 s, below the minimum rate of 100 bytes\/s/);
    expect(hits.get('/drip?rate')).toBe(2);
    expect(o.elapsedMs).toBeLessThan(30_000); // hang guard: the total time-out (60 s) never came into play
  });

  it('minSpeedBytesPerSec 0 turns the check off (the total time-out ends the drip)', async () => {
    const f = new Fetcher({ ...FAST, minSpeedBytesPerSec: 0, minSpeedWindowMs: 100, retries: 0, totalTimeoutMs: 600 });
    const o = await f.fetch(`${srv.origin}/drip?off`);
    await f.close();
    expect(o.kind).toBe('timeout');
    expect(o.error).toMatch(/total time-out/);
  });

  it('does not retry a total time-out: one attempt, one request', async () => {
    const f = new Fetcher({ ...FAST, totalTimeoutMs: 400, retries: 2 });
    const o = await f.fetch(`${srv.origin}/trickle?total`);
    await f.close();
    expect(o).toMatchObject({ kind: 'timeout', transient: true, attempts: 1 });
    expect(o.error).toMatch(/total time-out/);
    expect(hits.get('/trickle?total')).toBe(1);
  });

  it('a per-call total time-out overrides the fetcher\'s', async () => {
    const f = new Fetcher({ ...FAST, totalTimeoutMs: 60_000 });
    const o = await f.fetch(`${srv.origin}/trickle?call`, { totalTimeoutMs: 300 });
    await f.close();
    expect(o.kind).toBe('timeout');
    expect(o.error).toMatch(/total time-out of 300 ms/);
  });
});

describe('per-host circuit breaker', () => {
  const BREAKER = { ...FAST, perHost: 1, retries: 1, headersTimeoutMs: 300, breakerTimeouts: 2, breakerDeadlineMs: 120 };

  it('after repeated time-outs, the host\'s remaining resources get one short attempt each, "host unresponsive"', async () => {
    const f = new Fetcher(BREAKER);
    const urls = [1, 2, 3, 4, 5].map((i) => `${mute.origin}/r${i}?a`);
    const out = await Promise.all(urls.map((u) => f.fetch(u)));
    await f.close();
    // perHost 1, FIFO: r1's first attempt and then r2 time out at full length (300 ms): the streak reaches 2 and the
    // breaker opens, so r2 is not retried. r3…r5, then r1's retry (queued behind them), get one 120 ms attempt.
    expect(out.map((o) => o.kind)).toEqual(['timeout', 'timeout', 'timeout', 'timeout', 'timeout']);
    expect(out.map((o) => o.attempts)).toEqual([2, 1, 1, 1, 1]);
    expect(out[1].error).toMatch(/^host unresponsive \(2 time-outs in a row on 127\.0\.0\.2\): .*headers/);
    for (const o of [out[0], ...out.slice(2)]) {
      expect(o.transient).toBe(true);
      expect(o.error).toMatch(/^host unresponsive \(\d+ time-outs in a row on 127\.0\.0\.2; tried once with a 120 ms deadline\): .*total time-out of 120 ms/);
    }
    expect([1, 2, 3, 4, 5].map((i) => hits.get(`mute/r${i}?a`))).toEqual([2, 1, 1, 1, 1]);
  });

  it('the request queued behind the one that tripped the breaker already gets the short deadline', async () => {
    const f = new Fetcher({ ...BREAKER, retries: 0, breakerTimeouts: 1 });
    const [a, b] = await Promise.all([f.fetch(`${mute.origin}/q1?b`), f.fetch(`${mute.origin}/q2?b`)]);
    await f.close();
    expect(a.error).toMatch(/^host unresponsive \(1 time-outs in a row on 127\.0\.0\.2\): /);
    expect(b.error).toMatch(/tried once with a 120 ms deadline/);
  });

  it('an answer from the host closes the breaker; catalogue requests are never cut short', async () => {
    const f = new Fetcher({ ...BREAKER, retries: 0, breakerTimeouts: 1 });
    try {
      await f.fetch(`${mute.origin}/x1?c`);
      const cat = await f.fetch(`${mute.origin}/x2?c`, { role: 'catalog' });
      // Full headers time-out, no "unresponsive" wording: the audit cannot go on without its catalogue.
      expect(cat.kind).toBe('timeout');
      expect(cat.error).not.toMatch(/unresponsive|120 ms/);
      expect((await f.fetch(`${mute.origin}/ok?c`)).kind).toBe('ok');
      const after = await f.fetch(`${mute.origin}/x3?c`);
      expect(after.error).not.toMatch(/tried once/);
      expect(f.stats.catalog).toMatchObject({ fetches: 1, requests: 1 });
      expect(f.stats.fetches).toBe(3);
    } finally {
      await f.close();
    }
  });

  it('attempts already in flight when the breaker opens are cut to the short deadline too', async () => {
    const f = new Fetcher({ ...BREAKER, perHost: 2, retries: 0, breakerTimeouts: 1, headersTimeoutMs: 5_000, totalTimeoutMs: 10_000 });
    // a times out first (its own 200 ms total) and opens the breaker; b, granted before that, had 10 s.
    const [a, b] = await Promise.all([
      f.fetch(`${mute.origin}/in1?e`, { totalTimeoutMs: 200 }),
      f.fetch(`${mute.origin}/in2?e`),
    ]);
    await f.close();
    expect(a.error).toMatch(/^host unresponsive \(1 time-outs in a row on 127\.0\.0\.2\): total time-out: attempt exceeded the total time-out of 200 ms/);
    expect(b).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(b.error).toMatch(/^host unresponsive \(2 time-outs in a row on 127\.0\.0\.2\): total time-out: attempt cut to 120 ms when the host's circuit breaker opened/);
  });

  it('breakerTimeouts 0 turns the breaker off', async () => {
    const f = new Fetcher({ ...BREAKER, retries: 0, breakerTimeouts: 0 });
    const out = await Promise.all([1, 2, 3].map((i) => f.fetch(`${mute.origin}/off${i}?d`)));
    await f.close();
    for (const o of out) expect(o.error).not.toMatch(/unresponsive/);
  });
});
