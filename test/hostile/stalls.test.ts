// Hostile servers that stall, trickle, never end or drop the connection: each audit ends within its bound, and
// transient trouble is `unsure` with the attempts made, never a definite `fail`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CSV, HANG_BOUND_MS, HOSTILE_FETCH, auditCase, startHostile, startPortal, startRaw,
  type HostileServer, type Portal, type Route,
} from './harness.ts';

/** Writes `chunk` every `everyMs` until the client goes away. */
const trickle = (everyMs: number, chunk: string, headers: Record<string, string | number> = {}): Route => (_q, res) => {
  res.writeHead(200, { 'content-type': 'text/csv', ...headers });
  res.write('村名,人口\r\n');
  const t = setInterval(() => res.write(chunk), everyMs);
  res.on('close', () => clearInterval(t));
};

const routes: Record<string, Route> = {
  // Accepts the request and never sends a status line.
  '/slow-headers.csv': (_q, res) => {
    const t = setTimeout(() => res.writeHead(200).end(CSV), 60_000);
    res.on('close', () => clearTimeout(t));
  },
  // One byte now and then, slower than the idle time-out.
  '/slowloris.csv': trickle(1_500, 'x'),
  // A byte every 100 ms forever: never idle, so only the total time-out ends it.
  '/trickle.csv': trickle(100, '1'),
  // As fast as the socket takes it, forever: the byte cap ends it and the data read is judged.
  '/endless.csv': (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.write('村名,人口\r\n');
    const row = Buffer.from('大安里,1200\r\n'.repeat(512));
    const pump = () => {
      while (!res.destroyed && res.write(row));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  },
  // Announces 10 GB, sends a few bytes, then nothing.
  '/ten-gb.csv': (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(10 * 1024 ** 3) });
    res.write('村名,人口\r\n大安里,');
  },
  // Announces 1000 bytes, sends 40, then resets the TCP connection.
  '/reset.csv': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': '1000' });
    res.write('村名,人口\r\n大安里,1200\r\n');
    setTimeout(() => req.socket.resetAndDestroy(), 20);
  },
};

let portal: Portal;
let host: HostileServer;
let closer: HostileServer;
let refusedPort: number;

beforeAll(async () => {
  portal = await startPortal();
  host = await startHostile(routes);
  closer = await startRaw((s) => s.destroy());
  // A port nobody listens on: bind, note it, close.
  const gone = await startRaw((s) => s.destroy());
  refusedPort = gone.port;
  await gone.close();
});
afterAll(async () => {
  await Promise.all([portal?.close(), host?.close(), closer?.close()]);
});

const one = (id: string, url: string) => [{ id, urls: [url] }];

describe.concurrent('hostile servers: stalls and broken connections', () => {
  it('slow headers: time-out on every attempt → link-valid unsure with 2 attempts, no badge', async () => {
    const r = await auditCase(portal, 'slow-headers', one('d', `${host.origin}/slow-headers.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/timed out on 2 attempts/);
    expect(r.ev('d', 'link-valid')).toMatch(/headers/);
    expect(r.byId('d').indicators['link-valid'].detail?.attempts).toBe(2);
    expect(r.v('d', 'direct-download')).toBe('not-evaluated');
    expect(r.byId('d').badge).toBe('none');
    expect(host.hits.get('/slow-headers.csv')).toBe(2);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('slowloris body (a byte every 1.5 s): idle time-out → unsure, 2 attempts', async () => {
    const r = await auditCase(portal, 'slowloris', one('d', `${host.origin}/slowloris.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/timed out on 2 attempts.*(idle|stalled)/);
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('endless trickle under the idle time-out: the total time-out ends the attempt, and is not retried → unsure', async () => {
    const r = await auditCase(portal, 'trickle', one('d', `${host.origin}/trickle.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    // Issue 10: a total time-out used the whole attempt's budget; retrying it cost another (3 × 5 min by default).
    expect(r.ev('d', 'link-valid')).toMatch(/timed out on 1 attempt.*total time-out/);
    expect(host.hits.get('/trickle.csv')).toBe(1);
    expect(r.byId('d').resources[0].fetch.kind).toBe('timeout');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('endless fast body: cut at the byte cap, the data read is judged (gold), truncation recorded', async () => {
    const r = await auditCase(portal, 'endless', one('d', `${host.origin}/endless.csv`));
    const f = r.byId('d').resources[0].fetch;
    expect(f).toMatchObject({ kind: 'ok', truncated: true, bytes: HOSTILE_FETCH.maxBytes, attempts: 1 });
    expect(r.v('d', 'link-valid')).toBe('pass');
    expect(r.v('d', 'direct-download')).toBe('pass');
    expect(r.ev('d', 'direct-download')).toMatch(/cap/);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('10 GB Content-Length that never comes: nothing pre-allocated, idle time-out → unsure', async () => {
    const r = await auditCase(portal, 'ten-gb', one('d', `${host.origin}/ten-gb.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/timed out on 2 attempts/);
    expect(r.byId('d').resources[0].fetch.bytes).toBe(0);
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('connection reset mid-body: retried, then unsure with the attempts in the evidence', async () => {
    const r = await auditCase(portal, 'reset', one('d', `${host.origin}/reset.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/network error on 2 attempts/);
    expect(host.hits.get('/reset.csv')).toBe(2);
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('a host that closes every connection immediately: unsure after 2 attempts', async () => {
    const r = await auditCase(portal, 'closer', one('d', `${closer.origin}/data.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/network error on 2 attempts/);
    expect(closer.connections()).toBeGreaterThanOrEqual(2);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('connection refused (nothing listens): unsure, not a definite failure', async () => {
    const r = await auditCase(portal, 'refused', one('d', `http://127.0.0.1:${refusedPort}/data.csv`));
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/2 attempts.*ECONNREFUSED/);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });
});
