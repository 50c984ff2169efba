// Redirect abuse and the private-network guard, end to end. For the guard cases the guard is ON and only the
// hostile server's own address (127.0.0.3) is exempted, so it plays a "public" host; every other loopback or
// private target must be refused before any packet is sent (the decoy servers count their connections).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeLookup } from '../fetch/helpers.ts';
import {
  CSV, HANG_BOUND_MS, auditCase, csvRoute, redirectRoute, startHostile, startPortal,
  type HostileServer, type Portal, type Route,
} from './harness.ts';

let portal: Portal; // 127.0.0.3 with pub: the catalogue goes through the guard too, so it lives on the exempted address
let host: HostileServer; // 127.0.0.1, guard off
let pub: HostileServer; // 127.0.0.3, the exempted "public" host for guard-on cases
let decoy: HostileServer; // 127.0.0.2, a private target that must never see a connection
let decoyLocal: HostileServer; // 127.0.0.1, the target of a DNS name that resolves to loopback

const routes: Record<string, Route> = {
  '/loop-a': redirectRoute('/loop-b'),
  '/loop-b': redirectRoute('/loop-a', 301),
  '/to-file': redirectRoute('file:///etc/passwd'),
  '/to-ftp': redirectRoute('ftp://127.0.0.1/data.csv'),
  '/good.csv': csvRoute(CSV),
  '/secret.csv': csvRoute(CSV),
};
// A 30-hop chain /hop/30 → /hop/29 → … → /hop/0 → the file.
for (let i = 1; i <= 30; i++) routes[`/hop/${i}`] = redirectRoute(`/hop/${i - 1}`);
routes['/hop/0'] = redirectRoute('/good.csv');

beforeAll(async () => {
  portal = await startPortal({ host: '127.0.0.3' });
  host = await startHostile(routes);
  decoy = await startHostile({ '/x.csv': csvRoute(CSV) }, { host: '127.0.0.2' });
  decoyLocal = await startHostile({ '/x.csv': csvRoute(CSV) }, { host: '127.0.0.1' });
  pub = await startHostile({
    '/to-metadata': redirectRoute('http://169.254.169.254/latest/meta-data/'),
    '/to-ten': redirectRoute('http://10.0.0.1/data.csv'),
    '/to-v6-loopback': redirectRoute('http://[::1]/data.csv'),
    '/to-decoy': redirectRoute(`${decoy.origin}/x.csv`),
    '/to-rebind': redirectRoute(`http://rebind.example.test:${decoyLocal.port}/x.csv`),
    '/good.csv': csvRoute(CSV),
  }, { host: '127.0.0.3' });
});
afterAll(async () => {
  await Promise.all([portal?.close(), host?.close(), pub?.close(), decoy?.close(), decoyLocal?.close()]);
});

const one = (id: string, url: string) => [{ id, urls: [url] }];
/** Guard on: only the "public" test host's address is exempt; names resolve through a fake DNS. */
const GUARD = {
  allowPrivateNetwork: false,
  allowAddresses: ['127.0.0.3'],
  lookup: fakeLookup({ 'public.example.test': '127.0.0.3', 'rebind.example.test': '127.0.0.1' }),
};

