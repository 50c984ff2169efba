// Hosts that ask us to slow down: Retry-After is honoured, a throttled host is `unsure` (with the attempts), and a
// 503 storm on one host does not hold back the healthy hosts' datasets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSV, HANG_BOUND_MS, auditCase, csvRoute, startHostile, startPortal,
  type HostileServer, type Portal,
} from './harness.ts';

let portal: Portal;
let host: HostileServer;
let storm: HostileServer; // 127.0.0.4: 503 + Retry-After to everything
let healthy: HostileServer[]; // 127.0.0.5, 127.0.0.6
const throttledAt: number[] = [];
let stormLast = 0;
let healthyLast = 0;

beforeAll(async () => {
  portal = await startPortal();
  let calls = 0;
  host = await startHostile({
    // 429 with Retry-After: 1 on the first request, then the file.
    '/once-429.csv': (q, res) => {
      throttledAt.push(performance.now());
      if (calls++ === 0) res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
      else csvRoute(CSV)(q, res);
    },
    '/always-429.csv': (_q, res) => res.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('slow down'),
    '/gone.csv': (_q, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('gone'),
  });
  const stormRoute = (_q: unknown, res: import('node:http').ServerResponse) => {
    stormLast = performance.now();
    res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('maintenance');
  };
  const healthyRoute = (q: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    // A little latency so the healthy hosts' work overlaps the storm's retries.
    setTimeout(() => {
      healthyLast = performance.now();
      csvRoute(CSV)(q, res);
    }, 30);
  };
  const stormRoutes: Record<string, typeof stormRoute> = {};
  const okRoutes: Record<string, typeof healthyRoute> = {};
  for (let i = 0; i < 8; i++) stormRoutes[`/s${i}.csv`] = stormRoute;
  for (let i = 0; i < 12; i++) okRoutes[`/h${i}.csv`] = healthyRoute;
  storm = await startHostile(stormRoutes, { host: '127.0.0.4' });
  healthy = await Promise.all(['127.0.0.5', '127.0.0.6'].map((h) => startHostile(okRoutes, { host: h })));
});
afterAll(async () => {
  await Promise.all([portal?.close(), host?.close(), storm?.close(), ...(healthy ?? []).map((h) => h.close())]);
});

const one = (id: string, url: string) => [{ id, urls: [url] }];

describe.concurrent('hostile servers: throttling', () => {
  it('HTTP 429 with Retry-After: 1 → waits about a second, then succeeds (gold, 2 attempts)', async () => {
    const r = await auditCase(portal, 'once-429', one('d', `${host.origin}/once-429.csv`));
    expect(r.byId('d').badge).toBe('gold');
    expect(r.byId('d').resources[0].fetch.attempts).toBe(2);
    expect(throttledAt).toHaveLength(2);
    // Retry-After is a promise the server asked for; waiting less would be impolite (a behaviour, not a speed).
    expect(throttledAt[1] - throttledAt[0]).toBeGreaterThanOrEqual(900);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('HTTP 429 on every attempt → unsure (not fail) with the attempts in the evidence', async () => {
    const r = await auditCase(portal, 'always-429', one('d', `${host.origin}/always-429.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/HTTP 429 on every one of 2 attempts/);
    expect(r.byId('d').indicators['link-valid'].detail).toMatchObject({ status: 429, attempts: 2 });
    expect(r.byId('d').badge).toBe('none');
  });

  it('a definite 404 is fail after 1 attempt (never retried)', async () => {
    // Generous time-outs: on a loaded machine the harness's short ones could turn the first attempt into a time-out
    // (retried), which is not what this case is about.
    const r = await auditCase(portal, 'gone', one('d', `${host.origin}/gone.csv`), { fetch: { headersTimeoutMs: 15_000, totalTimeoutMs: 30_000 } });
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.byId('d').resources[0].fetch.attempts).toBe(1);
    expect(host.hits.get('/gone.csv')).toBe(1);
  });

  it('503 storm on one host: its datasets are unsure; the healthy hosts\' datasets pass and finish first', async () => {
    // Storm datasets come first in the catalogue, so a scheduler that served in order would be stuck behind them.
    const datasets = [
      ...Array.from({ length: 8 }, (_, i) => ({ id: `storm-${i}`, urls: [`${storm.origin}/s${i}.csv`] })),
      ...Array.from({ length: 12 }, (_, i) => ({ id: `ok-${i}`, urls: [`${healthy[i % 2].origin}/h${i}.csv`] })),
    ];
    const r = await auditCase(portal, 'storm', datasets, { fetch: { concurrency: 4, perHost: 2 } });
    for (let i = 0; i < 8; i++) {
      expect(r.v(`storm-${i}`, 'link-valid')).toBe('unsure');
      expect(r.ev(`storm-${i}`, 'link-valid')).toMatch(/HTTP 503 on every one of 2 attempts/);
    }
    for (let i = 0; i < 12; i++) expect(r.byId(`ok-${i}`).badge).toBe('gold');
    // The storm host paused for its Retry-After while the healthy hosts were served: they finished before it.
    expect(healthyLast).toBeLessThan(stormLast);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });
});
