// The demo portal on loopback: a data.gov.tw-style catalogue server (bulk export + API v2) and one resource
// server per agency, each on its own address (127.0.0.11, .12, …) so per-host limits in the fetcher matter.
// Nothing listens beyond 127.x.x.x.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toExportCsv } from '../catalog/datagovtw-export.ts';
import {
  agencyHomePage, landingPage, loginPage, noDataBody, notFoundPage, oasDocument, renderResource, serviceUnavailablePage,
} from './content.ts';
import type { DemoAgency, DemoDataset, DemoPortal, DemoResource } from './portal.ts';

export const EXPORT_PATH = '/api/front/dataset/export';

export interface DemoServerOptions {
  /** How long a time-out scenario holds the socket before destroying it. */
  timeoutScenarioHoldMs?: number;
  /** Retry-After seconds of the 503 scenario. */
  retryAfterSeconds?: number;
  /** First address of the agency hosts (default 127.0.0.11). */
  firstAgencyHost?: number;
}

export interface DemoServer {
  /** `${portalBase}/api/front/dataset/export?format=csv` */
  exportUrl: string;
  /** base for the per-dataset API, as for https://data.gov.tw: GET `${apiBase}/api/v2/rest/dataset/{id}` (= portalBase) */
  apiBase: string;
  /** origin of the catalogue server, e.g. http://127.0.0.1:40123 */
  portalBase: string;
  /** origins of the agency servers, in DemoAgency.hostIndex order */
  hosts: string[];
  /** true when the agency servers got their own 127.0.0.x addresses (false: distinct ports on 127.0.0.1) */
  separateAddresses: boolean;
  urlOf(resource: DemoResource, dataset: DemoDataset): string;
  /** Finds the dataset and resource behind a download URL (for comparing results with the truth). */
  lookup(url: string): { dataset: DemoDataset; resource: DemoResource } | undefined;
  close(): Promise<void>;
}

interface Entry {
  dataset: DemoDataset;
  resource: DemoResource;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(buf.length), ...headers });
  res.end(buf);
}

function listen(server: http.Server, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(0, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections(); // keep-alive and held (time-out scenario) sockets too
  });
}

/** Guards every server: a malformed request gets a 400 and the socket goes, never a crash. */
function harden(server: http.Server, sockets: Set<Socket>): void {
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
}

