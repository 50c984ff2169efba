// The simulated portal (run as a child process): N loopback hosts 127.0.0.<10+i>, each its own HTTP server, every
// response delayed by L ms; plus, on 127.0.0.1, a data.gov.tw-style export listing every resource as a dataset and
// an HTML page linking every resource (what linkinator crawls). Distinct addresses, not ports, because odbadge's
// per-host limit is per host name: ports of one host share it. Prints {exportUrl, pageUrl, urls} when ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const RESOURCES = Number(process.env.SIM_RESOURCES ?? 20_000);
const HOSTS = Number(process.env.SIM_HOSTS ?? 50);
const LATENCY = Number(process.env.SIM_LATENCY_MS ?? 50);
const SEED = Number(process.env.SIM_SEED ?? 42);

const EXPORT_COLUMNS = [
  '資料集識別碼', '資料集名稱', '資料提供屬性', '服務分類', '品質檢測', '檔案格式', '資料下載網址', '編碼格式',
  '資資料集上架方式', '資料集描述', '主要欄位說明', '提供機關', '更新頻率', '授權方式', '相關網址', '計費方式',
  '提供機關聯絡人姓名', '提供機關聯絡人電話', '上架日期', '詮釋資料更新時間', '備註', '資料量',
];
const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';

/** Deterministic PRNG (mulberry32) so every run audits the same portal. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const listen = (server: http.Server, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });

const servers: http.Server[] = [];
const origins: string[] = [];
for (let h = 0; h < HOSTS; h++) {
  const host = `127.0.0.${10 + (h % 240)}`;
  const server = http.createServer((req, res) => {
    // The injected latency stands for a slow government host; the body is a small valid CSV.
    const t = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': Buffer.byteLength(CSV) });
      res.end(req.method === 'HEAD' ? undefined : CSV);
    }, LATENCY);
    res.once('close', () => clearTimeout(t));
  });
  server.keepAliveTimeout = 30_000;
  servers.push(server);
  // More than 240 hosts would need more addresses; ports then tell them apart (and share a per-host budget).
  origins.push(`http://${host}:${await listen(server, host)}`);
}

const random = rng(SEED);
const urls = Array.from({ length: RESOURCES }, (_, i) => `${origins[Math.floor(random() * HOSTS)]}/r/${i}.csv`);

const taipeiYesterday = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '000');
const exportCsv = '\ufeff' + [
  EXPORT_COLUMNS.join(','),
  ...urls.map((u, i) => [
    `B${i}`, `模擬資料集 ${i}`, '原始資料', '求職及就業', '', 'CSV', u, 'UTF-8', '單筆', '說明', '村名、人口', `機關${i % 50}`,
    '不定期', '政府資料開放授權條款-第1版', '', '免費', '王小明', '02-12345678', '2020-01-01 00:00:00.000000', taipeiYesterday, '', '',
  ].join(',')),
].join('\r\n') + '\r\n';
const page = `<!DOCTYPE html><html><head><title>portal</title></head><body>\n${urls.map((u) => `<a href="${u}">${u}</a>`).join('\n')}\n</body></html>`;

const front = http.createServer((req, res) => {
  if (req.url?.startsWith('/export.csv')) res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(exportCsv);
  else if (req.url?.startsWith('/links.html')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  else res.writeHead(404).end();
});
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
process.stdout.write(`${JSON.stringify({
  exportUrl: `http://127.0.0.1:${frontPort}/export.csv`, pageUrl: `http://127.0.0.1:${frontPort}/links.html`, urls: urls.length, hosts: HOSTS,
})}\n`);
