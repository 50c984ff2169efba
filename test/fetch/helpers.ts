// Loopback test servers for the fetcher tests. Every server listens on 127.x.x.x only and is torn down hard.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { LookupFunction } from 'node:net';
import type { CatalogHttp } from '../../src/catalog/http.ts';
import { Fetcher, catalogHttpOf, type FetchOptions } from '../../src/fetch/index.ts';

export interface TestServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  port: number;
  server: http.Server;
  /** Connections open right now / at most at once. */
  connections: () => number;
  maxConnections: () => number;
  close: () => Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function startServer(
  handler: Handler,
  opts: { host?: string; tls?: { key: string; cert: string } } = {},
): Promise<TestServer> {
  const host = opts.host ?? '127.0.0.1';
  const server: http.Server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  const sockets = new Set<Socket>();
  let max = 0;
  server.on(opts.tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    max = Math.max(max, sockets.size);
    s.once('close', () => sockets.delete(s));
  });
  // TLS handshakes that fail never reach secureConnection; track raw sockets too so close() can end them.
  const raw = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    raw.add(s);
    s.once('close', () => raw.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    server,
    connections: () => sockets.size,
    maxConnections: () => max,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of raw) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A dns.lookup stand-in: names in `table` resolve to the given address; anything else fails like NXDOMAIN. */
export function fakeLookup(table: Record<string, string | { code: string }>): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const fn = ((hostname: string, options: { all?: boolean }, cb: (...a: unknown[]) => void) => {
    calls.push(hostname);
    const entry = table[hostname];
    setImmediate(() => {
      if (entry === undefined || typeof entry === 'object') {
        const code = typeof entry === 'object' ? entry.code : 'ENOTFOUND';
        const e = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname });
        return cb(e);
      }
      const family = entry.includes(':') ? 6 : 4;
      if (options?.all) cb(null, [{ address: entry, family }]);
      else cb(null, entry, family);
    });
  }) as unknown as LookupFunction & { calls: string[] };
  fn.calls = calls;
  return fn;
}

/** Options that make fetch tests fast and deterministic: no spacing, quick retries, short time-outs. */
export const FAST = {
  allowPrivateNetwork: true,
  perHostMinSpacingMs: 0,
  retries: 2,
  retryBaseMs: 20,
  maxRetryAfterMs: 3_000,
  connectTimeoutMs: 2_000,
  headersTimeoutMs: 2_000,
  bodyIdleTimeoutMs: 2_000,
  totalTimeoutMs: 10_000,
} as const;

export const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('utf8');

/**
 * The catalogue's HTTP client as the audit builds it (the guarded fetcher), for catalogue tests on loopback servers:
 * private addresses allowed, quick retries. Close it in afterAll.
 */
export function loopbackCatalogHttp(extra: Partial<FetchOptions> = {}): { http: CatalogHttp; fetcher: Fetcher; close: () => Promise<void> } {
  const fetcher = new Fetcher({ ...FAST, ...extra });
  return { http: catalogHttpOf(fetcher), fetcher, close: () => fetcher.close() };
}