export async function startDemoServer(portal: DemoPortal, opts: DemoServerOptions = {}): Promise<DemoServer> {
  const holdMs = opts.timeoutScenarioHoldMs ?? 15_000;
  const retryAfter = opts.retryAfterSeconds ?? 1;
  const firstHost = opts.firstAgencyHost ?? 11;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const servedOnce = new Set<string>(); // resources of the 503 scenario that already answered 503
  let closed = false;

  const byPath = new Map<string, Entry>(); // `${hostIndex} ${path}`
  const byId = new Map<string, DemoDataset>();
  const agencyOf = new Map<string, DemoAgency>(portal.agencies.map((a) => [a.name, a]));
  const oasByPath = new Map<string, Entry>();
  for (const dataset of portal.datasets) {
    byId.set(dataset.id, dataset);
    const h = agencyOf.get(dataset.agency)!.hostIndex;
    for (const resource of dataset.resources) {
      byPath.set(`${h} ${resource.path}`, { dataset, resource });
      if (resource.oas) oasByPath.set(`${h} ${resource.oas.path}`, { dataset, resource });
    }
  }

  // ---- agency servers: on 127.0.0.11… if the OS lets us (Linux does), else distinct ports on 127.0.0.1
  const agencyServers: http.Server[] = [];
  const hosts: string[] = [];
  let separateAddresses = true;
  for (const agency of portal.agencies) {
    const server = http.createServer((req, res) => handleAgency(agency, req, res));
    harden(server, sockets);
    agencyServers.push(server);
    let addr: AddressInfo;
    const wanted = `127.0.0.${firstHost + agency.hostIndex}`;
    try {
      addr = await listen(server, separateAddresses ? wanted : '127.0.0.1');
    } catch (err) {
      if (!separateAddresses) throw err;
      separateAddresses = false;
      addr = await listen(server, '127.0.0.1');
    }
    hosts[agency.hostIndex] = `http://${addr.address}:${addr.port}`;
  }
  if (!separateAddresses) {
    // Mixed addresses would be confusing: put every agency on 127.0.0.1.
    for (let i = 0; i < agencyServers.length; i++) {
      if (hosts[i].startsWith('http://127.0.0.1:')) continue;
      await closeServer(agencyServers[i]);
      const server = http.createServer((req, res) => handleAgency(portal.agencies[i], req, res));
      harden(server, sockets);
      agencyServers[i] = server;
      const addr = await listen(server, '127.0.0.1');
      hosts[i] = `http://127.0.0.1:${addr.port}`;
    }
  }

  const urlOf = (resource: DemoResource, dataset: DemoDataset) => hosts[agencyOf.get(dataset.agency)!.hostIndex] + resource.path;
  const oasUrlOf = (resource: DemoResource, dataset: DemoDataset) =>
    resource.oas ? hosts[agencyOf.get(dataset.agency)!.hostIndex] + resource.oas.path : '';

  // ---- catalogue server
  const portalServer = http.createServer((req, res) => handlePortal(req, res));
  // Node starts the keep-alive timer once the export is handed to the kernel; a client that reads the export
  // lazily (pausing while it audits) would be cut off after 5 s. close() ends idle sockets anyway.
  portalServer.keepAliveTimeout = 300_000;
  harden(portalServer, sockets);
  const portalAddr = await listen(portalServer, '127.0.0.1');
  const portalBase = `http://127.0.0.1:${portalAddr.port}`;

  function exportCsv(): Buffer {
    return Buffer.from(toExportCsv(portal.datasets.map((d) => {
      const each = (f: (r: DemoResource) => string) => d.resources.map(f);
      return {
        id: d.id, title: d.title, providerAttribute: d.providerAttribute, category: d.category, quality: d.officialBadgeText,
        formats: each((r) => r.format), urls: each((r) => urlOf(r, d)), encodings: each((r) => r.declaredEncoding),
        uploadMethod: d.uploadMethod, description: d.description,
        // one 主要欄位說明 per dataset when the resources agree (they do here), `;`-joined otherwise
        fields: [...new Set(each((r) => r.declaredFields))], agency: d.agency, frequency: d.frequency, license: d.license,
        relatedUrl: hosts[agencyOf.get(d.agency)!.hostIndex] + '/', charge: d.cost, contactName: d.contactName,
        contactPhone: d.contactPhone, publishedAt: d.publishedAt, metadataUpdatedAt: d.metadataUpdatedAtText,
        amount: each((r) => String(r.recordCount)),
      };
    })));
  }
  let exportCache: Buffer | undefined;

  function datasetJson(d: DemoDataset): unknown {
    const freq = d.frequencyStyle === 'object' ? frequencyObject(d.frequency) ?? d.frequency : d.frequency;
    return {
      success: true,
      result: {
        datasetId: d.id,
        title: d.title,
        description: d.description,
        category: d.category,
        publisher: d.agency,
        publisherOrgCode: 'A17000000J',
        providerAttribute: d.providerAttribute,
        updateFrequency: freq,
        license: d.license,
        cost: d.cost,
        contactName: d.contactName,
        contactPhone: d.contactPhone,
        issued: d.publishedAt,
        modified: d.metadataUpdatedAtText,
        dataQuality: d.officialBadgeText,
        viewCount: d.usage.views,
        downloadCount: d.usage.downloads,
        distribution: d.resources.map((r) => ({
          resourceId: r.resourceId,
          resourceDescription: r.description,
          resourceField: r.fieldStyle === 'string' ? r.declaredFields : r.declaredColumns.map((c) => ({ name: c.name, description: c.alias })),
          qcLevel: r.qcLevel,
          resourceFormat: r.format,
          resourceCharacterEncoding: r.declaredEncoding,
          resourceQualityCheckTime: d.metadataUpdatedAtText,
          resourceModifiedDate: r.updatedAt.slice(0, 19).replace('T', ' ') + '.000000',
          resourceDownloadUrl: urlOf(r, d),
          resourceAmount: String(r.recordCount),
          resourceNotes: '',
          resourceRequestMethod: 'GET',
          resourceOasUrl: oasUrlOf(r, d),
        })),
      },
    };
  }

  function handlePortal(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      const url = new URL(req.url ?? '/', portalBase);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed', { Allow: 'GET, HEAD' });
      if (url.pathname === EXPORT_PATH) {
        if (url.searchParams.get('format') !== 'csv') return send(res, 400, 'text/plain; charset=utf-8', 'format must be csv');
        exportCache ??= exportCsv();
        // data.gov.tw really serves its CSV export as text/html
        return send(res, 200, 'text/html; charset=UTF-8', exportCache, { 'Content-Disposition': 'attachment; filename="export.csv"' });
      }
      const m = /^\/api\/v2\/rest\/dataset\/([^/]+)$/.exec(url.pathname);
      if (m) {
        const d = byId.get(decodeURIComponent(m[1]));
        if (!d) return send(res, 404, 'application/json; charset=utf-8', JSON.stringify({ success: false, message: `dataset ${m[1]} not found` }));
        return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(datasetJson(d)));
      }
      return send(res, 404, 'text/html; charset=utf-8', notFoundPage(url.pathname));
    } catch (err) {
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function handleAgency(agency: DemoAgency, req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      const origin = hosts[agency.hostIndex];
      const url = new URL(req.url ?? '/', origin ?? 'http://127.0.0.1');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed', { Allow: 'GET, HEAD' });
      const path = url.pathname;
      if (path === '/') return send(res, 200, 'text/html; charset=utf-8', agencyHomePage(agency.name));
      if (path === '/sso/login') return send(res, 200, 'text/html; charset=utf-8', loginPage(url.searchParams.get('returnUrl') ?? '/'));
      const oas = oasByPath.get(`${agency.hostIndex} ${path}`);
      if (oas) {
        const doc = oasDocument(oas.dataset, oas.resource, origin);
        return send(res, 200, doc.contentType, doc.text);
      }
      // A resource path, or one of its helper paths: /hop1, /hop2 (redirect chain), /file (behind the landing page)
      const sub = /^(.*?)(\/hop1|\/hop2|\/file)?$/.exec(path)!;
      const entry = byPath.get(`${agency.hostIndex} ${sub[1]}`);
      if (!entry) return send(res, 404, 'text/html; charset=utf-8', notFoundPage(path));
      serveResource(entry, sub[2] ?? '', req, res);
    } catch (err) {
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function serveData(entry: Entry, res: http.ServerResponse): void {
    const { body, contentType, contentEncoding } = renderResource(portal, entry.dataset, entry.resource);
    const headers: Record<string, string> = { 'Last-Modified': new Date(entry.resource.updatedAt).toUTCString() };
    if (contentEncoding) headers['Content-Encoding'] = contentEncoding;
    if (entry.resource.format !== 'JSON' && entry.resource.format !== 'XML' && entry.resource.scenario !== 'csv-as-html') {
      const ext = entry.resource.format.toLowerCase();
      headers['Content-Disposition'] = `attachment; filename="${entry.resource.resourceId}.${ext}"`;
    }
    send(res, 200, contentType, body, headers);
  }

  function serveResource(entry: Entry, sub: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const { resource, dataset } = entry;
    const base = resource.path;
    switch (resource.scenario) {
      case 'not-found':
        return send(res, 404, 'text/html; charset=utf-8', notFoundPage(base));
      case 'timeout': {
        // Accept, say nothing, then drop the connection: a load balancer with a dead backend.
        const timer = setTimeout(() => {
          timers.delete(timer);
          req.socket.destroy();
        }, holdMs);
        timers.add(timer);
        req.socket.once('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'retry-after-503':
        if (!servedOnce.has(resource.id)) {
          servedOnce.add(resource.id);
          return send(res, 503, 'text/html; charset=utf-8', serviceUnavailablePage(), { 'Retry-After': String(retryAfter) });
        }
        return serveData(entry, res);
      case 'redirect-chain':
        if (sub === '') return redirect(res, 301, `${base}/hop1`);
        if (sub === '/hop1') return redirect(res, 302, `${base}/hop2`);
        if (sub === '/hop2') return redirect(res, 307, `${base}/file`);
        return serveData(entry, res);
      case 'html-landing':
        if (sub === '/file') return serveData(entry, res);
        return send(res, 200, 'text/html; charset=utf-8', landingPage(dataset, `${base}/file`));
      case 'login-redirect':
        return redirect(res, 302, `/sso/login?returnUrl=${encodeURIComponent(base)}`);
      case 'no-data-200':
        return send(res, 200, 'text/html; charset=utf-8', noDataBody(resource));
      default:
        if (sub !== '') return send(res, 404, 'text/html; charset=utf-8', notFoundPage(base + sub));
        return serveData(entry, res);
    }
  }

  function redirect(res: http.ServerResponse, status: number, location: string): void {
    send(res, status, 'text/html; charset=utf-8', `<a href="${location}">moved</a>`, { Location: location });
  }

  return {
    exportUrl: `${portalBase}${EXPORT_PATH}?format=csv`,
    apiBase: portalBase,
    portalBase,
    hosts,
    separateAddresses,
    urlOf,
    lookup(url: string) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return undefined;
      }
      const h = hosts.indexOf(u.origin);
      return h < 0 ? undefined : byPath.get(`${h} ${u.pathname}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await Promise.all([portalServer, ...agencyServers].map(closeServer));
    },
  };
}

/** 每3月 → {regularupdate: 'Y', Frequency: '3', unittime: '月'}; irregular ones stay text. */
function frequencyObject(text: string): { regularupdate: string; Frequency: string; unittime: string } | undefined {
  const m = /^每(\d+)(年|月|日|時|分)$/.exec(text);
  return m ? { regularupdate: 'Y', Frequency: m[1], unittime: m[2] } : undefined;
}
