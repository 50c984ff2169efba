// Issue 2 acceptance: loopback fixture servers, each case with its expected verdicts and badge.
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import type { AuditResult } from '../../src/model.ts';
import type { DatasetResult } from '../../src/model.ts';
import { validateResults } from '../../src/report/results-json.ts';
import { startFixturePortal, taiwanTimeDaysAgo, type FixtureDataset, type Handler } from '../helpers/portal-fixture.ts';

const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
const csv = (body: string | Buffer, type = 'text/csv; charset=utf-8', extra: Record<string, string> = {}): Handler => (_q, res) => {
  res.writeHead(200, { 'content-type': type, ...extra });
  res.end(body);
};
const redirect = (to: string, status = 302): Handler => (_q, res) => res.writeHead(status, { location: to }).end();

let flaky = 0;
const routes: Record<string, Handler> = {
  '/missing.csv': (_q, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>'),
  '/landing': csv('<!DOCTYPE html><html><head><title>勞動部 資料下載</title></head><body><a href="/x.csv"><img src="csv.png"></a></body></html>', 'text/html; charset=utf-8'),
  '/protected.csv': redirect('/login?next=/protected.csv'),
  '/login': csv('<!DOCTYPE html><html><head><title>登入</title></head><body><form action="/login" method="post"><input name="user"><input type="password" name="pw"><button>登入</button></form></body></html>', 'text/html; charset=utf-8'),
  '/hop1': redirect('/hop2', 301),
  '/hop2': redirect('/hop3', 302),
  '/hop3': redirect('/good.csv', 307),
  '/good.csv': csv(CSV),
  '/flaky.csv': (_q, res) => {
    if (flaky++ === 0) res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('busy');
    else csv(CSV)(_q, res);
  },
  '/as-html.csv': csv(CSV, 'text/html; charset=utf-8'),
  '/gzip.csv': csv(gzipSync(Buffer.from(CSV)), 'text/csv', { 'content-encoding': 'gzip' }),
  '/big5.csv': csv(iconv.encode('村名,人口\r\n大安里,1200\r\n萬華里,980\r\n', 'big5'), 'text/csv'),
  '/bom.csv': csv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)])),
  '/blank-row.csv': csv('村名,人口\r\n大安里,1200\r\n,\r\n中正里,980\r\n'),
  '/total-row.csv': csv('村名,人口\r\n大安里,1200\r\n中正里,980\r\n合計,2180\r\n'),
  '/title-line.csv': csv('臺北市各里人口統計表\r\n村名,人口\r\n大安里,1200\r\n中正里,980\r\n'),
  '/ragged.csv': csv('村名,人口\r\n大安里,1200,多\r\n中正里\r\n'),
  '/bad.json': csv('{"records":[{"村名":"大安里","人口":1200},', 'application/json'),
  '/bad.xml': csv('<?xml version="1.0" encoding="UTF-8"?><Data><Row><村名>大安里</村名><人口>1200</Row></Data>', 'application/xml'),
  '/alias.csv': csv('name,population\r\n大安里,1200\r\n'),
  '/monthly.csv': csv(CSV),
  '/irregular.csv': csv(CSV),
  '/multi-ok.csv': csv(CSV),
  '/api.json': csv(JSON.stringify([{ 村名: '大安里', 人口: 1200 }]), 'application/json'),
  '/api-bad.json': csv(JSON.stringify([{ 村名: '大安里', 人口: 1200 }]), 'application/json'),
  '/oas-good.json': csv(JSON.stringify({
    openapi: '3.0.3', info: { title: '村里人口 API', version: '1.0' },
    paths: { '/villages': { get: { responses: { '200': { description: '村里人口' } } } } },
  }), 'application/json'),
  '/oas-bad.json': csv(JSON.stringify({ openapi: '3.0.3', info: { title: 'broken' }, paths: { '/x': { get: { responses: { '200': {} } } } } }), 'application/json'),
};

