// HTTP_PROXY / HTTPS_PROXY / NO_PROXY through undici's EnvHttpProxyAgent, and the private-network guard through a
// proxy: a real forward/CONNECT proxy on 127.0.0.1 (test/helpers/proxy.ts) resolves names only it knows, so a
// request that succeeds went through it, and its log shows what it was asked for. Through a proxy the proxy resolves
// the target's name, so odbadge resolves it first and refuses private addresses before the proxy sees the request —
// at every redirect hop.
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { startProxy, type TestProxy } from '../helpers/proxy.ts';
import { FAST, fakeLookup, startServer, text, type TestServer } from './helpers.ts';
import { hasOpenssl, makePki, type TestPki } from './tls-certs.ts';

let proxy: TestProxy;
let site: TestServer;
const fetchers: Fetcher[] = [];
const fetcher = (o: ConstructorParameters<typeof Fetcher>[0]) => {
  const f = new Fetcher(o);
  fetchers.push(f);
  return f;
};

beforeAll(async () => {
  site = await startServer((req, res) => {
    if (req.url === '/a.csv') return res.writeHead(200, { 'content-type': 'text/csv' }).end('村名,人口\n大安里,1200\n');
    if (req.url === '/to-internal') return res.writeHead(302, { location: `http://internal.example.test:${site.port}/secret` }).end();
    if (req.url === '/secret') return res.writeHead(200).end('the intranet');
    res.writeHead(404).end();
  });
  // Names only the proxy can resolve; each leads to the test site on loopback.
  proxy = await startProxy({ 'data.example.test': '127.0.0.1', 'public.example.test': '127.0.0.1', 'internal.example.test': '127.0.0.1' });
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await proxy?.close();
  await site?.close();
});

describe('requests go through HTTP_PROXY, HTTPS_PROXY, unless NO_PROXY', () => {
  it('an http:// URL is sent to the proxy as an absolute-form GET; odbadge never resolves the name itself', async () => {
    const lookup = fakeLookup({});
    const f = fetcher({ ...FAST, lookup, proxy: { httpProxy: proxy.url, noProxy: '' } });
    const o = await f.fetch(`http://data.example.test:${site.port}/a.csv`);
    expect(o.kind, o.error).toBe('ok');
    expect(text(o.body)).toBe('村名,人口\n大安里,1200\n');
    expect(proxy.log).toContain(`GET http://data.example.test:${site.port}/a.csv`);
    expect(lookup.calls).toEqual([]);
  });

  it('NO_PROXY: a matching host is fetched directly, the proxy never asked', async () => {
    const before = proxy.log.length;
    const f = fetcher({ ...FAST, proxy: { httpProxy: proxy.url, noProxy: 'localhost,127.0.0.1' } });
    const o = await f.fetch(`${site.origin}/a.csv`);
    expect(o.kind, o.error).toBe('ok');
    expect(proxy.log.slice(before)).toEqual([]);
  });

  it('a proxy that refuses the CONNECT tunnel is reported as the proxy\'s refusal', async () => {
    const f = fetcher({ ...FAST, retries: 0, proxy: { httpsProxy: proxy.url, noProxy: '' } });
    const o = await f.fetch('https://elsewhere.example.test/a.csv');
    expect(o.kind).toBe('network');
    expect(o.error).toBe('the proxy refused to open a tunnel to the host (HTTP 502 Bad Gateway)');
    expect(proxy.log).toContain('CONNECT elsewhere.example.test:443');
  });
});

