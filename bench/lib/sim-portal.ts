// The simulated portal (run as a child process): H loopback hosts, each its own HTTP server on its own address
// (127.0.0.10, 127.0.0.11, … 127.0.0.249, 127.0.1.10, …; Linux routes all of 127.0.0.0/8 to lo), every response
// delayed by the host's latency; plus, on 127.0.0.1, a data.gov.tw-style bulk export of the catalogue, an HTML page
// linking every resource (what linkinator crawls) and /stats. Distinct addresses, not ports, because odbadge's
// per-host limit is per host name: ports of one host share it. Prints {exportUrl, pageUrl, statsUrl, …} when ready.
//
// Two shapes (SIM_SHAPE):
//   uniform (default; the fetch benchmark): SIM_RESOURCES datasets of one small CSV each, SIM_LATENCY_MS per response.
//   datagovtw (the portal-scale benchmark): SIM_DATASETS datasets shaped like data.gov.tw (bench/lib/portal-shape.ts),
//     per-host median latencies log-normal around SIM_LATENCY_MS, each response jittered.
// /stats counts what was served: distinct resources answered (the audit's progress through the catalogue, as the
// portal sees it), requests, statuses, bytes, and the realised latency (as drawn, and as measured from request to
// the end of the response).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toExportCsv } from '../../src/catalog/datagovtw-export.ts';
import { createRng } from '../../src/demo/random.ts';
import { EXPORT_PATH } from '../../src/demo/server.ts';
import { hostAddress, PortalShape, type Reply } from './portal-shape.ts';

const SHAPE = process.env.SIM_SHAPE ?? 'uniform';
const HOSTS = Number(process.env.SIM_HOSTS ?? 50);
const LATENCY = Number(process.env.SIM_LATENCY_MS ?? 50);
const SEED = Number(process.env.SIM_SEED ?? 42);

export interface SimStats {
  /** Distinct catalogue resources whose own URL has been answered. */
  served: number;
  resources: number;
  requests: number;
  responses: number;
  byStatus: Record<string, number>;
  bytes: number;
  /** Sum of the latencies injected (drawn), and of request → response finished as measured here, ms. */
  drawnLatencyMs: number;
  measuredLatencyMs: number;
  cpuMs: number;
  rssMB: number;
}

interface Shape {
  datasets: number;
  resources: number;
  /** Where the r-th resource lives: host index and path. */
  urls(origins: string[]): Iterable<string>;
  exportCsv(origins: string[]): Buffer;
  latency(host: number): number;
  /** The answer and, for a resource's own URL, its number in 0…resources − 1. */
  reply(host: number, url: string): { reply: Reply; resource?: number };
  describe(): Record<string, unknown>;
}

/** Every dataset one small valid CSV on a random host, answered after a fixed latency: the crawl at its simplest. */
function uniformShape(): Shape {
  const resources = Number(process.env.SIM_RESOURCES ?? 20_000);
  const random = createRng(SEED);
  const hostOf = Array.from({ length: resources }, () => Math.floor(random.next() * HOSTS));
  const body = Buffer.from('村名,人口\r\n大安里,1200\r\n中正里,980\r\n');
  const taipeiYesterday = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '000');
  const urls = (origins: string[]) => hostOf.map((h, i) => `${origins[h]}/r/${i}.csv`);
  return {
    datasets: resources,
    resources,
    urls,
    exportCsv: (origins) => Buffer.from(toExportCsv(urls(origins).map((u, i) => ({
      id: `B${i}`, title: `模擬資料集 ${i}`, providerAttribute: '原始資料', category: '求職及就業', formats: 'CSV', urls: u,
      encodings: 'UTF-8', uploadMethod: '單筆', description: '說明', fields: '村名、人口', agency: `機關${i % 50}`, frequency: '不定期',
      license: '政府資料開放授權條款-第1版', charge: '免費', contactName: '王小明', contactPhone: '02-12345678',
      publishedAt: '2020-01-01 00:00:00.000000', metadataUpdatedAt: taipeiYesterday,
    })))),
    latency: () => LATENCY,
    reply: (host, url) => {
      const m = /^\/r\/(\d+)\.csv$/.exec(url);
      const i = m ? Number(m[1]) : -1;
      if (!(i >= 0 && i < resources && hostOf[i] === host)) return { reply: { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('not found') } };
      return { reply: { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body }, resource: i };
    },
    describe: () => ({}),
  };
}

