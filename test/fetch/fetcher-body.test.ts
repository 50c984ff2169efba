// Bodies: plain, empty, content-encoded, capped, bombs; status classification; credentials kept out of output.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { FAST, startServer, text } from './helpers.ts';
import type { TestServer } from './helpers.ts';

const CSV = '村名,人口\n大安里,1234\n龍泉里,567\n';
const BIG = Buffer.alloc(300_000, 'abcdefghij');

let srv: TestServer;
let fetcher: Fetcher;
let lastAuth: string | undefined;

beforeAll(async () => {
  srv = await startServer((req, res) => {
    lastAuth = req.headers.authorization;
    const ua = req.headers['user-agent'] ?? '';
    switch (req.url) {
      case '/data.csv':
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'x-ua': ua });
        return void res.end(CSV);
      case '/empty':
        res.writeHead(200, { 'content-type': 'text/csv' });
        return void res.end();
      case '/gzip':
        res.writeHead(200, { 'content-encoding': 'gzip' });
        return void res.end(zlib.gzipSync(CSV));
      case '/deflate-zlib':
        res.writeHead(200, { 'content-encoding': 'deflate' });
        return void res.end(zlib.deflateSync(CSV));
      case '/deflate-raw':
        res.writeHead(200, { 'content-encoding': 'deflate' });
        return void res.end(zlib.deflateRawSync(CSV));
      case '/br':
        res.writeHead(200, { 'content-encoding': 'br' });
        return void res.end(zlib.brotliCompressSync(CSV));
      case '/gzip-lie':
        res.writeHead(200, { 'content-encoding': 'gzip' });
        return void res.end(CSV);
      case '/br-corrupt':
        res.writeHead(200, { 'content-encoding': 'br' });
        return void res.end(Buffer.from('this is not brotli at all, not even close'));
      case '/bomb':
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/csv' });
        return void res.end(zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024)));
      case '/big':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void res.end(BIG);
      case '/big-gzip':
        res.writeHead(200, { 'content-encoding': 'gzip' });
        return void res.end(zlib.gzipSync(BIG));
      case '/forbidden':
        res.writeHead(403, { 'content-type': 'text/html' });
        return void res.end('<html>請先登入</html>');
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        return void res.end('not here');
    }
  });
  fetcher = new Fetcher(FAST);
});
afterAll(async () => {
  await fetcher.close();
  await srv.close();
});

