// A loopback CKAN 2.9 emulator in DATA.GOV.HK's shape: /en-data and /tc-data action APIs with paging, a package
// without update_frequency, one whose frequency sits in extras, an is_api resource, a portal-migration
// metadata_created, the historical archive, broken answers; then an end-to-end runAudit over it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFileVersions, parseCaptureTime } from '../../src/catalog/ckan-archive.ts';
import { ckanLanguageVariants, isCkanSource, parseCkanSource, readCkan } from '../../src/catalog/ckan.ts';
import { adapterFor } from '../../src/catalog/index.ts';
import { runAudit } from '../../src/audit.ts';
import type { Dataset } from '../../src/model.ts';
import { loopbackCatalogHttp } from '../fetch/helpers.ts';

/** The catalogue reads through the audit's guarded fetcher (loopback allowed for these servers). */
const client = loopbackCatalogHttp();
afterAll(() => client.close());

const CSV = 'district,count\r\nCentral,12\r\nWan Chai,7\r\n';
let origin = '';
let server: Server;
const searches: URL[] = [];

function pkg(i: number, lang: 'en' | 'tc') {
  const name = `hk-test-dataset-${String(i).padStart(2, '0')}`;
  const org = i % 2 ? { name: 'hk-lab', title: lang === 'en' ? 'Labour Department' : '勞工處' } : { name: 'hk-swd', title: lang === 'en' ? 'Social Welfare Department' : '社會福利署' };
  const p: Record<string, unknown> = {
    name,
    id: `uuid-${i}`,
    title: lang === 'en' ? `Test dataset ${i}` : `測試數據集 ${i}`,
    organization: org,
    metadata_created: i === 3 ? '2021-07-02T10:00:00.000000' : '2020-01-15T02:00:00.000000',
    metadata_modified: new Date(Date.now() - 5 * 86_400_000).toISOString().replace('Z', ''),
    groups: [{ title: lang === 'en' ? 'Employment' : '就業' }],
    resources: [{ id: `r-${i}`, url: `${origin}/files/${i}.csv`, format: 'CSV', is_api: 'N', datePublished: i === 3 ? undefined : '2020-02-01', last_modified: null }],
  };
  if (i === 1) delete p.update_frequency; // missing everywhere
  else if (i === 2) p.extras = [{ key: 'update_frequency', value: lang === 'en' ? 'Monthly' : '每月' }];
  else p.update_frequency = lang === 'en' ? 'Daily' : '每日';
  if (i === 4) (p.resources as unknown[]).push({ id: 'r-4-api', url: `${origin}/api/4`, format: 'JSON', is_api: 'Y' });
  return p;
}
const TOTAL = 7;

beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    const m = /^\/(en|tc)-data\/api\/3\/action\/(\w+)$/.exec(u.pathname);
    if (m) {
      const lang = m[1] as 'en' | 'tc';
      if (m[2] === 'package_search') {
        searches.push(u);
        const rows = Number(u.searchParams.get('rows') ?? 10);
        const start = Number(u.searchParams.get('start') ?? 0);
        let all = Array.from({ length: TOTAL }, (_, k) => pkg(k + 1, lang));
        const fq = u.searchParams.get('fq') ?? '';
        const org = /organization:\(([^)]*)\)/.exec(fq)?.[1].split(' OR ');
        if (org) all = all.filter((p) => org.includes((p.organization as { name: string }).name));
        return send(200, { success: true, result: { count: all.length, results: all.slice(start, start + rows) } });
      }
      if (m[2] === 'organization_list') {
        return send(200, { success: true, result: [{ name: 'hk-lab', title: lang === 'en' ? 'Labour Department' : '勞工處' }, { name: 'hk-swd', title: lang === 'en' ? 'Social Welfare Department' : '社會福利署' }] });
      }
      return send(404, { success: false, error: { __type: 'Not Found Error', message: 'Not found' } });
    }
    if (u.pathname === '/broken-data/api/3/action/package_search') return send(200, '{"success": true, "result": {"count": 3, "resu');
    if (u.pathname === '/html-data/api/3/action/package_search') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    if (u.pathname === '/v1/historical-archive/list-file-versions') {
      if (!u.searchParams.get('start') || !u.searchParams.get('end')) return send(400, { error: 'start and end required' });
      return send(200, { timestamps: ['20240101-0900', '20240301-0930', 'garbage'], 'version-count': 3 });
    }
    if (u.pathname.startsWith('/files/')) return res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
    if (u.pathname.startsWith('/api/')) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ district: 'Central', count: 12 }]));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const collect = async (src: string, agency?: string) => {
  const out: Dataset[] = [];
  for await (const d of readCkan(src, { agency, http: client.http })) out.push(d);
  return out;
};