const F = '村名、人口';
const datasets: FixtureDataset[] = [
  { id: 'd404', title: '失效連結', fields: F, resources: [{ path: '/missing.csv', format: 'CSV' }] },
  { id: 'landing', title: '下載頁', fields: F, resources: [{ path: '/landing', format: 'CSV' }] },
  { id: 'login', title: '需登入', fields: F, resources: [{ path: '/protected.csv', format: 'CSV' }] },
  { id: 'chain', title: '轉址鏈', fields: F, resources: [{ path: '/hop1', format: 'CSV' }] },
  { id: 'flaky', title: '暫時忙碌', fields: F, resources: [{ path: '/flaky.csv', format: 'CSV' }] },
  { id: 'as-html', title: 'text/html 的 CSV', fields: F, resources: [{ path: '/as-html.csv', format: 'CSV' }] },
  { id: 'gzip', title: 'gzip CSV', fields: F, resources: [{ path: '/gzip.csv', format: 'CSV' }] },
  { id: 'big5-ok', title: 'Big5 宣告 BIG5', fields: F, resources: [{ path: '/big5.csv', format: 'CSV', encoding: 'BIG5' }] },
  { id: 'big5-bad', title: 'Big5 宣告 UTF-8', fields: F, resources: [{ path: '/big5.csv', format: 'CSV', encoding: 'UTF-8' }] },
  { id: 'bom', title: 'UTF-8 BOM', fields: F, resources: [{ path: '/bom.csv', format: 'CSV' }] },
  { id: 'blank-row', title: '空白列', fields: F, resources: [{ path: '/blank-row.csv', format: 'CSV' }] },
  { id: 'total-row', title: '合計列', fields: F, resources: [{ path: '/total-row.csv', format: 'CSV' }] },
  { id: 'title-line', title: '標題列', fields: F, resources: [{ path: '/title-line.csv', format: 'CSV' }] },
  { id: 'ragged', title: '欄位數不一', fields: F, resources: [{ path: '/ragged.csv', format: 'CSV' }] },
  { id: 'bad-json', title: '壞 JSON', fields: F, resources: [{ path: '/bad.json', format: 'JSON' }] },
  { id: 'bad-xml', title: '壞 XML', fields: F, resources: [{ path: '/bad.xml', format: 'XML' }] },
  { id: 'alias', title: '欄位別名', fields: '村名(name)、人口(population)', resources: [{ path: '/alias.csv', format: 'CSV' }] },
  { id: 'missing-field', title: '缺欄位', fields: '村名、人口、面積', resources: [{ path: '/good.csv', format: 'CSV' }] },
  { id: 'monthly-late', title: '每月但 200 天未更新', fields: F, frequency: '每1月', metadataUpdated: taiwanTimeDaysAgo(200), resources: [{ path: '/monthly.csv', format: 'CSV' }] },
  { id: 'irregular-old', title: '不定期 3 年前', fields: F, frequency: '不定期', metadataUpdated: taiwanTimeDaysAgo(3 * 365), resources: [{ path: '/irregular.csv', format: 'CSV' }] },
  { id: 'multi', title: '多資源一壞', fields: F, resources: [{ path: '/multi-ok.csv', format: 'CSV' }, { path: '/missing.csv', format: 'CSV' }] },
  { id: 'oas-good', title: 'API 有效 OAS', fields: F, resources: [{ path: '/api.json', format: 'JSON', oasPath: '/oas-good.json' }] },
  { id: 'oas-bad', title: 'API 無效 OAS', fields: F, resources: [{ path: '/api-bad.json', format: 'JSON', oasPath: '/oas-bad.json' }] },
];

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let results: AuditResult;
const byId = (id: string): DatasetResult => {
  const d = results.datasets.find((x) => x.id === id);
  if (!d) throw new Error(`no dataset ${id}`);
  return d;
};
const v = (id: string, indicator: string) => byId(id).indicators[indicator]?.verdict;
const ev = (id: string, indicator: string) => byId(id).indicators[indicator]?.evidence ?? '';

beforeAll(async () => {
  portal = await startFixturePortal(datasets, routes);
  results = await runAudit({
    catalog: portal.exportUrl,
    enrichApiBase: portal.base,
    fetch: { allowPrivateNetwork: true, retries: 2, retryBaseMs: 50, maxRetryAfterMs: 2_000, headersTimeoutMs: 5_000 },
  });
});
afterAll(() => portal?.close());

