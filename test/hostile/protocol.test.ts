// Hostile servers that break HTTP itself, or lie about what they send: malformed responses are a definite `fail`
// (the server is broken, not busy), lies in headers do not change a verdict the content decides.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSV, HANG_BOUND_MS, auditCase, csvRoute, rawReply, startHostile, startPortal,
  type HostileServer, type Portal, type Route,
} from './harness.ts';

// 64 MiB of zeros compress to ~64 KiB: a 1000× bomb.
const BOMB = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });

const routes: Record<string, Route> = {
  '/bad-status.csv': rawReply('HTTP/1.1 2OO Fine\r\nContent-Length: 3\r\n\r\nabc'),
  '/no-http.csv': rawReply('SSH-2.0-OpenSSH_9.6\r\n'),
  '/huge-header.csv': rawReply(`HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nX-Padding: ${'a'.repeat(128 * 1024)}\r\nContent-Length: ${Buffer.byteLength(CSV)}\r\n\r\n${CSV}`),
  '/dup-length.csv': rawReply(`HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 5\r\nContent-Length: ${Buffer.byteLength(CSV)}\r\n\r\n${CSV}`),
  '/bad-chunk.csv': rawReply('HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n村名\r\nZZ\r\nnot a chunk\r\n0\r\n\r\n'),
  '/gzip-bomb.csv': csvRoute(BOMB, 'text/csv', { 'content-encoding': 'gzip' }),
  '/corrupt-gzip.csv': csvRoute(Buffer.concat([gzipSync(Buffer.from(CSV)).subarray(0, 12), Buffer.from('garbage!garbage!')]), 'text/csv', { 'content-encoding': 'gzip' }),
  '/empty.csv': csvRoute(''),
  '/csv-as-pdf.csv': csvRoute(CSV, 'application/pdf'),
  '/html-as-csv.csv': csvRoute('<!DOCTYPE html><html><head><title>下載專區</title></head><body><a href="/f.csv">下載</a></body></html>', 'text/csv'),
  // Answers HEAD with 200 (as link checkers that trust HEAD would see) but GET with 404.
  '/head-only.csv': (req, res) => {
    if (req.method === 'HEAD') res.writeHead(200, { 'content-type': 'text/csv', 'content-length': '40' }).end();
    else res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
  },
};

let portal: Portal;
let host: HostileServer;

beforeAll(async () => {
  portal = await startPortal();
  host = await startHostile(routes);
});
afterAll(async () => {
  await Promise.all([portal?.close(), host?.close()]);
});

const one = (id: string, url: string) => [{ id, urls: [url] }];

describe.concurrent('hostile servers: broken HTTP and lying headers', () => {
  it.each([
    ['malformed status line', 'bad-status'],
    ['not HTTP at all', 'no-http'],
    ['a 128 KiB header', 'huge-header'],
    ['duplicate, conflicting Content-Length', 'dup-length'],
    ['a chunked body with an invalid chunk size', 'bad-chunk'],
  ])('%s: malformed response → link-valid fail (definite, 1 attempt), no badge', async (_name, path) => {
    const r = await auditCase(portal, path, one('d', `${host.origin}/${path}.csv`));
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(/malformed HTTP response/);
    expect(r.byId('d').resources[0].fetch).toMatchObject({ kind: 'protocol', attempts: 1 });
    expect(r.v('d', 'direct-download')).toBe('not-evaluated');
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('gzip bomb: decompression stops at the ratio cap, memory stays bounded, no badge above bronze', async () => {
    // A cap well above the bomb's 200× point (64 KiB on the wire → ~13 MB decoded), so the ratio cap is what stops it.
    const r = await auditCase(portal, 'gzip-bomb', one('d', `${host.origin}/gzip-bomb.csv`), { fetch: { maxBytes: 48 * 1024 * 1024 } });
    const res = r.byId('d').resources[0];
    expect(res.fetch.kind).toBe('too-large');
    expect(res.fetch.truncated).toBe(true);
    expect(res.fetch.bytes).toBeLessThan(16 * 1024 * 1024);
    expect(res.fetch.error).toMatch(/decompression stopped/);
    expect(r.v('d', 'structured')).not.toBe('pass');
    expect(['none', 'bronze']).toContain(r.byId('d').badge);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('gzip bomb under a small byte cap: cut at the cap, never inflated further', async () => {
    const r = await auditCase(portal, 'gzip-bomb-cap', one('d', `${host.origin}/gzip-bomb.csv`));
    const res = r.byId('d').resources[0];
    expect(res.fetch.truncated).toBe(true);
    expect(res.fetch.bytes).toBeLessThanOrEqual(256 * 1024);
    // 256 KiB of NUL bytes is binary content, not a one-column CSV, whatever the URL says.
    expect(r.v('d', 'structured')).toBe('fail');
    expect(r.ev('d', 'structured')).toMatch(/binary content/);
    expect(r.byId('d').badge).toBe('bronze');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('corrupt gzip body: malformed → fail, not retried', async () => {
    const r = await auditCase(portal, 'corrupt-gzip', one('d', `${host.origin}/corrupt-gzip.csv`));
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.byId('d').resources[0].fetch).toMatchObject({ kind: 'protocol', attempts: 1 });
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('a 0-byte 200: the link works but nothing downloads → direct-download fail, no badge', async () => {
    const r = await auditCase(portal, 'empty', one('d', `${host.origin}/empty.csv`));
    expect(r.v('d', 'link-valid')).toBe('pass');
    expect(r.v('d', 'direct-download')).toBe('fail');
    expect(r.ev('d', 'direct-download')).toMatch(/empty body \(0 bytes\)/);
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('Content-Type lies (CSV labelled application/pdf): the content decides → gold', async () => {
    const r = await auditCase(portal, 'csv-as-pdf', one('d', `${host.origin}/csv-as-pdf.csv`));
    expect(r.v('d', 'direct-download')).toBe('pass');
    expect(r.byId('d').badge).toBe('gold');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('Content-Type lies (an HTML page labelled text/csv): not a direct download', async () => {
    const r = await auditCase(portal, 'html-as-csv', one('d', `${host.origin}/html-as-csv.csv`));
    expect(r.v('d', 'link-valid')).toBe('pass');
    expect(r.v('d', 'direct-download')).toBe('fail');
    expect(r.ev('d', 'direct-download')).toMatch(/HTML/);
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('HEAD says 200 but GET says 404: judged on GET → link-valid fail (HEAD is never trusted)', async () => {
    const r = await auditCase(portal, 'head-only', one('d', `${host.origin}/head-only.csv`));
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toMatch(/HTTP 404/);
    expect(host.hits.get('GET /head-only.csv')).toBe(1);
    expect(host.hits.get('HEAD /head-only.csv')).toBeUndefined();
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });
});
