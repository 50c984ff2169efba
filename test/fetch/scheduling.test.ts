// Politeness and fairness: global and per-host limits, round-robin between hosts, spacing, pauses after 429/503.
import type http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { HostScheduler } from '../../src/fetch/scheduler.ts';
import { FAST, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

let inFlight = 0;
let maxInFlightTotal = 0;
const perServer = { a: { now: 0, max: 0 }, b: { now: 0, max: 0 } };
const arrivals: string[] = [];
const finished: string[] = [];
const timers = new Set<NodeJS.Timeout>();
let busyOnce = true;
/** Called when the server answers /busy-once with its 503. */
let onThrottle: (() => void) | undefined;

function handler(name: 'a' | 'b', delayMs: number) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    arrivals.push(`${name}${req.url}`);
    if (req.url === '/busy-once' && busyOnce) {
      busyOnce = false;
      onThrottle?.();
      res.writeHead(503, { 'retry-after': '1' });
      return void res.end();
    }
    const c = perServer[name];
    c.now++;
    c.max = Math.max(c.max, c.now);
    inFlight++;
    maxInFlightTotal = Math.max(maxInFlightTotal, inFlight);
    const t = setTimeout(() => {
      timers.delete(t);
      c.now--;
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${name} ${req.url}`);
    }, delayMs);
    timers.add(t);
  };
}

let slow: TestServer; // 127.0.0.1, 150 ms per response
let fast: TestServer; // 127.0.0.2, immediate

beforeAll(async () => {
  slow = await startServer(handler('a', 150));
  fast = await startServer(handler('b', 0), { host: '127.0.0.2' });
});
afterAll(async () => {
  for (const t of timers) clearTimeout(t);
  await slow.close();
  await fast.close();
});

function reset() {
  arrivals.length = 0;
  finished.length = 0;
  perServer.a.max = perServer.b.max = 0;
  maxInFlightTotal = 0;
}

describe('Fetcher scheduling', () => {
  it('never exceeds the per-host limit on a slow host while another host proceeds', async () => {
    reset();
    const f = new Fetcher({ ...FAST, concurrency: 4, perHost: 2 });
    const jobs = [
      ...Array.from({ length: 8 }, (_, i) => f.fetch(`${slow.origin}/s${i}`).then((o) => (finished.push(`a${i}`), o))),
      ...Array.from({ length: 4 }, (_, i) => f.fetch(`${fast.origin}/f${i}`).then((o) => (finished.push(`b${i}`), o))),
    ];
    const outcomes = await Promise.all(jobs);
    await f.close();
    expect(outcomes.every((o) => o.kind === 'ok')).toBe(true);
    expect(perServer.a.max).toBeLessThanOrEqual(2);
    expect(slow.maxConnections()).toBeLessThanOrEqual(2);
    expect(maxInFlightTotal).toBeLessThanOrEqual(4);
    // The fast host finished all its work while the slow host still had requests left.
    const lastFast = Math.max(...['b0', 'b1', 'b2', 'b3'].map((k) => finished.indexOf(k)));
    const lastSlow = Math.max(...Array.from({ length: 8 }, (_, i) => finished.indexOf(`a${i}`)));
    expect(lastFast).toBeLessThan(lastSlow);
  });

  it('serves hosts round-robin so one long queue does not delay another host', async () => {
    reset();
    const f = new Fetcher({ ...FAST, concurrency: 1, perHost: 1 });
    const jobs = Array.from({ length: 5 }, (_, i) => f.fetch(`${slow.origin}/q${i}`));
    jobs.push(f.fetch(`${fast.origin}/late`));
    await Promise.all(jobs);
    await f.close();
    expect(arrivals.indexOf('b/late')).toBeLessThanOrEqual(2);
  });

  it('a host waiting out Retry-After holds no global slot meanwhile', async () => {
    reset();
    busyOnce = true;
    const f = new Fetcher({ ...FAST, concurrency: 1, perHost: 1 });
    const throttled = new Promise<void>((r) => (onThrottle = r));
    const pa = f.fetch(`${slow.origin}/busy-once`).then((o) => (finished.push('a'), o));
    await throttled; // A holds the only slot: its request reached the server, which answers 503
    const pb = f.fetch(`${fast.origin}/meanwhile`).then((o) => (finished.push('b'), o));
    const [oa, ob] = await Promise.all([pa, pb]);
    await f.close();
    expect(oa).toMatchObject({ kind: 'ok', attempts: 2 });
    expect(ob.kind).toBe('ok');
    expect(finished).toEqual(['b', 'a']);
  });
});

describe('HostScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces request starts on one host and pauses a penalised host', async () => {
    vi.useFakeTimers();
    const s = new HostScheduler(10, 4, 100);
    const granted: number[] = [];
    const grab = (i: number) => s.acquire('h').then((release) => { granted.push(i); return release; });
    const r0 = grab(0);
    grab(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0]);
    await vi.advanceTimersByTimeAsync(100);
    expect(granted).toEqual([0, 1]);
    (await r0)();
    s.penalize('h', 1_000);
    grab(2);
    await vi.advanceTimersByTimeAsync(900);
    expect(granted).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(200);
    expect(granted).toEqual([0, 1, 2]);
    s.close();
  });

  it('halves a penalised host\'s limit and regrows it on success', async () => {
    vi.useFakeTimers();
    const s = new HostScheduler(10, 4, 0);
    s.penalize('h', 0); // limit 4 → 2
    const got: (() => void)[] = [];
    for (let i = 0; i < 4; i++) void s.acquire('h').then((r) => got.push(r));
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toHaveLength(2);
    s.reward('h'); // 2 → 3
    got[0]();
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toHaveLength(4); // one freed + one regrown
    s.close();
  });

  it('rejects waiters when aborted or closed', async () => {
    const s = new HostScheduler(1, 1, 0);
    const release = await s.acquire('h');
    const ac = new AbortController();
    const aborted = s.acquire('h', ac.signal);
    const closed = s.acquire('h');
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    s.close();
    await expect(closed).rejects.toThrow(/closed/);
    release();
  });
});
