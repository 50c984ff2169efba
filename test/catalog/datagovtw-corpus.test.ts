// The real 2017–18 data.gov.tw metadata in fixtures/corpora/datagovtw-catalogue must normalise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetFromLegacyJson, officialQcFromDqEvent, parseTaiwanTime } from '../../src/catalog/datagovtw.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../fixtures/corpora/datagovtw-catalogue');
const manifest = JSON.parse(readFileSync(path.join(CORPUS, 'MANIFEST.json'), 'utf8')) as {
  files: Record<string, { kind: string; node?: string; title?: string; counts?: Record<string, unknown>; resources?: Record<string, unknown>[]; declared?: Record<string, string> }>;
};
const read = (rel: string) => JSON.parse(readFileSync(path.join(CORPUS, rel), 'utf8')) as unknown;
const ISO_TW = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/;

describe('catalogue-2018/records-300.json', () => {
  const entry = manifest.files['catalogue-2018/records-300.json'];
  const counts = entry.counts as { datasets: number; resources: number; RES_ENCODE: Record<string, number>; RES_FILETYPE: Record<string, number>; UPDATE_FREQ: Record<string, number> };
  const raw = read('catalogue-2018/records-300.json') as { record: Record<string, unknown> }[];
  const datasets = raw.map((r) => datasetFromLegacyJson(r));

  it('maps every record and resource the manifest counts', () => {
    expect(datasets.length).toBe(counts.datasets);
    expect(datasets.reduce((n, d) => n + d.resources.length, 0)).toBe(counts.resources);
    expect(new Set(datasets.map((d) => d.id)).size).toBe(counts.datasets);
    expect(datasets.every((d) => /^\d+$/.test(d.id) && d.title && d.agency && d.source === 'data.gov.tw')).toBe(true);
  });

  it('keeps the declared encodings, formats and frequencies the manifest counts', () => {
    const tally = (values: (string | undefined)[]) => values.reduce<Record<string, number>>((t, v) => ((t[v ?? 'None'] = (t[v ?? 'None'] ?? 0) + 1), t), {});
    const resources = datasets.flatMap((d) => d.resources);
    expect(tally(resources.map((r) => r.declared.encoding))).toEqual(counts.RES_ENCODE);
    expect(tally(resources.map((r) => r.declared.format))).toEqual(counts.RES_FILETYPE);
    expect(tally(datasets.map((d) => d.declared.frequency))).toEqual(counts.UPDATE_FREQ);
  });

  it('parses every 詮釋資料更新時間, 上架日期 and resource update time to ISO +08:00', () => {
    for (const [i, d] of datasets.entries()) {
      expect(d.metadataUpdatedAt, d.id).toMatch(ISO_TW);
      // Same wall-clock digits as the page showed: Taiwan local time, not shifted.
      expect(d.metadataUpdatedAt!.slice(0, 16).replace('T', ' ').replace(/-/g, '/')).toBe(raw[i].record.DATE_UPDATE_META);
      if (raw[i].record.DATE_PUBLISH) expect(d.publishedAt).toMatch(ISO_TW);
      for (const r of d.resources) expect(r.declared.updatedAt, r.id).toMatch(ISO_TW);
    }
    expect(datasets.flatMap((d) => d.findings).filter((f) => f.code === 'catalog-bad-time')).toEqual([]);
  });

  it('keeps field lists as 、-joined text on dataset and resources', () => {
    for (const [i, d] of datasets.entries()) {
      const schema = raw[i].record.SCHEMA;
      // Empty entries of the scraped list are dropped.
      const expected = Array.isArray(schema) ? schema.map((x: string) => x.trim()).filter(Boolean).join('、') : String(schema).trim();
      expect(d.declared.fields ?? '').toBe(expected);
      raw[i].record.RESOURCE && (raw[i].record.RESOURCE as { SCHEMA: string }[]).forEach((r, j) => {
        if (r.SCHEMA.trim()) expect(d.resources[j].declared.fields).toBe(r.SCHEMA.trim());
      });
    }
  });

  it('reads usage counts even where the scrape shifted columns, and unwraps the one HTML-wrapped URL', () => {
    expect(datasets.every((d) => Number.isInteger(d.usage?.views) && Number.isInteger(d.usage?.downloads))).toBe(true);
    expect(datasets.find((d) => d.id === '6069')?.usage).toEqual({ views: 31396, downloads: 19543 });
    const wrapped = datasets.flatMap((d) => d.findings.map((f) => ({ id: d.id, f })));
    expect(wrapped.map(({ id, f }) => `${id} ${f.code}`)).toEqual(['29714 catalog-url-html-wrapped']);
    expect(datasets.find((d) => d.id === '29714')!.resources[0].url).toBe('http://220.130.204.202/program/OPENDATA/Opr_CheckRecord.asp');
    expect(datasets.flatMap((d) => d.resources).every((r) => /^https?:\/\//.test(r.url))).toBe(true);
  });
});

describe('quality-2017 dataset shapes', () => {
  const files = Object.entries(manifest.files).filter(([f]) => f.startsWith('quality-2017/'));

  it('maps every page, datapackage and resource list; dq_event answers are not datasets', () => {
    for (const [file, m] of files) {
      const json = read(file);
      if (file.includes('dq_event-')) {
        expect(() => datasetFromLegacyJson(json)).toThrow(/unrecognised shape/);
        continue;
      }
      const d = datasetFromLegacyJson(json);
      expect(d.id, file).toBe(m.node);
      expect(d.resources.length, file).toBeGreaterThan(0);
      expect(d.resources.every((r) => /^https?:\/\//.test(r.url) && r.id.startsWith(`${m.node}#`)), file).toBe(true);
      // Two scrapes shifted keywords into 詮釋資料更新時間 (社福; ["2","年報","出版品"]): that, and only that, is flagged.
      const metaTime = (json as Record<string, unknown>)['詮釋資料更新時間'];
      const parsable = typeof metaTime === 'string' && parseTaiwanTime(metaTime) !== undefined;
      expect(d.findings.map((f) => f.code), file).toEqual(parsable || metaTime === undefined ? [] : ['catalog-bad-time']);
      expect(d.metadataUpdatedAt === undefined, file).toBe(!parsable);
    }
  });

  it('page scrapes keep the declared values the manifest lists', () => {
    for (const [file, m] of files.filter(([f]) => f.includes('page-'))) {
      const d = datasetFromLegacyJson(read(file));
      const decl = m.declared!;
      expect(d.resources[0].declared.format, file).toBe(decl['檔案格式']);
      expect(d.resources[0].declared.encoding, file).toBe(decl['編碼']);
      expect(d.declared.frequency, file).toBe(decl['更新頻率']);
      expect(d.declared.fields, file).toBe(decl['主要欄位說明']);
      expect(d.metadataUpdatedAt, file).toBe(parseTaiwanTime(decl['詮釋資料更新時間']));
      expect(d.metadataUpdatedAt, file).toMatch(ISO_TW);
    }
    expect(datasetFromLegacyJson(read('quality-2017/page-54554.json')).resources.map((r) => r.url)).toEqual([
      'http://land.klcg.gov.tw/ReadFile?p=Business&id=3638',
      'http://land.klcg.gov.tw/ReadFile?p=Business&id=3639',
    ]);
  });

  it('datapackages carry the official per-resource codes and the declared format/encoding the manifest lists', () => {
    for (const [file, m] of files.filter(([f]) => /dp-\d+\.json$/.test(f))) {
      const d = datasetFromLegacyJson(read(file));
      expect(d.title, file).toBe(m.title);
      expect(d.resources.length, file).toBe(m.resources!.length);
      m.resources!.forEach((exp, i) => {
        const r = d.resources[i];
        expect(r.declared.format, file).toBe(exp.declaredFormat);
        expect(r.declared.encoding, file).toBe(exp.declaredEncoding);
        expect(r.declared.updatedAt, file).toMatch(ISO_TW);
        const codes = ['linkable', 'downloadable', 'structure', 'encoding_match', 'desc_match', 'csv'].map((k) => `${k}=${exp[k]}`).join(' ');
        expect(r.officialQc, file).toBe(codes);
      });
    }
  });

  it('copies dq_event verdicts onto the page dataset by URL', () => {
    for (const [file, m] of files.filter(([f]) => f.includes('dq_event-'))) {
      const page = datasetFromLegacyJson(read(`quality-2017/page-${m.node}.json`));
      const d = officialQcFromDqEvent(page, read(file));
      const expected = (m.resources as Record<string, unknown>[]).map((r) =>
        ['linkable', 'downloadable', 'structure', 'encoding_match', 'desc_match', 'csv'].map((k) => `${k}=${r[k]}`).join(' '),
      );
      expect(d.resources.map((r) => r.officialQc), file).toEqual(expected);
    }
  });
});
