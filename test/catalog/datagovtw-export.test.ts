import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/model.ts';
import { readDataGovTwExport } from '../../src/catalog/datagovtw.ts';
import { EXPORT_HEADER, exportCsvRow, exportCsvStart, toExportCsv } from '../../src/catalog/datagovtw-export.ts';
import { loopbackCatalogHttp } from '../fetch/helpers.ts';

/** The catalogue reads through the audit's guarded fetcher (loopback allowed for these servers). */
const client = loopbackCatalogHttp();
afterAll(() => client.close());

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(here, '../../fixtures/catalog/datagovtw-export.csv');

/** The live export's header, as data.gov.tw spells it (資資料集上架方式 sic). */
const HEADER = [
  '資料集識別碼', '資料集名稱', '資料提供屬性', '服務分類', '品質檢測', '檔案格式', '資料下載網址', '編碼格式',
  '資資料集上架方式', '資料集描述', '主要欄位說明', '提供機關', '更新頻率', '授權方式', '相關網址', '計費方式',
  '提供機關聯絡人姓名', '提供機關聯絡人電話', '上架日期', '詮釋資料更新時間', '備註', '資料量',
];

async function collect(source: string, opts?: Parameters<typeof readDataGovTwExport>[1]): Promise<Dataset[]> {
  const out: Dataset[] = [];
  for await (const d of readDataGovTwExport(source, { http: client.http, ...opts })) out.push(d);
  return out;
}

const codes = (d: Dataset) => d.findings.map((f) => f.code);

let tmp: string;
let server: Server;
let base: string;
let bigRowsProduced = 0;
const BIG_ROWS = 20_000;

function bigRow(i: number): string {
  // ~1 KB per row so the whole export (~20 MB) is far larger than any socket buffer.
  const desc = `第${i}筆測試資料，描述`.padEnd(400, '述');
  return `${100000 + i},資料集${i},原始資料,公共資訊,金標章,CSV;JSON,https://x.example.gov.tw/${i}.csv;https://x.example.gov.tw/${i}.json,UTF-8,介接,"${desc}",欄一、欄二,某機關,每1日,授權,,免費,王,02,2020-01-01 00:00:00,2026-03-10 14:05:00.000000,,1\r\n`;
}