describe.concurrent('hostile servers: redirects', () => {
  it('redirect loop: detected on the first repeat → link-valid fail naming the hops', async () => {
    const r = await auditCase(portal, 'loop', one('d', `${host.origin}/loop-a`));
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(/redirect loop \(2 hops\)/);
    expect(r.byId('d').resources[0].fetch.kind).toBe('redirect-loop');
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('30-hop redirect chain: stopped after the 10-hop limit → fail, without walking all 30', async () => {
    const r = await auditCase(portal, 'chain30', one('d', `${host.origin}/hop/30`));
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(/too many redirects \(11 hops\)/);
    expect(host.hits.get('/hop/0')).toBeUndefined();
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('a 30-hop chain with a higher limit configured reaches the file (the limit is an option)', async () => {
    const r = await auditCase(portal, 'chain30-allowed', one('d', `${host.origin}/hop/30`), { fetch: { maxRedirects: 40 } });
    expect(r.byId('d').badge).toBe('gold');
    expect(r.byId('d').resources[0].fetch.redirects).toBe(32 - 1);
  });

  it.each([
    ['file://', '/to-file', /file: URL refused/],
    ['ftp://', '/to-ftp', /ftp: URL refused/],
  ])('redirect to %s is refused → fail', async (_n, path, re) => {
    const r = await auditCase(portal, `scheme${path}`, one('d', `${host.origin}${path}`));
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(re);
    expect(r.byId('d').resources[0].fetch.kind).toBe('blocked');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });
});

describe.concurrent('hostile servers: private-network guard on', () => {
  it('the exempted "public" host itself is audited normally (gold), by address and by name', async () => {
    const r = await auditCase(portal, 'guard-ok', [
      { id: 'ip', urls: [`${pub.origin}/good.csv`] },
      { id: 'name', urls: [`http://public.example.test:${pub.port}/good.csv`] },
    ], { fetch: GUARD });
    expect(r.byId('ip').badge).toBe('gold');
    expect(r.byId('name').badge).toBe('gold');
  });

  it.each([
    ['169.254.169.254 (cloud metadata)', '/to-metadata', /link-local/],
    ['10.0.0.1', '/to-ten', /private \(10\.0\.0\.0\/8\)/],
    ['[::1]', '/to-v6-loopback', /loopback/],
  ])('redirect to %s is refused before connecting → link-valid fail', async (_n, path, re) => {
    const r = await auditCase(portal, `guard${path}`, one('d', `${pub.origin}${path}`), { fetch: GUARD });
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(re);
    expect(r.byId('d').resources[0].fetch).toMatchObject({ kind: 'blocked', attempts: 1, redirects: 1 });
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('redirect to another loopback address (127.0.0.2): refused, and that server sees no connection', async () => {
    const r = await auditCase(portal, 'guard-decoy', one('d', `${pub.origin}/to-decoy`), { fetch: GUARD });
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(/loopback/);
    expect(decoy.connections()).toBe(0);
  });

  it('a DNS name that resolves to 127.0.0.1: refused at connect time, no connection made', async () => {
    const before = decoyLocal.connections();
    const r = await auditCase(portal, 'guard-dns', [
      { id: 'direct', urls: [`http://rebind.example.test:${decoyLocal.port}/x.csv`] },
      { id: 'via-redirect', urls: [`${pub.origin}/to-rebind`] },
    ], { fetch: GUARD });
    for (const id of ['direct', 'via-redirect']) {
      expect(r.v(id, 'link-valid')).toBe('fail');
      expect(r.ev(id, 'link-valid')).toMatch(/rebind\.example\.test resolves only to refused addresses.*127\.0\.0\.1/);
      expect(r.byId(id).badge).toBe('none');
    }
    expect(decoyLocal.connections()).toBe(before);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('a DNS name that does not exist: definite fail (not unsure), 1 attempt', async () => {
    const r = await auditCase(portal, 'nxdomain', one('d', 'http://no-such-host.example.test/x.csv'), { fetch: GUARD });
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(/host name not found/);
    expect(r.byId('d').resources[0].fetch).toMatchObject({ kind: 'dns', attempts: 1 });
  });

  it('credentials in a resource URL never appear in the fetch record or the evidence', async () => {
    const r = await auditCase(portal, 'creds', one('d', `http://alice:hunter2secret@127.0.0.1:${host.port}/missing.csv?token=tok3nvalue`));
    const res = r.byId('d').resources[0];
    expect(r.v('d', 'link-valid')).toBe('fail');
    // The fetch record and every verdict are clean. (ResourceResult.url still echoes the catalogue's raw URL: it is
    // built in src/score/evaluate.ts, reported to its owner.)
    const shown = JSON.stringify({ fetch: res.fetch, indicators: r.byId('d').indicators, resourceIndicators: res.indicators });
    expect(shown).not.toMatch(/hunter2secret|tok3nvalue/);
    expect(res.fetch.finalUrl).toMatch(/\*\*\*@127\.0\.0\.1/);
  });
});