describe('the private-network guard through a proxy', () => {
  // What odbadge's own resolver answers; the proxy has its own table (all loopback, as tests must).
  const lookup = fakeLookup({ 'public.example.test': '203.0.113.10', 'internal.example.test': '10.1.2.3', localhost: '127.0.0.1' });
  const guarded = () => fetcher({ ...FAST, allowPrivateNetwork: false, lookup, proxy: { httpProxy: proxy.url, noProxy: '' } });

  it('a name that resolves to a public address is handed to the proxy', async () => {
    const o = await guarded().fetch(`http://public.example.test:${site.port}/a.csv`);
    expect(o.kind, o.error).toBe('ok');
    expect(proxy.log).toContain(`GET http://public.example.test:${site.port}/a.csv`);
  });

  it('a redirect to a name that resolves to a private address is refused before the proxy sees the second hop', async () => {
    const before = proxy.log.length;
    const o = await guarded().fetch(`http://public.example.test:${site.port}/to-internal`);
    expect(o.kind).toBe('blocked');
    expect(o.error).toBe('internal.example.test resolves to a refused address (10.1.2.3: private (10.0.0.0/8)); refused before the request went to the proxy (use --allow-private-network to permit)');
    expect(o.redirects).toEqual([{ status: 302, location: `http://internal.example.test:${site.port}/secret` }]);
    expect(proxy.log.slice(before)).toEqual([`GET http://public.example.test:${site.port}/to-internal`]);
  });

  it('localhost and IP literals are refused without asking the proxy', async () => {
    const before = proxy.log.length;
    const f = guarded();
    const byName = await f.fetch(`http://localhost:${site.port}/a.csv`);
    expect(byName.kind).toBe('blocked');
    expect(byName.error).toMatch(/^localhost resolves to a refused address \(127\.0\.0\.1: loopback/);
    const literal = await f.fetch(`http://127.0.0.1:${site.port}/a.csv`);
    expect(literal.kind).toBe('blocked');
    expect(literal.error).toBe('address 127.0.0.1 is loopback (127.0.0.0/8); refused (use --allow-private-network to permit)');
    expect(proxy.log.slice(before)).toEqual([]);
  });

  it('a name with any private address among its answers is refused (the proxy may pick that one)', async () => {
    const mixed = ((host: string, _o: unknown, cb: (...a: unknown[]) => void) => {
      setImmediate(() => cb(null, [{ address: '203.0.113.10', family: 4 }, { address: '192.168.1.20', family: 4 }]));
    }) as unknown as LookupFunction;
    const before = proxy.log.length;
    const f = fetcher({ ...FAST, allowPrivateNetwork: false, lookup: mixed, proxy: { httpProxy: proxy.url, noProxy: '' } });
    const o = await f.fetch(`http://public.example.test:${site.port}/a.csv`);
    expect(o.kind).toBe('blocked');
    expect(o.error).toMatch(/192\.168\.1\.20: private \(192\.168\.0\.0\/16\)/);
    expect(proxy.log.slice(before)).toEqual([]);
  });

  it('a name odbadge cannot resolve is not handed to the proxy: a DNS failure saying why it was looked up', async () => {
    const before = proxy.log.length;
    const o = await guarded().fetch(`http://data.example.test:${site.port}/a.csv`);
    expect(o.kind).toBe('dns');
    expect(o.error).toMatch(/^host name not found: .*ENOTFOUND data\.example\.test.*\(resolved by odbadge before sending the request through the proxy, to check its address\)$/);
    expect(proxy.log.slice(before)).toEqual([]);
  });
});

describe.skipIf(!hasOpenssl())('https:// through a CONNECT tunnel', () => {
  let pki: TestPki;
  let tlsSite: TestServer;
  beforeAll(async () => {
    pki = makePki();
    tlsSite = await startServer((_q, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('a\n1\n'), { tls: { key: pki.good.key, cert: pki.good.cert + pki.intermediate } });
  });
  afterAll(async () => {
    await tlsSite?.close();
    pki?.cleanup();
  });

  it('tunnels with CONNECT and verifies the target\'s certificate with the configured CAs', async () => {
    const f = fetcher({ ...FAST, ca: pki.root, proxy: { httpsProxy: proxy.url, noProxy: '' } });
    const o = await f.fetch(`${tlsSite.origin}/a.csv`);
    expect(o.kind, o.error).toBe('ok');
    expect(text(o.body)).toBe('a\n1\n');
    expect(proxy.log).toContain(`CONNECT 127.0.0.1:${tlsSite.port}`);
  });

  it('the guard applies before the tunnel is asked for', async () => {
    const before = proxy.log.length;
    const f = fetcher({ ...FAST, allowPrivateNetwork: false, ca: pki.root, lookup: fakeLookup({ localhost: '127.0.0.1' }), proxy: { httpsProxy: proxy.url, noProxy: '' } });
    const o = await f.fetch(`https://localhost:${tlsSite.port}/a.csv`);
    expect(o.kind).toBe('blocked');
    expect(proxy.log.slice(before)).toEqual([]);
  });
});
