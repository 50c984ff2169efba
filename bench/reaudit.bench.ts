// Re-audit of an unchanged portal: the first audit downloads and inspects every resource; the second, with the
// history store, asks each URL conditionally (If-None-Match) and reuses the stored facts on 304. Both run here,
// side by side, against the same simulated portal: a loopback server (in a worker thread, so it does not share the
// auditor's event loop) with a fixed latency per response and CSV bodies of 20–200 KB.
//   ODBADGE_BENCH_REAUDIT_RESOURCES (default 10000), ODBADGE_BENCH_REAUDIT_LATENCY_MS (default 10)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runAudit } from '../src/audit.ts';
import { toExportCsv, type ExportRow } from '../src/catalog/datagovtw-export.ts';
import { SqliteStore } from '../src/store/store.ts';

const SERVER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { latencyMs, exportTemplate } = workerData;
// 16 body templates of 20–200 KB; each resource prepends its own row so every body (and hash) is distinct.
const templates = Array.from({ length: 16 }, (_, t) => {
  const size = 20000 + Math.round((180000 * t) / 15);
  const rows = [];
  let n = 0, len = 0;
  while (len < size) { const r = '區' + (n % 97) + '里,' + (1000 + n * 7) + ',' + (n % 13) + '.' + (n % 10) + '\\r\\n'; rows.push(r); len += Buffer.byteLength(r); n++; }
  return Buffer.from(rows.join(''));
});
const header = Buffer.from('村名,人口,面積\\r\\n');
let base = '';
const exportCsv = () => exportTemplate.split('{{BASE}}').join(base);
const server = createServer((req, res) => {
  const m = /^\\/r\\/(\\d+)\\.csv$/.exec(req.url);
  if (req.url.startsWith('/export')) { res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }); res.end(exportCsv()); return; }
  if (!m) { res.writeHead(404).end(); return; }
  const i = Number(m[1]);
  const etag = '"r' + i + '-v1"';
  setTimeout(() => {
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }).end(); return; }
    const body = Buffer.concat([header, Buffer.from('起始' + i + '里,' + i + ',0.0\\r\\n'), templates[i % 16]]);
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', etag, 'content-length': body.length });
    res.end(body);
  }, latencyMs);
});
server.listen(0, '127.0.0.1', () => { base = 'http://127.0.0.1:' + server.address().port; parentPort.postMessage(base); });
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); } });
`;

/** The portal's export, written by the one export writer; the worker fills in its address for {{BASE}}. */
function exportTemplate(resources: number): string {
  const perDataset = 2;
  const rows: ExportRow[] = [];
  for (let d = 0; d < resources / perDataset; d++) {
    const urls = Array.from({ length: perDataset }, (_, k) => `{{BASE}}/r/${d * perDataset + k}.csv`);
    rows.push({
      id: `bench${d}`, title: `資料集${d}`, providerAttribute: '原始資料', category: '其他', formats: ['CSV', 'CSV'], urls,
      encodings: ['UTF-8', 'UTF-8'], uploadMethod: '單筆', description: '說明', fields: '村名、人口、面積', agency: `機關${d % 40}`,
      frequency: '不定期', license: '政府資料開放授權條款-第1版', charge: '免費', contactName: '王小明', contactPhone: '02-12345678',
      publishedAt: '2020-01-01 00:00:00.000000', metadataUpdatedAt: '2024-01-01 00:00:00.000000',
    });
  }
  return toExportCsv(rows);
}

export default async function reauditBench(): Promise<Record<string, { ratio: number; peakRssMB?: number; [k: string]: unknown }>> {
  const resources = Number(process.env.ODBADGE_BENCH_REAUDIT_RESOURCES ?? 10_000);
  const latencyMs = Number(process.env.ODBADGE_BENCH_REAUDIT_LATENCY_MS ?? 10);
  const worker = new Worker(SERVER, { eval: true, workerData: { resources, latencyMs, exportTemplate: exportTemplate(resources) } });
  const base = await new Promise<string>((r, j) => {
    worker.once('message', r);
    worker.once('error', j);
  });
  const dir = await mkdtemp(join(tmpdir(), 'odbadge-reaudit-'));
  const store = SqliteStore.open(join(dir, 'bench.db'));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);
  try {
    const fetch = { allowPrivateNetwork: true, concurrency: 64, perHost: 64, perHostMinSpacingMs: 0 };
    const audit = async () => {
      const t = performance.now();
      const r = await runAudit({ catalog: `${base}/export.csv`, store, fetch });
      return { sec: (performance.now() - t) / 1000, r };
    };
    const first = await audit();
    process.stderr.write(`first audit: ${first.sec.toFixed(1)} s, ${first.r.stats.bytes} bytes, ${first.r.datasets.length} datasets\n`);
    const second = await audit();
    process.stderr.write(`second audit: ${second.sec.toFixed(1)} s, ${second.r.stats.bytes} bytes, reused ${second.r.stats.reusedResources}\n`);
    const same = JSON.stringify(first.r.datasets.map((d) => d.badge)) === JSON.stringify(second.r.datasets.map((d) => d.badge));
    if (!same) throw new Error('the re-audit of an unchanged portal gave different badges');
    return {
      reaudit: {
        ratio: +(first.sec / second.sec).toFixed(2),
        firstSec: +first.sec.toFixed(2),
        secondSec: +second.sec.toFixed(2),
        firstBytes: first.r.stats.bytes,
        secondBytes: second.r.stats.bytes,
        resources: first.r.stats.resources,
        reused: second.r.stats.reusedResources ?? 0,
        latencyMs,
        peakRssMB: Math.round(peakRss / 1048576),
      },
    };
  } finally {
    clearInterval(sampler);
    await store.close();
    worker.postMessage('close');
    await new Promise((r) => worker.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}
