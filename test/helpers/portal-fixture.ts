// A tiny data.gov.tw look-alike on loopback for end-to-end tests: the bulk export (BOM, text/html, the 22 columns
// with the live header's typo), the API v2 per-dataset endpoint, and any resource routes a test defines.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toCsv } from '../../src/util/csv.ts';

export const EXPORT_COLUMNS = [
  '資料集識別碼', '資料集名稱', '資料提供屬性', '服務分類', '品質檢測', '檔案格式', '資料下載網址', '編碼格式',
  '資資料集上架方式', '資料集描述', '主要欄位說明', '提供機關', '更新頻率', '授權方式', '相關網址', '計費方式',
  '提供機關聯絡人姓名', '提供機關聯絡人電話', '上架日期', '詮釋資料更新時間', '備註', '資料量',
];

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
  const exportCsv = () => {
    const rows = datasets.map((d) => [
      d.id, d.title, '原始資料', '求職及就業', d.officialBadge ?? '', d.resources.map((r) => r.format).join(';'),
      d.resources.map((r) => base + r.path).join(';'), d.resources.map((r) => r.encoding ?? 'UTF-8').join(';'),
      '單筆', `${d.title}的說明`, d.fields ?? '', d.agency ?? '測試機關', d.frequency ?? '不定期', '政府資料開放授權條款-第1版',
      '', '免費', '王小明', '02-12345678', '2020-01-01 00:00:00.000000', d.metadataUpdated ?? taiwanTimeDaysAgo(1), '', '',
    ]);
    // Served as the portal would: cells as given (defusing is for odbadge's own reports).
    return toCsv([EXPORT_COLUMNS, ...rows], { defuse: false });
  };
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
