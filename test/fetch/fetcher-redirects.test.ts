// Redirects (followed by hand, each hop recorded) and the private-network guard at every hop and after DNS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { FAST, fakeLookup, startServer, text } from './helpers.ts';
import type { TestServer } from './helpers.ts';

let a: TestServer; // 127.0.0.1: the "public" portal in guard tests (exempted via allowAddresses)
let b: TestServer; // 127.0.0.2: an address on the auditor's own network

beforeAll(async () => {
  b = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`internal ${req.url}`);
  }, { host: '127.0.0.2' });
  a = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (p === '/file.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      return void res.end('a,b\n1,2\n');
    }
    if ((m = /^\/hop\/(\d+)$/.exec(p))) {
      const n = Number(m[1]);
      // Alternate relative and absolute Locations, and 301/302/307/308.
      const codes = [301, 302, 307, 308];
      const next = n <= 1 ? '/file.csv' : n % 2 ? `/hop/${n - 1}` : `${a.origin}/hop/${n - 1}`;
      res.writeHead(codes[n % 4], { location: next });
      return void res.end();
    }
    if (p === '/loop-a') return void (res.writeHead(302, { location: '/loop-b' }), res.end());
    if (p === '/loop-b') return void (res.writeHead(302, { location: '/loop-a' }), res.end());
    if (p === '/to-file') return void (res.writeHead(302, { location: 'file:///etc/passwd' }), res.end());
    if (p === '/to-internal') return void (res.writeHead(302, { location: `${b.origin}/admin` }), res.end());
    if (p === '/to-rebind') return void (res.writeHead(302, { location: `http://rebind.test:${b.port}/x` }), res.end());
    if (p === '/to-cred') return void (res.writeHead(302, { location: `http://u:pw-in-location@127.0.0.1:${a.port}/file.csv` }), res.end());
    if (p === '/no-location') return void (res.writeHead(302), res.end('moved, somewhere'));
    res.writeHead(404);
    res.end();
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('Fetcher: redirects', () => {
  it('follows a 3-hop chain and records every hop in order', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${a.origin}/hop/3`);
    await f.close();
    expect(o).toMatchObject({ kind: 'ok', status: 200, finalUrl: `${a.origin}/file.csv` });
    expect(text(o.body)).toBe('a,b\n1,2\n');
    expect(o.redirects).toEqual([
      { status: 308, location: `${a.origin}/hop/2` },
      { status: 307, location: `${a.origin}/hop/1` },
      { status: 302, location: `${a.origin}/file.csv` },
    ]);
  });

  it('detects a redirect loop', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${a.origin}/loop-a`);
    await f.close();
    expect(o).toMatchObject({ kind: 'redirect-loop', transient: false });
    expect(o.redirects.map((r) => r.location)).toEqual([`${a.origin}/loop-b`, `${a.origin}/loop-a`]);
  });

  it('gives up on a 30-hop chain after maxRedirects', async () => {
    const f = new Fetcher({ ...FAST, maxRedirects: 10 });
    const o = await f.fetch(`${a.origin}/hop/30`);
    await f.close();
    expect(o).toMatchObject({ kind: 'too-many-redirects', transient: false });
    expect(o.redirects).toHaveLength(11);
    expect(f.stats.requests).toBe(11);
  });

  it('treats a 3xx without Location as a final http-error', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${a.origin}/no-location`);
    await f.close();
    expect(o).toMatchObject({ kind: 'http-error', status: 302, redirects: [] });
  });

  it('refuses a redirect to file:// as blocked', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${a.origin}/to-file`);
    await f.close();
    expect(o).toMatchObject({ kind: 'blocked', transient: false, status: 302 });
    expect(o.redirects).toEqual([{ status: 302, location: 'file:///etc/passwd' }]);
  });

  it('redacts credentials that appear in a Location header', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${a.origin}/to-cred`);
    await f.close();
    expect(o.kind).toBe('ok');
    expect(JSON.stringify({ ...o, body: undefined })).not.toContain('pw-in-location');
  });
});

describe('Fetcher: private-network guard', () => {
  it('blocks a literal private address by default', async () => {
    const f = new Fetcher({ ...FAST, allowPrivateNetwork: false });
    for (const url of [`${b.origin}/x`, 'http://[::1]:9/', 'http://0x7f.1:9/', 'http://[::ffff:127.0.0.1]:9/', 'http://169.254.169.254/latest/meta-data/']) {
      const o = await f.fetch(url);
      expect(o.kind, url).toBe('blocked');
      expect(o.attempts, url).toBe(0);
    }
    await f.close();
  });

  it('blocks a redirect into the private network when the guard is on', async () => {
    const f = new Fetcher({ ...FAST, allowPrivateNetwork: false, allowAddresses: ['127.0.0.1'] });
    const o = await f.fetch(`${a.origin}/to-internal`);
    await f.close();
    expect(o).toMatchObject({ kind: 'blocked', transient: false });
    expect(o.redirects).toEqual([{ status: 302, location: `${b.origin}/admin` }]);
    expect(o.error).toMatch(/127\.0\.0\.2.*loopback/);
  });

  it('follows the same redirect when the guard is off', async () => {
    const f = new Fetcher({ ...FAST, allowPrivateNetwork: true });
    const o = await f.fetch(`${a.origin}/to-internal`);
    await f.close();
    expect(o).toMatchObject({ kind: 'ok', finalUrl: `${b.origin}/admin` });
    expect(text(o.body)).toBe('internal /admin');
  });

  it('blocks a host name that resolves to 127.0.0.1 (checked at connect time)', async () => {
    const lookup = fakeLookup({ 'data.example.test': '127.0.0.1' });
    const f = new Fetcher({ ...FAST, allowPrivateNetwork: false, lookup });
    const o = await f.fetch(`http://data.example.test:${a.port}/file.csv`);
    await f.close();
    expect(o).toMatchObject({ kind: 'blocked', transient: false, attempts: 1 });
    expect(o.error).toMatch(/data\.example\.test.*127\.0\.0\.1/);
    expect(lookup.calls).toContain('data.example.test');
  });

  it('blocks a redirect to a name that rebinds to a private address', async () => {
    const lookup = fakeLookup({ 'rebind.test': '127.0.0.2' });
    const f = new Fetcher({ ...FAST, allowPrivateNetwork: false, allowAddresses: ['127.0.0.1'], lookup });
    const o = await f.fetch(`${a.origin}/to-rebind`);
    await f.close();
    expect(o.kind).toBe('blocked');
    expect(o.redirects).toHaveLength(1);
  });

  it('resolves through the lookup override when the guard is off', async () => {
    const lookup = fakeLookup({ 'data.example.test': '127.0.0.1' });
    const f = new Fetcher({ ...FAST, allowPrivateNetwork: true, lookup });
    const o = await f.fetch(`http://data.example.test:${a.port}/file.csv`);
    await f.close();
    expect(o.kind).toBe('ok');
  });

  it('reports a name that does not exist as a definite dns failure, and EAI_AGAIN as transient', async () => {
    const lookup = fakeLookup({ 'flaky.test': { code: 'EAI_AGAIN' } });
    const f = new Fetcher({ ...FAST, lookup });
    const gone = await f.fetch('http://no-such-host.test/x.csv');
    const flaky = await f.fetch('http://flaky.test/x.csv');
    await f.close();
    expect(gone).toMatchObject({ kind: 'dns', transient: false, attempts: 1 });
    expect(flaky).toMatchObject({ kind: 'dns', transient: true, attempts: FAST.retries + 1 });
  });
});