describe('Fetcher: bodies and statuses', () => {
  it('downloads a CSV with status, headers, content type and an honest User-Agent', async () => {
    const o = await fetcher.fetch(`${srv.origin}/data.csv`);
    expect(o).toMatchObject({ kind: 'ok', status: 200, transient: false, truncated: false, attempts: 1, redirects: [] });
    expect(text(o.body)).toBe(CSV);
    expect(o.bytes).toBe(Buffer.byteLength(CSV));
    expect(o.contentType).toBe('text/csv; charset=utf-8');
    expect(o.headers['x-ua']).toMatch(/^odbadge\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/odbadge\/odbadge; open-data quality audit\)$/);
    expect(o.finalUrl).toBe(`${srv.origin}/data.csv`);
  });

  it('reports 404 as a definite http-error and keeps the error page', async () => {
    const o = await fetcher.fetch(`${srv.origin}/missing.csv`);
    expect(o).toMatchObject({ kind: 'http-error', status: 404, transient: false, attempts: 1 });
    expect(o.error).toContain('404');
    expect(text(o.body)).toBe('not here');
  });

  it('keeps a 403 login page as evidence', async () => {
    const o = await fetcher.fetch(`${srv.origin}/forbidden`);
    expect(o).toMatchObject({ kind: 'http-error', status: 403, transient: false });
    expect(text(o.body)).toContain('請先登入');
  });

  it('treats a 0-byte 200 as ok with an empty body', async () => {
    const o = await fetcher.fetch(`${srv.origin}/empty`);
    expect(o).toMatchObject({ kind: 'ok', status: 200, bytes: 0, truncated: false });
    expect(o.body).toBeDefined();
    expect(o.body!.length).toBe(0);
  });

  it.each(['/gzip', '/deflate-zlib', '/deflate-raw', '/br'])('decodes Content-Encoding (%s)', async (path) => {
    const o = await fetcher.fetch(`${srv.origin}${path}`);
    expect(o.kind).toBe('ok');
    expect(text(o.body)).toBe(CSV);
  });

  it('keeps a body labelled gzip that is not gzip, with a note', async () => {
    const o = await fetcher.fetch(`${srv.origin}/gzip-lie`);
    expect(o.kind).toBe('ok');
    expect(text(o.body)).toBe(CSV);
    expect(o.notes.join(' ')).toMatch(/not gzip/);
  });

  it('reports a corrupt brotli body as a protocol error', async () => {
    const o = await fetcher.fetch(`${srv.origin}/br-corrupt`);
    expect(o).toMatchObject({ kind: 'protocol', transient: false });
    expect(o.error).toMatch(/decoded/);
  });

  it('stops a gzip bomb at the decompression cap (too-large), keeping what was decoded', async () => {
    const o = await fetcher.fetch(`${srv.origin}/bomb`);
    expect(o).toMatchObject({ kind: 'too-large', status: 200, truncated: true });
    expect(o.bytes).toBeGreaterThan(0);
    expect(o.bytes).toBeLessThan(20 * 1024 * 1024);
    expect(o.error).toMatch(/ratio cap/);
  });

  it('truncates at the byte cap, keeps the bytes read and still reports ok', async () => {
    const o = await fetcher.fetch(`${srv.origin}/big`, { maxBytes: 100_000 });
    expect(o).toMatchObject({ kind: 'ok', status: 200, truncated: true, bytes: 100_000 });
    expect(Buffer.from(o.body!).equals(BIG.subarray(0, 100_000))).toBe(true);
    expect(o.notes.join(' ')).toMatch(/cap/);
  });

  it('applies the byte cap to decoded bytes of a compressed body', async () => {
    const o = await fetcher.fetch(`${srv.origin}/big-gzip`, { maxBytes: 50_000 });
    expect(o).toMatchObject({ kind: 'ok', truncated: true, bytes: 50_000 });
    expect(Buffer.from(o.body!).equals(BIG.subarray(0, 50_000))).toBe(true);
  });

  it('a body exactly at the cap is not truncated', async () => {
    const o = await fetcher.fetch(`${srv.origin}/data.csv`, { maxBytes: Buffer.byteLength(CSV) });
    expect(o).toMatchObject({ kind: 'ok', truncated: false, bytes: Buffer.byteLength(CSV) });
  });

  it('sends URL credentials as Basic auth but never shows them in the outcome', async () => {
    const o = await fetcher.fetch(`http://alice:s3cr3t-pw@127.0.0.1:${srv.port}/missing?token=tok-998877`);
    expect(o.kind).toBe('http-error');
    expect(lastAuth).toBe(`Basic ${Buffer.from('alice:s3cr3t-pw').toString('base64')}`);
    const { body: _body, ...rest } = o;
    const shown = JSON.stringify(rest);
    for (const secret of ['alice', 's3cr3t-pw', 'tok-998877']) expect(shown).not.toContain(secret);
    expect(o.error).toBeDefined();
  });

  it('keeps credentials out of the error of a failed connection', async () => {
    const o = await fetcher.fetch('http://bob:hunter2-pw@127.0.0.1:1/data.csv', { maxBytes: 10 });
    expect(['network', 'timeout']).toContain(o.kind);
    expect(o.error).toBeDefined();
    expect(JSON.stringify(o)).not.toMatch(/hunter2-pw|bob:/);
  });

  it('refuses non-http schemes and malformed URLs as blocked', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x.csv', 'gopher://127.0.0.1/', 'not a url']) {
      const o = await fetcher.fetch(url);
      expect(o.kind, url).toBe('blocked');
      expect(o.attempts, url).toBe(0);
    }
  });

  it('counts requests, bytes, retries and outcomes by kind', async () => {
    const f = new Fetcher(FAST);
    try {
      await f.fetch(`${srv.origin}/data.csv`);
      await f.fetch(`${srv.origin}/missing`);
      await f.fetch('ftp://x/');
      const s = f.stats;
      expect(s).toMatchObject({ fetches: 3, requests: 2, retries: 0 });
      expect(s.byKind).toMatchObject({ ok: 1, 'http-error': 1, blocked: 1 });
      expect(s.bytes).toBe(Buffer.byteLength(CSV) + 'not here'.length);
    } finally {
      await f.close();
    }
  });

  it('a closed fetcher answers with an outcome instead of throwing', async () => {
    const f = new Fetcher(FAST);
    await f.close();
    const o = await f.fetch(`${srv.origin}/data.csv`);
    expect(o.kind).toBe('network');
    expect(o.error).toMatch(/closed/);
  });
});
