// A tiny data.gov.tw look-alike on loopback for end-to-end tests: the bulk export (BOM, text/html, the 22 columns
// with the live header's typo), the API v2 per-dataset endpoint, and any resource routes a test defines.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toExportCsv } from '../../src/catalog/datagovtw-export.ts';

export interface FixtureResource {
  path: string;
  format: string;
  encoding?: string;
  oasPath?: string;
}

export interface FixtureDataset {
  id: string;
  title: string;
  agency?: string;
  fields?: string;
  frequency?: string;
  /** 詮釋資料更新時間 as Taiwan local time text, e.g. "2026-03-10 14:05:00.000000". */
  metadataUpdated?: string;
  officialBadge?: string;
  resources: FixtureResource[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Taiwan local time text (the catalogue's zone-less format) for a moment `days` before now. */
export function taiwanTimeDaysAgo(days: number, now = new Date()): string {
  const t = new Date(now.getTime() - days * 86_400_000 + 8 * 3_600_000);
  return t.toISOString().replace('T', ' ').replace('Z', '').replace(/\.(\d{3})$/, '.$1000');
}

export async function startFixturePortal(datasets: FixtureDataset[], routes: Record<string, Handler>) {
  let base = '';
  const hits = new Map<string, number>();
  // Served as the portal would: cells as given (defusing is for odbadge's own reports).
  const exportCsv = () => toExportCsv(datasets.map((d) => ({
    id: d.id, title: d.title, providerAttribute: '原始資料', category: '求職及就業', quality: d.officialBadge ?? '',
    formats: d.resources.map((r) => r.format), urls: d.resources.map((r) => base + r.path),
    encodings: d.resources.map((r) => r.encoding ?? 'UTF-8'), uploadMethod: '單筆', description: `${d.title}的說明`,
    fields: d.fields ?? '', agency: d.agency ?? '測試機關', frequency: d.frequency ?? '不定期', license: '政府資料開放授權條款-第1版',
    charge: '免費', contactName: '王小明', contactPhone: '02-12345678', publishedAt: '2020-01-01 00:00:00.000000',
    metadataUpdatedAt: d.metadataUpdated ?? taiwanTimeDaysAgo(1),
  })));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (url.pathname === '/api/front/dataset/export') {
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(exportCsv());
      return;
    }
    const api = /^\/api\/v2\/rest\/dataset\/(.+)$/.exec(url.pathname);
    if (api) {
      const d = datasets.find((x) => x.id === decodeURIComponent(api[1]));
      if (!d) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"success":false}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        success: true,
        result: {
          datasetId: d.id, title: d.title,
          distribution: d.resources.map((r) => ({
            resourceDownloadUrl: base + r.path, resourceFormat: r.format, resourceCharacterEncoding: r.encoding ?? 'UTF-8',
            resourceField: d.fields ?? '', resourceOasUrl: r.oasPath ? base + r.oasPath : '',
          })),
        },
      }));
      return;
    }
    const h = routes[url.pathname];
    if (h) return h(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    exportUrl: `${base}/api/front/dataset/export?format=csv`,
    hits,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
