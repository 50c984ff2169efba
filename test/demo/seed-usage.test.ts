import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatUsageJson, parseSeedUsage, SEED_RELATIVE_PATH, type SeedUsage } from '../../src/demo/extract-seed-usage.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const committed = readFileSync(path.join(repoRoot, 'seeds/mol-usage-2017.json'), 'utf8');
const usage = JSON.parse(committed) as SeedUsage;
const seedText = readFileSync(path.resolve(repoRoot, SEED_RELATIVE_PATH), 'utf8');

describe('seeds/mol-usage-2017.json (seed 004 附件一, 附件二)', () => {
  it('holds the 562 datasets with totals equal to the 合計 row', () => {
    expect(usage.datasets).toHaveLength(562);
    expect(usage.totals).toEqual({ views: 884_091, downloads: 144_897 });
    expect(usage.datasets.reduce((s, d) => s + d.views, 0)).toBe(884_091);
    expect(usage.datasets.reduce((s, d) => s + d.downloads, 0)).toBe(144_897);
    expect(usage.datasets.map((d) => d.no)).toEqual(Array.from({ length: 562 }, (_, i) => i + 1));
  });

  it('has the first and last rows as the seed prints them', () => {
    expect(usage.datasets[0]).toEqual({ no: 1, title: '勞工體格及健康檢查認可醫療機構', agency: '勞動部職業安全衛生署', views: 141_776, downloads: 22_291 });
    expect(usage.datasets[561]).toEqual({ no: 562, title: '勞工保險基金年度經營概況', agency: '勞動部勞動基金運用局', views: 12, downloads: 3 });
  });

  it('holds the 44 new datasets of 附件二 with description and category', () => {
    expect(usage.newDatasets).toHaveLength(44);
    expect(usage.newDatasets[0]).toEqual({ no: 1, title: '勞保局服務電話', description: '勞保局服務電話', agency: '勞動部勞工保險局', category: '求職及就業' });
    for (const d of usage.newDatasets) expect(d.description && d.category && d.agency).toBeTruthy();
  });

  it('is exactly what the extractor produces from the seed (commit-ready)', () => {
    expect(formatUsageJson(parseSeedUsage(seedText))).toBe(committed);
    expect(usage.extractedFrom.annex1.lines).toEqual([65, 646]);
    expect(usage.extractedFrom.annex2.lines).toEqual([648, 696]);
  });

  it('refuses a seed whose 合計 does not add up, naming both numbers', () => {
    const broken = seedText.replace('\t合計\t\t884,091\t144,897', '\t合計\t\t884,000\t144,897');
    expect(() => parseSeedUsage(broken)).toThrow(/884000 views .* rows sum to 884091/);
  });

  it('refuses a malformed count with the line number', () => {
    const broken = seedText.replace('\t141,776\t', '\t141.776\t');
    expect(() => parseSeedUsage(broken)).toThrow(/seed line 68: not a count/);
  });
});