function* bigExport(): Generator<string> {
  yield `\uFEFF${HEADER.join(',')}\r\n`;
  for (let i = 0; i < BIG_ROWS; i++) {
    bigRowsProduced = i + 1;
    yield bigRow(i);
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dgtw-'));
  server = createServer((req, res) => {
    // The live portal labels its CSV export text/html.
    if (req.url === '/api/front/dataset/export?format=csv') {
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(readFileSync(FIXTURE));
    } else if (req.url === '/big.csv') {
      res.writeHead(200, { 'content-type': 'text/html' });
      Readable.from(bigExport()).pipe(res);
    } else if (req.url === '/trickle.csv') {
      // 7-byte chunks split the BOM and multi-byte characters across chunk boundaries.
      res.writeHead(200, { 'content-type': 'text/html' });
      const bytes = readFileSync(FIXTURE);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
      Readable.from(chunks).pipe(res);
    } else if (req.url === '/moved') {
      res.writeHead(302, { location: '/api/front/dataset/export?format=csv' });
      res.end();
    } else {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('boom');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('readDataGovTwExport on the fixture export', () => {
  let all: Dataset[];
  beforeAll(async () => {
    all = await collect(FIXTURE);
  });
  const byId = (id: string) => all.filter((d) => d.id === id);

  it('yields one dataset per row, bad rows included, in file order', () => {
    expect(all.map((d) => d.id)).toEqual(['6069', '1001', '1002', '1003', '1004', '1005', '1006', 'row-10', '1001', '1007', '1008', 'row-14', '1010']);
    expect(all.every((d) => d.source === 'data.gov.tw')).toBe(true);
  });

  it('strips the BOM, reads the typo header and maps every declared value', () => {
    const [d] = byId('6069');
    expect(d.title).toBe('一般天氣預報-今明36小時天氣預報');
    expect(d.agency).toBe('交通部中央氣象署');
    expect(d.officialBadge).toBe('gold');
    expect(d.officialBadgeRaw).toBe('金標章');
    expect(d.whitelisted).toBe(false);
    expect(d.metadataUpdatedAt).toBe('2026-03-10T14:05:00+08:00');
    expect(d.publishedAt).toBe('2015-12-29T00:00:00+08:00');
    expect(d.declared).toMatchObject({
      frequency: '每6時',
      encoding: 'UTF-8',
      formats: ['XML'],
      uploadMethod: '介接',
      providerAttribute: '原始資料',
      category: '生活安全及品質',
      license: '政府資料開放授權條款-第1版',
      fields: '縣市名稱、發布時間、起始時間、結束時間、天氣狀況、降雨機率、最高溫、最低溫',
    });
    expect(d.findings).toEqual([]);
  });

  it('splits ;-joined resources in parallel; one encoding applies to all; quoted commas and newlines survive', () => {
    const [d] = byId('1001');
    expect(d.resources.map((r) => [r.id, r.declared.format, r.declared.encoding])).toEqual([
      ['1001#0', 'CSV', 'UTF-8'],
      ['1001#1', 'JSON', 'UTF-8'],
      ['1001#2', 'XML', 'UTF-8'],
    ]);
    expect(d.resources[1].url).toBe('https://data.moenv.gov.tw/api/v2/aqx_p_432?format=json');
    expect(d.resources.every((r) => r.declared.fields === 'SiteName(測站名稱)、County(縣市)、AQI(空氣品質指標)')).toBe(true);
    expect(d.declared.description).toContain('含測站名稱, 縣市, 污染物\n第二行說明');
    expect(d.findings).toEqual([]);
  });

  it('marks 無(白名單) as whitelisted with no badge', () => {
    const [d] = byId('1002');
    expect(d).toMatchObject({ whitelisted: true, officialBadge: 'none', officialBadgeRaw: '無(白名單)' });
    expect(d.metadataUpdatedAt).toBe('2017-10-07T00:00:00+08:00');
  });

  it('records a finding when resource counts disagree and pairs by position', () => {
    const [d] = byId('1003');
    expect(codes(d)).toEqual(['catalog-resource-count-mismatch']);
    expect(d.resources.map((r) => [r.declared.format, r.declared.encoding])).toEqual([
      ['CSV', 'UTF-8'],
      ['JSON', 'BIG5'],
      [undefined, undefined],
    ]);
    expect(d.findings[0].detail).toEqual({ urls: 3, formats: 2, encodings: 2 });
  });

  it('flags a dataset without URL, a non-http URL and an unparsable time', () => {
    expect(codes(byId('1004')[0])).toEqual(['catalog-no-resource-url']);
    expect(byId('1004')[0].resources).toEqual([]);
    const ftp = byId('1005')[0];
    expect(codes(ftp)).toEqual(['catalog-bad-url', 'catalog-bad-time']);
    expect(ftp.resources[0].url).toBe('ftp://ftp.example.gov.tw/data.csv');
    expect(ftp.officialBadge).toBeNull();
    expect(ftp.metadataUpdatedAt).toBeUndefined();
  });

  it('salvages a short row and a row without id', () => {
    const short = byId('1006')[0];
    expect(codes(short)).toEqual(['catalog-row-malformed']);
    expect(short.findings[0].detail).toMatchObject({ line: 9, cells: 20, expected: 22 });
    expect(short.resources[0].url).toBe('https://e.example.gov.tw/a.csv');
    const noId = byId('row-10')[0];
    expect(codes(noId)).toEqual(['catalog-missing-id']);
    expect(noId.resources[0].url).toBe('https://b.example.gov.tw/x.csv');
  });

  it('flags the second occurrence of a dataset id only', () => {
    const [first, second] = byId('1001');
    expect(codes(first)).toEqual([]);
    expect(codes(second)).toEqual(['catalog-duplicate-id']);
    expect(second.findings[0].detail).toEqual({ line: 11, firstLine: 3 });
  });

  it('keeps a ; inside a URL when the format count says so', () => {
    const [d] = byId('1008');
    expect(d.resources.map((r) => r.url)).toEqual([
      'https://d.example.gov.tw/get.do;jsessionid=ABC123?id=1',
      'https://d.example.gov.tw/get.do;jsessionid=ABC123?id=2',
    ]);
  });

  it('turns an unbalanced quote into a row-<line> finding and keeps reading after it', () => {
    const [bad] = byId('row-14');
    expect(codes(bad)).toEqual(['catalog-row-malformed']);
    expect(bad.findings[0].message).toMatch(/Quote Not Closed/);
    expect(bad.resources).toEqual([]);
    const [after] = byId('1010');
    expect(after.title).toBe('引號錯誤之後的資料列');
    expect(after.findings).toEqual([]);
  });

  it('gives identical output when served over http as text/html (also through a redirect)', async () => {
    expect(await collect(`${base}/api/front/dataset/export?format=csv`)).toEqual(all);
    expect(await collect(`${base}/moved`)).toEqual(all);
    expect(await collect(`${base}/trickle.csv`)).toEqual(all);
  });

  it('gives identical output without a BOM', async () => {
    const noBom = path.join(tmp, 'nobom.csv');
    writeFileSync(noBom, readFileSync(FIXTURE).subarray(3));
    expect(await collect(noBom)).toEqual(all);
  });
});

describe('readDataGovTwExport on other exports', () => {
  it('maps columns by name when reordered and extended, accepting the corrected header spelling', async () => {
    const file = path.join(tmp, 'reordered.csv');
    const header = ['新欄位', '資料下載網址', '資料集名稱', '資料集上架方式', '資料集識別碼', '品質檢測', '編碼格式', '檔案格式'];
    writeFileSync(file, `${header.join(',')}\nx,https://h.example.gov.tw/a.csv,重排,上傳,42,銀標章,BIG5,CSV\n`);
    const [d] = await collect(file);
    expect(d).toMatchObject({ id: '42', title: '重排', officialBadge: 'silver', agency: '', findings: [] });
    expect(d.declared.uploadMethod).toBe('上傳');
    expect(d.resources).toEqual([{ id: '42#0', url: 'https://h.example.gov.tw/a.csv', declared: { format: 'CSV', encoding: 'BIG5' } }]);
  });

  it('throws a clear error naming each missing required column', async () => {
    const file = path.join(tmp, 'missing.csv');
    writeFileSync(file, '資料集識別碼,品質檢測\n1,金標章\n');
    await expect(collect(file)).rejects.toThrow(/資料集名稱, 資料下載網址/);
  });

  it('throws for an unreadable file, an HTTP error and an empty export', async () => {
    await expect(collect(path.join(tmp, 'nope.csv'))).rejects.toThrow(/cannot read/);
    await expect(collect(`${base}/error`)).rejects.toThrow(/HTTP 500/);
    await expect(collect('http://127.0.0.1:1/export.csv')).rejects.toThrow(/cannot fetch/);
    await expect(collect('ftp://127.0.0.1/export.csv')).rejects.toThrow(/unsupported source scheme/);
    const empty = path.join(tmp, 'empty.csv');
    writeFileSync(empty, '\uFEFF');
    await expect(collect(empty)).rejects.toThrow(/empty/);
  });

  it('stops with an error once maxBytes is passed', async () => {
    await expect(collect(FIXTURE, { maxBytes: 500 })).rejects.toThrow(/500-byte limit/);
  });

  it('streams a 20,000-row export from the server without waiting for all of it', async () => {
    bigRowsProduced = 0;
    let count = 0;
    let producedAtFirst = -1;
    let withFindings = 0;
    for await (const d of readDataGovTwExport(`${base}/big.csv`, { http: client.http })) {
      if (count === 0) producedAtFirst = bigRowsProduced;
      count++;
      if (d.findings.length) withFindings++;
      if (count === BIG_ROWS) expect(d.id).toBe(String(100000 + BIG_ROWS - 1));
    }
    expect(count).toBe(BIG_ROWS);
    expect(withFindings).toBe(0);
    // The first dataset arrived while the server was still producing: nothing waited for the whole body.
    expect(producedAtFirst).toBeLessThan(BIG_ROWS);
  });

  it('can be aborted', async () => {
    const ac = new AbortController();
    let count = 0;
    await expect(
      (async () => {
        for await (const _ of readDataGovTwExport(`${base}/big.csv`, { signal: ac.signal, http: client.http })) {
          if (++count === 10) ac.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(count).toBe(10);
  });
});

describe('the export writer (what the demo portal, the test portals and the benchmarks serve)', () => {
  it('writes the live header after a BOM, with CRLF', () => {
    expect(EXPORT_HEADER).toEqual(HEADER);
    expect(exportCsvStart()).toBe(`\uFEFF${HEADER.join(',')}\r\n`);
    expect(toExportCsv([])).toBe(exportCsvStart());
  });

  it('writes cells as a portal serves them: quoted when needed, lists ;-joined, nothing defused, left-out columns empty', () => {
    expect(exportCsvRow({ id: '7', title: 'a,"b"', formats: ['CSV', 'JSON'], description: '=1+1' })).toBe(
      '7,"a,""b""",,,,CSV;JSON,,,,=1+1,,,,,,,,,,,,\r\n',
    );
  });

  it('writes an export the adapter reads back to the same datasets', async () => {
    const file = path.join(tmp, 'written.csv');
    writeFileSync(file, toExportCsv([
      {
        id: 'A1', title: '空氣品質, "AQI"\n第二行', providerAttribute: '原始資料', category: '生活安全及品質', quality: '金標章',
        formats: ['CSV', 'JSON'], urls: ['https://a.example.gov.tw/aqi.csv', 'https://a.example.gov.tw/get.do;jsessionid=X1?id=2'],
        encodings: ['UTF-8', 'UTF-8'], uploadMethod: '介接', description: '=SUM(1,2) 原樣', fields: '測站、AQI', agency: '環境部',
        frequency: '每1時', license: '政府資料開放授權條款-第1版', relatedUrl: 'https://a.example.gov.tw/', charge: '免費',
        contactName: '王小明', contactPhone: '02-12345678', publishedAt: '2015-12-29 00:00:00.000000',
        metadataUpdatedAt: '2026-03-10 14:05:00.000000', amount: ['10', '20'],
      },
      { id: 'B2', title: '只有網址', urls: 'https://b.example.gov.tw/x.csv' },
    ]));
    expect(await collect(file)).toEqual([
      {
        id: 'A1', title: '空氣品質, "AQI"\n第二行', agency: '環境部', source: 'data.gov.tw', timeZone: 'Asia/Taipei',
        declared: {
          frequency: '每1時', fields: '測站、AQI', formats: ['CSV', 'JSON'], encoding: 'UTF-8', license: '政府資料開放授權條款-第1版',
          description: '=SUM(1,2) 原樣', providerAttribute: '原始資料', category: '生活安全及品質', uploadMethod: '介接',
        },
        officialBadge: 'gold', officialBadgeRaw: '金標章', whitelisted: false, findings: [],
        resources: [
          { id: 'A1#0', url: 'https://a.example.gov.tw/aqi.csv', declared: { format: 'CSV', encoding: 'UTF-8', fields: '測站、AQI' } },
          { id: 'A1#1', url: 'https://a.example.gov.tw/get.do;jsessionid=X1?id=2', declared: { format: 'JSON', encoding: 'UTF-8', fields: '測站、AQI' } },
        ],
        publishedAt: '2015-12-29T00:00:00+08:00', metadataUpdatedAt: '2026-03-10T14:05:00+08:00',
      },
      {
        id: 'B2', title: '只有網址', agency: '', source: 'data.gov.tw', timeZone: 'Asia/Taipei', declared: {},
        officialBadge: null, whitelisted: false, findings: [],
        resources: [{ id: 'B2#0', url: 'https://b.example.gov.tw/x.csv', declared: {} }],
      },
    ]);
  });
});
