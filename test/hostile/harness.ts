// Hostile-server harness: loopback servers that misbehave on purpose, a data.gov.tw-style export per case, and
// runAudit end to end with small time-outs so every case ends in a second or two. Servers listen on 127.x.x.x only.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { runAudit, type AuditOptions } from '../../src/audit.ts';
import type { AuditResult } from '../../src/model.ts';
import type { FetchOptions } from '../../src/fetch/index.ts';
import type { DatasetResult, Verdict } from '../../src/model.ts';
import { toExportCsv } from '../../src/catalog/datagovtw-export.ts';
import { taiwanTimeDaysAgo } from '../helpers/portal-fixture.ts';

export const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
export const FIELDS = '村名、人口';

/** Small time-outs so a hostile case costs ~1 s; one retry so transient failures show 2 attempts. */
export const HOSTILE_FETCH: Partial<FetchOptions> = {
  allowPrivateNetwork: true,
  perHostMinSpacingMs: 0,
  retries: 1,
  retryBaseMs: 20,
  maxRetryAfterMs: 1_500,
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 600,
  bodyIdleTimeoutMs: 600,
  totalTimeoutMs: 2_000,
  maxBytes: 256 * 1024,
};

/** Hang guard, not a performance threshold: ~3× the worst case of the options above (2 attempts × total + waits). */
export const HANG_BOUND_MS = 3 * (2 * 2_000 + 1_500);

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface HostileServer {
  origin: string;
  host: string;
  port: number;
  /** Requests seen per path, and per "METHOD path". */
  hits: Map<string, number>;
  /** TCP connections accepted (a guard test asserts 0). */
  connections: () => number;
  close: () => Promise<void>;
}

function track(server: net.Server, host: string, scheme: string, hits: Map<string, number>) {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (s: Socket) => {
    accepted++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return async (): Promise<HostileServer> => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return {
      origin: `${scheme}://${host}:${port}`, host, port, hits, connections: () => accepted,
      close: () => new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    };
  };
}

/** An HTTP(S) server answering each path with its route (404 otherwise). Routes may write raw bytes to req.socket. */
export function startHostile(routes: Record<string, Route>, opts: { host?: string; tls?: { key: string; cert: string } } = {}) {
  const host = opts.host ?? '127.0.0.1';
  const hits = new Map<string, number>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    hits.set(`${req.method} ${path}`, (hits.get(`${req.method} ${path}`) ?? 0) + 1);
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  // Hostile handlers may never answer; do not let Node's own server time-outs end them first.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  return track(server, host, opts.tls ? 'https' : 'http', hits)();
}

/** A raw TCP server: `onSocket` owns every connection (close at once, send garbage…). */
export function startRaw(onSocket: (s: Socket) => void, host = '127.0.0.1') {
  const hits = new Map<string, number>();
  const server = net.createServer((s) => {
    s.on('error', () => {});
    onSocket(s);
  });
  return track(server, host, 'http', hits)();
}

/** Answers the first request on a connection with `raw` bytes (a hand-written, possibly broken, HTTP response). */
export const rawReply = (raw: string | Buffer, end = true): Route => (req) => {
  req.socket.write(raw);
  if (end) req.socket.end();
};

export const csvRoute = (body: string | Buffer = CSV, type = 'text/csv; charset=utf-8', extra: Record<string, string> = {}): Route =>
  (_q, res) => {
    res.writeHead(200, { 'content-type': type, ...extra });
    res.end(body);
  };

export const redirectRoute = (to: string, status = 302): Route => (_q, res) => res.writeHead(status, { location: to }).end();

// ------------------------------------------------------------------ the portal (catalogue exports per case)

export interface HostileDataset {
  id: string;
  title?: string;
  fields?: string;
  /** Absolute resource URLs (they may live on different hostile servers). */
  urls: string[];
  format?: string;
}

function exportCsv(datasets: HostileDataset[]): string {
  return toExportCsv(datasets.map((d) => ({
    id: d.id, title: d.title ?? d.id, providerAttribute: '原始資料', category: '求職及就業', formats: d.urls.map(() => d.format ?? 'CSV'),
    urls: d.urls, encodings: d.urls.map(() => 'UTF-8'), uploadMethod: '單筆', description: `${d.title ?? d.id}的說明`,
    fields: d.fields ?? FIELDS, agency: '測試機關', frequency: '不定期', license: '政府資料開放授權條款-第1版', charge: '免費',
    contactName: '王小明', contactPhone: '02-12345678', publishedAt: '2020-01-01 00:00:00.000000', metadataUpdatedAt: taiwanTimeDaysAgo(1),
  })));
}

/**
 * Serves `/export/<case>` for every registered case. The catalogue is read through the audit's guarded fetcher, so
 * a guard-on case must serve it from an exempted address (`host`).
 */
export async function startPortal(opts: { host?: string } = {}) {
  const cases = new Map<string, HostileDataset[]>();
  const hits = new Map<string, number>();
  const s = http.createServer((req, res) => {
    const m = /^\/export\/([^/?]+)/.exec(req.url ?? '');
    const ds = m ? cases.get(decodeURIComponent(m[1])) : undefined;
    if (!ds) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(exportCsv(ds));
  });
  const portal = await track(s, opts.host ?? '127.0.0.1', 'http', hits)();
  return {
    ...portal,
    /** Registers a case's datasets and returns the export URL to audit. */
    add(caseId: string, datasets: HostileDataset[]): string {
      cases.set(caseId, datasets);
      return `${portal.origin}/export/${encodeURIComponent(caseId)}`;
    },
  };
}

export type Portal = Awaited<ReturnType<typeof startPortal>>;

export interface CaseRun {
  result: AuditResult;
  elapsed: number;
  byId: (id: string) => DatasetResult;
  /** Verdict of an indicator of a dataset (combined over its resources). */
  v: (id: string, indicator: string) => Verdict | undefined;
  ev: (id: string, indicator: string) => string;
}

/** Audits one case end to end through runAudit and returns what a user would see. */
export async function auditCase(
  portal: Portal,
  caseId: string,
  datasets: HostileDataset[],
  opts: Omit<Partial<AuditOptions>, 'catalog' | 'fetch'> & { fetch?: Partial<FetchOptions> } = {},
): Promise<CaseRun> {
  const catalog = portal.add(caseId, datasets);
  const started = performance.now();
  const result = await runAudit({ ...opts, catalog, fetch: { ...HOSTILE_FETCH, ...opts.fetch } });
  const elapsed = performance.now() - started;
  const byId = (id: string) => {
    const d = result.datasets.find((x) => x.id === id);
    if (!d) throw new Error(`no dataset ${id} in the results of ${caseId}`);
    return d;
  };
  return {
    result, elapsed, byId,
    v: (id, ind) => byId(id).indicators[ind]?.verdict,
    ev: (id, ind) => byId(id).indicators[ind]?.evidence ?? '',
  };
}