describe('CKAN source syntax', () => {
  it('recognises ckan:, action-API URLs and DATA.GOV.HK bases; the data.gov.tw export stays with its adapter', () => {
    expect(adapterFor('ckan:https://demo.ckan.org').kind).toBe('ckan');
    expect(adapterFor('https://demo.ckan.org/api/3/action/package_search').kind).toBe('ckan');
    expect(adapterFor('https://data.gov.hk/sc-data').kind).toBe('ckan');
    expect(adapterFor('https://data.gov.tw/api/front/dataset/export?format=csv').kind).toBe('data.gov.tw');
    expect(isCkanSource('./export.csv')).toBe(false);
    const s = parseCkanSource('https://data.gov.hk/tc-data/api/3/action/package_search?organization=hk-lab&rows=50');
    expect(s).toMatchObject({ base: 'https://data.gov.hk/tc-data', apiBase: 'https://data.gov.hk/tc-data/api/3/action', language: 'zh-HK', organization: 'hk-lab', rows: 50 });
    expect(ckanLanguageVariants('https://data.gov.hk/tc-data').en).toBe('https://data.gov.hk/en-data');
    expect(() => parseCkanSource('ckan:https://x.org?rows=abc')).toThrow(/rows=abc/);
  });
});

describe('the CKAN adapter against the emulator', () => {
  it('pages with rows/start through every package (3 pages of 3)', async () => {
    searches.length = 0;
    const ds = await collect(`ckan:${origin}/tc-data?rows=3`);
    expect(ds.map((d) => d.id)).toEqual(Array.from({ length: TOTAL }, (_, k) => `hk-test-dataset-${String(k + 1).padStart(2, '0')}`));
    expect(searches.map((u) => u.searchParams.get('start'))).toEqual(['0', '3', '6']);
    expect(searches.every((u) => u.searchParams.get('rows') === '3')).toBe(true);
  });

  it('both language variants give the same datasets in their own language', async () => {
    const [en, tc] = await Promise.all([collect(`ckan:${origin}/en-data?rows=4`), collect(`ckan:${origin}/tc-data?rows=4`)]);
    expect(en.map((d) => d.id)).toEqual(tc.map((d) => d.id));
    expect(en[0]).toMatchObject({ title: 'Test dataset 1', agency: 'Labour Department' });
    expect(tc[0]).toMatchObject({ title: '測試數據集 1', agency: '勞工處' });
    expect(en[1].declared.frequency).toBe('Monthly');
    expect(tc[1].declared.frequency).toBe('每月'); // from extras
  });

  it('a missing update_frequency is a finding; is_api is carried; resource datePublished is the release date', async () => {
    const ds = await collect(`ckan:${origin}/tc-data`);
    expect(ds[0].declared.frequency).toBeUndefined();
    expect(ds[0].findings.map((f) => f.code)).toContain('catalog-frequency-missing');
    const api = ds[3].resources.find((r) => r.declared.isApi);
    expect(api).toMatchObject({ id: 'r-4-api', declared: { isApi: true, format: 'JSON' } });
    expect(ds[0].resources[0].declared.isApi).toBe(false);
    expect(ds[0].publishedAt).toBe('2020-02-01T00:00:00.000Z');
  });

  it('metadata_created 2021-07-02 on DATA.GOV.HK is a migration date, not a release date (only there)', async () => {
    const { datasetFromCkanPackage } = await import('../../src/catalog/ckan-package.ts');
    const p = { ...pkg(3, 'tc'), resources: [] };
    const hk = datasetFromCkanPackage(p, { base: 'https://data.gov.hk/tc-data' });
    expect(hk.publishedAt).toBeUndefined();
    expect(hk.findings.find((f) => f.code === 'catalog-release-date-unknown')?.message).toMatch(/2021-07-02 is the portal's migration date/);
    const other = datasetFromCkanPackage(p, { base: 'https://demo.ckan.org' });
    expect(other.publishedAt).toBe('2021-07-02T10:00:00.000Z');
  });

  it('--agency maps an organisation title to the CKAN organization filter', async () => {
    searches.length = 0;
    const ds = await collect(`ckan:${origin}/en-data`, 'Labour Department');
    expect(ds.map((d) => d.agency)).toEqual(Array(4).fill('Labour Department'));
    expect(searches[0].searchParams.get('fq')).toBe('organization:(hk-lab)');
    expect((await collect(`ckan:${origin}/en-data?organization=hk-swd`)).length).toBe(3);
  });

  it('broken answers become clear errors, not crashes', async () => {
    await expect(collect(`ckan:${origin}/broken-data`)).rejects.toThrow(/package_search: the answer is not JSON/);
    await expect(collect(`ckan:${origin}/html-data`)).rejects.toThrow(/not JSON \(HTTP 200\).*maintenance/);
    await expect(collect(`ckan:${origin}/en-data?group=x`)).rejects.toThrow(/HTTP 404, Not Found Error/);
    await expect(collect('ckan:http://127.0.0.1:1')).rejects.toThrow(/cannot reach/);
  });
});

describe('historical-archive capture times', () => {
  it('lists capture times (HK time) as archive-capture evidence, skipping unreadable ones', async () => {
    const ev = await listFileVersions(`${origin}/files/1.csv`, { apiBase: origin, start: new Date('2024-01-01'), end: new Date('2024-12-31'), http: client.http });
    expect(ev).toMatchObject({ kind: 'archive-capture', captures: ['2024-01-01T01:00:00.000Z', '2024-03-01T01:30:00.000Z'] });
    expect(ev.error).toMatch(/1 timestamps could not be read/);
    expect(parseCaptureTime('20190315-0900')).toBe('2019-03-15T01:00:00.000Z');
  });

  it('the adapter applies them as resource update evidence, labelled as capture times', async () => {
    const ds = await collect(`ckan:${origin}/tc-data?archive=${encodeURIComponent(origin)}&limit=1`);
    expect(ds[0].resources[0].archiveCaptures?.at(-1)).toBe('2024-03-01T01:30:00.000Z');
    expect(ds[0].findings.find((f) => f.code === 'archive-capture-evidence')?.message).toMatch(/a capture time, not a declared update time/);
  });

  it('an archive failure is reported, never thrown', async () => {
    const ev = await listFileVersions('x', { apiBase: 'http://127.0.0.1:1', start: new Date(), end: new Date(), http: client.http });
    expect(ev.captures).toEqual([]);
    expect(ev.error).toMatch(/cannot reach/);
  });
});

describe('runAudit over the emulator', () => {
  it('audits CKAN datasets end to end and badges come out', async () => {
    const res = await runAudit({ catalog: `ckan:${origin}/en-data?rows=3`, fetch: { allowPrivateNetwork: true } });
    expect(res.catalog).toMatchObject({ datasets: TOTAL, complete: true });
    const byId = Object.fromEntries(res.datasets.map((d) => [d.id, d]));
    // CSV resources answer and are structured; the missing frequency fails timeliness, so no gold there
    expect(byId['hk-test-dataset-01'].indicators.timely.verdict).toBe('fail');
    expect(['silver', 'gold']).toContain(byId['hk-test-dataset-02'].badge);
    for (const d of res.datasets) expect(d.badge).not.toBe('none');
    expect(res.agencies.map((a) => a.agency).sort()).toEqual(['Labour Department', 'Social Welfare Department']);
  });
});