function dataGovTwShape(): Shape {
  const shape = new PortalShape({ datasets: Number(process.env.SIM_DATASETS ?? 53_000), hosts: HOSTS, latencyMs: LATENCY, seed: SEED });
  // Resource r of the catalogue = offsets[dataset] + index within the dataset.
  const offsets = new Int32Array(shape.opts.datasets + 1);
  const perHost = new Float64Array(HOSTS);
  for (let i = 0; i < shape.opts.datasets; i++) {
    const d = shape.dataset(i);
    offsets[i + 1] = offsets[i] + d.resources.length;
    for (const r of d.resources) perHost[r.host]++;
  }
  return {
    datasets: shape.opts.datasets,
    resources: offsets[shape.opts.datasets],
    *urls(origins) {
      for (let i = 0; i < shape.opts.datasets; i++) for (const r of shape.dataset(i).resources) yield origins[r.host] + r.path;
    },
    exportCsv: (origins) => shape.exportCsv(origins),
    latency: (host) => shape.latency(host),
    reply: (host, url) => {
      const reply = shape.reply(host, url);
      return { reply, ...(reply.first ? { resource: offsets[reply.first.dataset] + reply.first.resource } : {}) };
    },
    // The busiest host's share of the catalogue and its median latency: with perHost in flight and a minimum gap
    // between starts on a host, it bounds the audit from below — the benchmark checks it stays below C / latency.
    describe: () => ({
      agencies: shape.agencies.length,
      hostResources: Array.from(perHost),
      hostMeanLatencyMs: shape.hostMedianMs.map((_, h) => Math.round(shape.meanLatency(h) * 10) / 10),
    }),
  };
}

const listen = (server: http.Server, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });

const shape = SHAPE === 'datagovtw' ? dataGovTwShape() : uniformShape();
const seen = new Uint8Array(shape.resources);
const stats: SimStats = {
  served: 0, resources: shape.resources, requests: 0, responses: 0, byStatus: {}, bytes: 0, drawnLatencyMs: 0, measuredLatencyMs: 0, cpuMs: 0, rssMB: 0,
};

const servers: http.Server[] = [];
const origins: string[] = [];
for (let h = 0; h < HOSTS; h++) {
  const server = http.createServer((req, res) => {
    const started = performance.now();
    stats.requests++;
    // The injected latency stands for a slow government host; the answer is worked out when it is due.
    const delay = shape.latency(h);
    const t = setTimeout(() => {
      const { reply, resource } = shape.reply(h, req.url ?? '/');
      if (resource !== undefined && !seen[resource]) {
        seen[resource] = 1;
        stats.served++;
      }
      res.once('finish', () => {
        stats.responses++;
        stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1;
        stats.bytes += reply.body.length;
        stats.drawnLatencyMs += delay;
        stats.measuredLatencyMs += performance.now() - started;
      });
      res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.length });
      res.end(req.method === 'HEAD' ? undefined : reply.body);
    }, delay);
    res.once('close', () => clearTimeout(t));
  });
  server.keepAliveTimeout = 30_000;
  servers.push(server);
  origins.push(`http://${hostAddress(h)}:${await listen(server, hostAddress(h))}`);
}

const exportCsv = shape.exportCsv(origins);
let page: Buffer | undefined; // built on first request: only linkinator needs it
const front = http.createServer((req, res) => {
  const path = req.url?.split('?')[0];
  if (path === EXPORT_PATH) {
    // data.gov.tw serves its CSV export as text/html
    res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'content-length': exportCsv.length }).end(exportCsv);
  } else if (path === '/links.html') {
    page ??= Buffer.from(`<!DOCTYPE html><html><head><title>portal</title></head><body>\n${[...shape.urls(origins)].map((u) => `<a href="${u}">${u}</a>`).join('\n')}\n</body></html>`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  } else if (path === '/stats') {
    const cpu = process.cpuUsage();
    stats.cpuMs = (cpu.user + cpu.system) / 1000;
    stats.rssMB = Math.round(process.memoryUsage.rss() / 1048576);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
  } else res.writeHead(404).end();
});
front.keepAliveTimeout = 300_000; // the auditor reads the export lazily while it audits
servers.push(front);
const frontPort = await listen(front, '127.0.0.1');

const stop = () => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop); // the parent went away
process.stdin.resume();
const base = `http://127.0.0.1:${frontPort}`;
process.stdout.write(`${JSON.stringify({
  exportUrl: `${base}${EXPORT_PATH}?format=csv`, pageUrl: `${base}/links.html`, statsUrl: `${base}/stats`,
  urls: shape.resources, datasets: shape.datasets, resources: shape.resources, hosts: HOSTS, exportBytes: exportCsv.length, ...shape.describe(),
})}\n`);
