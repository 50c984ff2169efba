// Transient trouble: Retry-After, 5xx, time-outs, slowloris, resets, hosts that hang up.
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { FAST, startServer, text } from './helpers.ts';
import type { TestServer } from './helpers.ts';

let srv: TestServer;
let closer: TestServer;
let garbage: net.Server;
let garbagePort = 0;
const garbageSockets = new Set<net.Socket>();
const hits = new Map<string, number>();
const timers = new Set<NodeJS.Timeout>();
const later = (ms: number, fn: () => void) => {
  const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
  timers.add(t);
};

beforeAll(async () => {
  srv = await startServer((req, res) => {
    const key = req.url ?? '/';
    const n = (hits.get(key) ?? 0) + 1;
    hits.set(key, n);
    const path = key.replace(/\?.*/, '');
    switch (path) {
      case '/503-once':
        if (n === 1) return void (res.writeHead(503, { 'retry-after': '1' }), res.end('busy'));
        return void (res.writeHead(200, { 'content-type': 'text/csv' }), res.end('x\n1\n'));
      case '/429-once':
        if (n === 1) {
          return void (res.writeHead(429, { 'retry-after': new Date(Date.now() + 1000).toUTCString() }), res.end());
        }
        return void (res.writeHead(200), res.end('after 429'));
      case '/503-forever':
        return void (res.writeHead(503), res.end('down'));
      case '/slow-headers':
        return void later(1500, () => { if (!res.destroyed) { res.writeHead(200); res.end('late'); } });
      case '/slowloris':
        res.writeHead(200, { 'content-type': 'text/csv', 'content-length': '1000' });
        res.write('a,b\n');
        return; // never another byte
      case '/reset-mid-body':
        res.writeHead(200, { 'content-type': 'text/csv', 'content-length': '100000' });
        res.write('a,b\n'.repeat(1000));
        return void later(30, () => res.socket?.destroy());
      case '/reset-mid-gzip': {
        const gz = zlib.gzipSync(Buffer.alloc(200_000, 'row,1\n'));
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(gz.length) });
        res.write(gz.subarray(0, gz.length >> 1));
        return void later(30, () => res.socket?.destroy());
      }
      case '/trickle': {
        // Sends a byte every 100 ms: never idle long enough for the idle time-out, but endless.
        res.writeHead(200);
        const tick = () => { if (!res.destroyed) { res.write('.'); later(100, tick); } };
        return void tick();
      }
      default:
        res.writeHead(404);
        res.end();
    }
  });
  // Accepts TCP connections and hangs up at once, every time.
  closer = await startServer(() => {});
  closer.server.on('connection', (s) => s.destroy());
  // Answers every request with bytes that are not HTTP.
  garbage = net.createServer((s) => {
    garbageSockets.add(s);
    s.on('error', () => {});
    s.end('SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n\r\n');
  });
  await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
  garbagePort = (garbage.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const t of timers) clearTimeout(t);
  await srv.close();
  await closer.close();
  for (const s of garbageSockets) s.destroy();
  await new Promise((r) => garbage.close(r));
});

describe('Fetcher: retries and transient failures', () => {
  it('honours Retry-After (seconds) on 503, then succeeds on the second attempt', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${srv.origin}/503-once`);
    await f.close();
    expect(o).toMatchObject({ kind: 'ok', status: 200, attempts: 2, transient: false });
    expect(text(o.body)).toBe('x\n1\n');
    expect(f.stats.retries).toBe(1);
  });

  it('honours Retry-After (HTTP date) on 429', async () => {
    const f = new Fetcher(FAST);
    const o = await f.fetch(`${srv.origin}/429-once`);
    await f.close();
    expect(o).toMatchObject({ kind: 'ok', attempts: 2 });
    expect(hits.get('/429-once')).toBe(2);
  });

  it('reports 503 forever as a transient http-error after retries + 1 attempts', async () => {
    const f = new Fetcher({ ...FAST, retries: 2 });
    const o = await f.fetch(`${srv.origin}/503-forever`);
    await f.close();
    expect(o).toMatchObject({ kind: 'http-error', status: 503, transient: true, attempts: 3 });
    expect(hits.get('/503-forever')).toBe(3);
    expect(o.error).toMatch(/503/);
  });

  it('times out waiting for response headers', async () => {
    const f = new Fetcher({ ...FAST, headersTimeoutMs: 300, retries: 0 });
    const o = await f.fetch(`${srv.origin}/slow-headers?1`);
    await f.close();
    expect(o).toMatchObject({ kind: 'timeout', transient: true, attempts: 1 });
    expect(o.error).toMatch(/headers/);
  });

  it('times out a stalled body (slowloris) with the idle time-out', async () => {
    const f = new Fetcher({ ...FAST, bodyIdleTimeoutMs: 300, retries: 1 });
    const o = await f.fetch(`${srv.origin}/slowloris`);
    await f.close();
    expect(o).toMatchObject({ kind: 'timeout', transient: true, attempts: 2, status: 200 });
    expect(o.body).toBeUndefined();
    expect(o.error).toMatch(/idle/);
  });

  it('ends an endless trickle with the total time-out', async () => {
    const f = new Fetcher({ ...FAST, totalTimeoutMs: 500, bodyIdleTimeoutMs: 2000, retries: 0 });
    const o = await f.fetch(`${srv.origin}/trickle`);
    await f.close();
    expect(o).toMatchObject({ kind: 'timeout', transient: true });
    expect(o.error).toMatch(/total time-out/);
  });

  it('reports a connection reset mid-body as transient network trouble', async () => {
    const f = new Fetcher({ ...FAST, retries: 1 });
    const o = await f.fetch(`${srv.origin}/reset-mid-body`);
    await f.close();
    expect(o).toMatchObject({ kind: 'network', transient: true, attempts: 2 });
    expect(o.body).toBeUndefined();
  });

  it('reports a reset inside a gzip body as network trouble, not a decoding error', async () => {
    const f = new Fetcher({ ...FAST, retries: 0 });
    const o = await f.fetch(`${srv.origin}/reset-mid-gzip`);
    await f.close();
    expect(o).toMatchObject({ kind: 'network', transient: true });
  });

  it('reports a host that closes every connection at once as transient network trouble', async () => {
    const f = new Fetcher({ ...FAST, retries: 2 });
    const o = await f.fetch(`${closer.origin}/data.csv`);
    await f.close();
    expect(o).toMatchObject({ kind: 'network', transient: true, attempts: 3 });
    expect(o.status).toBeUndefined();
  });

  it('reports a response that is not HTTP as a definite protocol error', async () => {
    const f = new Fetcher({ ...FAST });
    const o = await f.fetch(`http://127.0.0.1:${garbagePort}/x.csv`);
    await f.close();
    expect(o).toMatchObject({ kind: 'protocol', transient: false, attempts: 1 });
  });

  it('stops at once when the caller aborts', async () => {
    const f = new Fetcher({ ...FAST, headersTimeoutMs: 5000 });
    const ac = new AbortController();
    const p = f.fetch(`${srv.origin}/slow-headers?2`, { signal: ac.signal });
    later(100, () => ac.abort());
    const o = await p;
    await f.close();
    expect(o).toMatchObject({ kind: 'network', attempts: 1 });
    expect(o.error).toMatch(/aborted/);
  });
});
