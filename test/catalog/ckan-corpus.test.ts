// The CKAN adapter on real CKAN records: DATA.GOV.HK package_show (2019) and dados.gov.br action-API responses,
// the latter served from a loopback emulator exactly as recorded, so the adapter's paging and errors run for real.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ckanPackageShow, datasetFromCkanPackage, readCkan, unwrapCkanResponse, type CkanPackage } from '../../src/catalog/ckan.ts';
import type { Dataset } from '../../src/model.ts';
import { loopbackCatalogHttp } from '../fetch/helpers.ts';

/** The catalogue reads through the audit's guarded fetcher (loopback allowed for these servers). */
const client = loopbackCatalogHttp();
afterAll(() => client.close());

const CORPORA = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/corpora');
const json = (p: string) => JSON.parse(readFileSync(resolve(CORPORA, p), 'utf8'));

describe('DATA.GOV.HK package_show records (2019)', () => {
  const manifest = json('ckan-datagovhk/MANIFEST.json');
  const records = json('ckan-datagovhk/package_show-2019.json') as Record<string, { success: boolean; result: CkanPackage }>;
  const datasets = Object.entries(records).map(([, env]) =>
    datasetFromCkanPackage(unwrapCkanResponse('package_show', 200, JSON.stringify(env)) as CkanPackage, { base: 'https://data.gov.hk/tc-data' }));
  const resources = datasets.flatMap((d) => d.resources);

  it('normalises every package with the manifest counts', () => {
    const e = manifest.expected;
    expect(datasets).toHaveLength(e.packages);
    expect(resources).toHaveLength(e.resources);
    const formats: Record<string, number> = {};
    for (const r of resources) formats[r.declared.format!] = (formats[r.declared.format!] ?? 0) + 1;
    expect(formats).toEqual(e.formats);
    expect(datasets.filter((d) => d.declared.frequency).length).toBe(e.packagesWithUpdateFrequency);
    expect(resources.filter((r) => r.declared.isApi).length).toBe(e.apiResources);
  });

  it('names the organisation as agency, keeps names as ids, and takes the release date from datePublished', () => {
    const d = datasets.find((x) => x.id === 'hk-aud-tab-accounts-certified')!;
    expect(d.agency).toBeTruthy();
    expect(d.source).toBe('ckan');
    expect(d.publishedAt).toBe('2019-11-28T00:00:00.000Z');
    expect(d.metadataUpdatedAt).toMatch(/Z$/);
  });

  it('flags a frequency outside the vocabulary instead of failing', () => {
    const odd = datasets.filter((d) => d.findings.some((f) => f.code === 'catalog-frequency-unknown'));
    expect(odd.length).toBeLessThanOrEqual(1); // the one multi-sentence ETA text
    for (const d of odd) expect(d.declared.frequency).toMatch(/每分鐘/);
  });
});

describe('dados.gov.br action API responses on a loopback emulator', () => {
  const manifest = json('ckan-dadosgovbr/MANIFEST.json');
  const files = manifest.files as Record<string, { request: string; httpStatus: number; names?: string[]; count?: number; returned?: number; resources: number }>;
  let server: Server;
  let base = '';
  const seen: URL[] = [];

  /** Answers with the recorded file whose request has the same action and query parameters that matter. */
  function route(u: URL): string | undefined {
    const action = u.pathname.split('/').pop();
    const q = u.searchParams.get('q') ?? '';
    const fq = u.searchParams.get('fq') ?? '';
    if (action === 'package_show') return u.searchParams.get('id') === 'bolsa-familia-pagamentos' ? 'package_show-bolsa-familia-pagamentos.json' : 'package_show-no-dataset.json';
    if (action === 'group_package_show') return u.searchParams.get('id') === 'agricultura-extrativismo-e-pesca' ? 'group_package_show-agricultura.json' : 'group_package_show-unknown.json';
    if (action !== 'package_search') return undefined;
    if (fq.includes('agencia-espacial-brasileira-aeb')) return 'package_search-org-aeb.json';
    if (fq.includes('organization:')) return 'package_search-org-unknown.json';
    if (q.startsWith('name:bolsa')) return 'package_search-name-bolsa.json';
    if (q.startsWith('title:Contratos')) return u.searchParams.get('start') === '3' ? 'package_search-title-or-start3.json' : 'package_search-title-or.json';
    return u.searchParams.get('rows') === '2' ? 'package_search-all-rows2.json' : 'package_search-all.json';
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      seen.push(u);
      const f = route(u);
      if (!f) return void res.writeHead(400).end();
      res.writeHead(files[f].httpStatus, { 'content-type': 'application/json' }).end(readFileSync(resolve(CORPORA, 'ckan-dadosgovbr', f)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `ckan:http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const collect = async (src: string) => {
    const out: Dataset[] = [];
    for await (const d of readCkan(src, { http: client.http })) out.push(d);
    return out;
  };

  it.each([
    ['package_search-all.json', '?limit=10'],
    ['package_search-all-rows2.json', '?rows=2&limit=2'],
    ['package_search-name-bolsa.json', '?q=name:bolsa*&limit=10'],
    ['package_search-title-or.json', '?q=title:Contratos || title:Federal&limit=10'],
    ['package_search-title-or-start3.json', '?q=title:Contratos || title:Federal&start=3&limit=10'],
    ['package_search-org-aeb.json', '?organization=agencia-espacial-brasileira-aeb'],
    ['group_package_show-agricultura.json', '?group=agricultura-extrativismo-e-pesca'],
  ])('%s: the recorded names in order, with their resources', async (file, query) => {
    const ds = await collect(`${base}${query.replace(/ /g, '%20').replace(/\|/g, '%7C')}`);
    expect(ds.map((d) => d.id)).toEqual(files[file].names);
    expect(ds.reduce((n, d) => n + d.resources.length, 0)).toBe(files[file].resources);
  });

  it('an unknown organisation is an empty catalogue, not an error', async () => {
    expect(await collect(`${base}?organization=agricultura-extrativismo-e-pescaa`)).toEqual([]);
  });

  it('package_show normalises the 59-resource package', async () => {
    const f = files['package_show-bolsa-familia-pagamentos.json'] as unknown as { resources: number; formats: Record<string, number>; metadata_modified: string };
    const d = await ckanPackageShow(base, 'bolsa-familia-pagamentos', { http: client.http });
    expect(d.resources).toHaveLength(f.resources);
    expect(d.declared.formats?.sort()).toEqual(Object.keys(f.formats).sort());
    expect(d.metadataUpdatedAt).toBe(new Date(`${f.metadata_modified}Z`).toISOString());
  });

  it('404 bodies with success:false are errors carrying the portal message', async () => {
    await expect(ckanPackageShow(base, 'no-dataset', { http: client.http })).rejects.toThrow(/package_show failed \(HTTP 404, Not Found Error\): Não encontrado/);
    await expect(collect(`${base}?group=agricultura-extrativismo-e-pescaa`)).rejects.toThrow(/group_package_show failed \(HTTP 404/);
  });
});
