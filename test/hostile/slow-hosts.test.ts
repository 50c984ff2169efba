// Bounded time per host, with the DEFAULT time options (no shortened time-outs): a host that drips one byte every 2 s
// and a host that never answers, six resources each, next to a healthy host. The minimum transfer rate and the
// headers time-out end the first attempts, the circuit breaker opens on each bad host, their remaining resources are
// tried once with the short deadline, and the audit ends well inside the bound with the healthy datasets gold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { CSV, csvRoute, startHostile, startPortal, type HostileServer, type Portal, type Route } from './harness.ts';

/** Issue 10's acceptance bound for this catalogue (a hang guard: the defaults would have taken hours before). */
const BOUND_MS = 150_000;
const BAD = 6;

const drip: Route = (_q, res) => {
  res.writeHead(200, { 'content-type': 'text/csv' });
  res.write('村名,人口\r\n');
  const t = setInterval(() => res.write('1'), 2_000);
  res.on('close', () => clearInterval(t));
};
const silent: Route = () => {
  // Reads the request and never answers.
};

let portal: Portal;
let healthy: HostileServer; // 127.0.0.21
let dripping: HostileServer; // 127.0.0.22
let mute: HostileServer; // 127.0.0.23

beforeAll(async () => {
  portal = await startPortal();
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  healthy = await startHostile(Object.fromEntries(range(3).map((i) => [`/ok${i}.csv`, csvRoute(CSV)])), { host: '127.0.0.21' });
  dripping = await startHostile(Object.fromEntries(range(BAD).map((i) => [`/drip${i}.csv`, drip])), { host: '127.0.0.22' });
  mute = await startHostile(Object.fromEntries(range(BAD).map((i) => [`/mute${i}.csv`, silent])), { host: '127.0.0.23' });
});
afterAll(async () => {
  await Promise.all([portal?.close(), healthy?.close(), dripping?.close(), mute?.close()]);
});

describe('bounded time per host (default time options)', () => {
  it('a slow-drip host and a silent host, 6 resources each: ends within 150 s, healthy datasets gold, the rest "host unresponsive"', async () => {
    const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);
    const catalog = portal.add('slow-hosts', [
      ...ids('drip', BAD).map((id, i) => ({ id, urls: [`${dripping.origin}/drip${i}.csv`] })),
      ...ids('mute', BAD).map((id, i) => ({ id, urls: [`${mute.origin}/mute${i}.csv`] })),
      ...ids('ok', 3).map((id, i) => ({ id, urls: [`${healthy.origin}/ok${i}.csv`] })),
    ]);
    const started = performance.now();
    // Only what a loopback test needs: every time limit, the breaker and the retries are the defaults.
    const r = await runAudit({ catalog, fetch: { allowPrivateNetwork: true } });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(BOUND_MS);
    const byId = new Map(r.datasets.map((d) => [d.id, d]));
    for (const id of ids('ok', 3)) expect(byId.get(id)?.badge, id).toBe('gold');
    for (const id of [...ids('drip', BAD), ...ids('mute', BAD)]) {
      const link = byId.get(id)!.indicators['link-valid'];
      expect(link.verdict, id).toBe('unsure');
      expect(link.evidence, id).toMatch(/^timed out on [12] attempts?: host unresponsive \(\d+ time-outs in a row on 127\.0\.0\.2[23]/);
      expect(byId.get(id)!.badge, id).toBe('none');
    }
    // The first attempts were cut by the minimum rate (drip) and the headers time-out (silent host); every resource
    // queued after the breaker opened got one short attempt.
    const evidence = (p: string) => ids(p, BAD).map((id) => byId.get(id)!.indicators['link-valid'].evidence);
    expect(evidence('drip').some((e) => /transfer too slow: \d+ bytes in 30 s, below the minimum rate of 1024 bytes\/s/.test(e))).toBe(true);
    expect(evidence('mute').some((e) => /no response headers within the time-out/.test(e))).toBe(true);
    for (const p of ['drip', 'mute']) {
      expect(evidence(p).filter((e) => /tried once with a 5000 ms deadline/.test(e)).length, p).toBeGreaterThanOrEqual(2);
    }
    // Nothing was asked for more than twice.
    for (let i = 0; i < BAD; i++) {
      expect(dripping.hits.get(`/drip${i}.csv`)).toBeLessThanOrEqual(2);
      expect(mute.hits.get(`/mute${i}.csv`)).toBeLessThanOrEqual(2);
    }
  }, BOUND_MS + 30_000);
});