describe('audit of a loopback data.gov.tw look-alike', () => {
  it('writes schema-valid results for every dataset, in catalogue order', () => {
    expect(validateResults(results)).toEqual([]);
    expect(results.datasets.map((d) => d.id)).toEqual(datasets.map((d) => d.id));
    expect(results.catalog.complete).toBe(true);
  });

  it('404: link fails, the rest is not evaluated, no badge', () => {
    expect(v('d404', 'link-valid')).toBe('fail');
    expect(ev('d404', 'link-valid')).toContain('404');
    expect(v('d404', 'direct-download')).toBe('not-evaluated');
    expect(v('d404', 'structured')).toBe('not-evaluated');
    expect(byId('d404').badge).toBe('none');
  });

  it('a 200 HTML landing page for a declared CSV is linkable but not downloadable', () => {
    expect(v('landing', 'link-valid')).toBe('pass');
    expect(v('landing', 'direct-download')).toBe('fail');
    expect(ev('landing', 'direct-download')).toMatch(/HTML/);
    expect(byId('landing').badge).toBe('none');
  });

  it('a redirect to a login page is not a direct download', () => {
    expect(v('login', 'link-valid')).toBe('pass');
    expect(v('login', 'direct-download')).toBe('fail');
    expect(ev('login', 'direct-download')).toMatch(/login/i);
  });

  it('a redirect chain to a good CSV is gold, hops recorded', () => {
    expect(byId('chain').badge).toBe('gold');
    expect(byId('chain').resources[0].fetch.redirects).toBe(3);
    expect(byId('chain').resources[0].fetch.finalUrl).toMatch(/\/good\.csv$/);
  });

  it('503 + Retry-After, then success: gold after 2 attempts', () => {
    expect(byId('flaky').badge).toBe('gold');
    expect(byId('flaky').resources[0].fetch.attempts).toBe(2);
  });

  it('a CSV served as text/html and a gzip-encoded CSV are gold', () => {
    expect(byId('as-html').badge).toBe('gold');
    expect(byId('gzip').badge).toBe('gold');
  });

  it('Big5 declared BIG5 passes; Big5 declared UTF-8 fails with the detected encoding', () => {
    expect(v('big5-ok', 'encoding-match')).toBe('pass');
    expect(byId('big5-ok').badge).toBe('gold');
    expect(v('big5-bad', 'encoding-match')).toBe('fail');
    expect(ev('big5-bad', 'encoding-match')).toMatch(/big5|cp950/i);
    expect(byId('big5-bad').badge).toBe('silver');
  });

  it('UTF-8 with BOM declared UTF-8 is not a mismatch', () => {
    expect(v('bom', 'encoding-match')).toBe('pass');
    expect(byId('bom').badge).toBe('gold');
  });

  it.each([
    ['blank-row', /blank-row at row 3/],
    ['total-row', /subtotal-row at row 4/],
    ['title-line', /title-row at row 1/],
    ['ragged', /(extra-cell|missing-cell) at row 2/],
  ])('%s: a structure failure naming the row, bronze', (id, re) => {
    expect(v(id, 'structured')).toBe('fail');
    expect(ev(id, 'structured')).toMatch(re);
    expect(byId(id).badge).toBe('bronze');
    expect(v(id, 'encoding-match')).toBe('not-evaluated');
  });

  it('malformed JSON and XML are not structured', () => {
    for (const id of ['bad-json', 'bad-xml']) {
      expect(v(id, 'direct-download')).toBe('pass');
      expect(v(id, 'structured')).toBe('fail');
      expect(byId(id).badge).toBe('bronze');
    }
  });

  it('declared fields with aliases match the English header', () => {
    expect(v('alias', 'fields-match')).toBe('pass');
    expect(byId('alias').badge).toBe('gold');
  });

  it('a declared field missing from the file fails, naming it', () => {
    expect(v('missing-field', 'fields-match')).toBe('fail');
    expect(ev('missing-field', 'fields-match')).toContain('面積');
    expect(byId('missing-field').indicators['fields-match'].detail?.missing).toEqual(['面積']);
    expect(byId('missing-field').badge).toBe('silver');
  });

  it('每1月 data 200 days old is late; 不定期 data 3 years old is not', () => {
    expect(v('monthly-late', 'timely')).toBe('fail');
    expect(ev('monthly-late', 'timely')).toMatch(/metadata update time/);
    expect(byId('monthly-late').badge).toBe('silver');
    expect(v('irregular-old', 'timely')).toBe('pass');
    expect(byId('irregular-old').badge).toBe('gold');
  });

  it('a multi-resource dataset where one resource fails gets the worst badge', () => {
    const d = byId('multi');
    expect(d.resources.map((r) => r.indicators['link-valid'].verdict)).toEqual(['pass', 'fail']);
    expect(d.badge).toBe('none');
    expect(ev('multi', 'link-valid')).toMatch(/1 of 2 resources pass/);
  });

  it('a valid OpenAPI document earns the bonus; an invalid one does not, with a reason', () => {
    expect(v('oas-good', 'oas-valid')).toBe('pass');
    expect(byId('oas-good').bonus).toBe(true);
    expect(v('oas-bad', 'oas-valid')).toBe('fail');
    expect(byId('oas-bad').bonus).toBe(false);
    expect(ev('oas-bad', 'oas-valid')).toMatch(/invalid/);
  });

  it('fetches each distinct URL once, even when two datasets share it', () => {
    expect(portal.hits.get('/big5.csv')).toBe(1);
    expect(portal.hits.get('/missing.csv')).toBe(1);
  });

  it('scores the agency from the badges and the bonus', () => {
    const a = results.agencies.find((x) => x.agency === '測試機關')!;
    const n = results.datasets.length;
    const gold = results.datasets.filter((d) => d.badge === 'gold').length;
    const silver = results.datasets.filter((d) => d.badge === 'silver').length;
    const bronze = results.datasets.filter((d) => d.badge === 'bronze').length;
    expect(a.datasets).toBe(n);
    expect(a.bonus).toBeCloseTo(0.1);
    expect(a.score).toBeCloseTo(((gold + 0.6 * silver + 0.3 * bronze) / n) * 100 + 0.1, 3); // scores keep four decimals
  });
});
