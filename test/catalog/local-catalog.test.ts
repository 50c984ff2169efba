// The local catalogue file (JSON or CSV, schemas/local-catalog.schema.json) an agency checks in CI.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapterFor, readCatalog } from '../../src/catalog/index.ts';
import { LocalCatalogError, loadLocalCatalog } from '../../src/catalog/local.ts';
import type { Dataset } from '../../src/model.ts';

const FIX = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/local');
const all = async (src: string) => {
  const out: Dataset[] = [];
  for await (const d of readCatalog(src)) out.push(d);
  return out;
};

describe('local catalogue', () => {
  it('is chosen for .json, local: and our CSV header; a data.gov.tw export CSV is not', () => {
    expect(adapterFor(`${FIX}/catalog.json`).kind).toBe('local');
    expect(adapterFor(`${FIX}/catalog.csv`).kind).toBe('local');
    expect(adapterFor(`local:${FIX}/anything.txt`).kind).toBe('local');
    expect(adapterFor(resolve(FIX, '../catalog/none.csv')).kind).toBe('data.gov.tw');
  });

  it('JSON: declared metadata and resources become datasets', async () => {
    const [a, b] = await all(`${FIX}/catalog.json`);
    expect(a).toMatchObject({ id: 'emp-centres', agency: '勞工處', source: 'local', declared: { frequency: '當有新記錄時', encoding: 'UTF-8', formats: ['CSV', 'GeoJSON'] } });
    expect(a.metadataUpdatedAt).toBe('2024-05-01T01:00:00.000Z'); // no zone = UTC+8
    expect(a.publishedAt).toBe('2022-12-19T16:00:00.000Z');
    expect(a.resources[1].declared).toMatchObject({ isApi: true, oasUrl: 'https://example.org/oas.json', encoding: 'UTF-8', fields: '中心名稱、地址、開放時間' });
    expect(b).toMatchObject({ id: 'local-2', agency: '勞工處職業健康科' });
    expect(b.resources[0].declared.updatedAt).toBe('2024-04-01T00:00:00.000Z');
    expect(b.findings.map((f) => f.code)).toEqual(['catalog-frequency-unknown']);
  });

  it('CSV: one row per dataset, urls and formats split on ;', async () => {
    const [a, b] = await all(`${FIX}/catalog.csv`);
    expect(a.resources.map((r) => [r.url, r.declared.format])).toEqual([['https://example.org/a.csv', 'CSV'], ['https://example.org/a.json', 'JSON']]);
    expect(a.resources[0].declared.oasUrl).toBe('https://example.org/a-oas.json');
    expect(b).toMatchObject({ id: 'a2', declared: { frequency: '不定期', encoding: 'BIG5' } });
  });

  it('lists every schema violation with its JSON pointer', async () => {
    const err = await loadLocalCatalog(`${FIX}/invalid.json`).catch((e) => e);
    expect(err).toBeInstanceOf(LocalCatalogError);
    const byPointer = Object.fromEntries((err as LocalCatalogError).problems.map((p) => [p.pointer, p.message]));
    expect(byPointer['/datasets/1/title']).toMatch(/fewer than 1/);
    expect(byPointer['/datasets/1/resources']).toMatch(/fewer than 1/);
    expect(byPointer['/datasets/2/metadataUpdatedAt']).toMatch(/ISO 8601/);
    expect(byPointer['/datasets/2/resources/0/url']).toMatch(/http\(s\) URL/);
    expect(byPointer['/datasets/2/resources/0']).toMatch(/unknown property "colour"/);
    expect(err.message).toMatch(/\/datasets\/2\/resources\/0\/url/);
  });

  it('CSV violations name the CSV line', async () => {
    const err = (await loadLocalCatalog(`${FIX}/invalid.csv`).catch((e) => e)) as LocalCatalogError;
    expect(err.problems.some((p) => p.pointer === '/datasets/0' && /unknown property "colour".*CSV line 2/.test(p.message))).toBe(true);
    expect(err.problems.some((p) => p.pointer === '/datasets/1/resources' && /CSV line 3/.test(p.message))).toBe(true);
  });

  it('unreadable files are clear errors', async () => {
    await expect(loadLocalCatalog(`${FIX}/missing.json`)).rejects.toThrow(/cannot read/);
    await expect(loadLocalCatalog(`${FIX}/broken.json`)).rejects.toThrow(/broken.json: not valid JSON/);
  });
});
