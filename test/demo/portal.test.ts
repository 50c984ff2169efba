import { describe, expect, it } from 'vitest';
import { buildDemoPortal, DEFAULT_NOW, type DemoDataset } from '../../src/demo/portal.ts';
import { DATASET_SCENARIOS, FAILURE_COUNTS, FINE_COUNTS, SCENARIOS, type ScenarioId } from '../../src/demo/scenarios.ts';
import { loadSeedUsage } from '../../src/demo/extract-seed-usage.ts';

const portal = buildDemoPortal();
const usage = loadSeedUsage();
const resources = portal.datasets.flatMap((d) => d.resources.map((r) => ({ d, r })));
const withScenario = (s: string) => portal.datasets.filter((d) => d.scenarios.includes(s as ScenarioId));

describe('buildDemoPortal', () => {
  it('is deterministic: two builds are equal, another seed differs', () => {
    expect(JSON.stringify(buildDemoPortal())).toBe(JSON.stringify(portal));
    expect(JSON.stringify(buildDemoPortal({ seed: 7 }))).not.toBe(JSON.stringify(portal));
  });

  it('defaults to a fixed now and keeps times relative to an explicit now', () => {
    expect(portal.now).toBe(DEFAULT_NOW.toISOString());
    const later = buildDemoPortal({ now: new Date(DEFAULT_NOW.getTime() + 400 * 86_400_000) });
    portal.datasets.forEach((d, i) => {
      const shift = Date.parse(later.datasets[i].metadataUpdatedAt) - Date.parse(d.metadataUpdatedAt);
      expect(shift).toBe(400 * 86_400_000);
      expect(later.datasets[i].publishedAt).toBe(d.publishedAt); // 上架日期 is history, not relative
    });
  });

  it('has one dataset per seed row, with the seed agency and usage and data.gov.tw-like ids', () => {
    expect(portal.datasets).toHaveLength(562);
    portal.datasets.forEach((d, i) => {
      const row = usage.datasets[i];
      expect(d).toMatchObject({ id: String(6000 + row.no), title: row.title, agency: row.agency, usage: { views: row.views, downloads: row.downloads } });
    });
    expect(new Set(portal.agencies.map((a) => a.name))).toEqual(new Set(usage.datasets.map((d) => d.agency)));
  });

  it('gives 1–3 resources each, CSV always except the PDF/ODT-only datasets', () => {
    for (const d of portal.datasets) {
      expect(d.resources.length).toBeGreaterThanOrEqual(1);
      expect(d.resources.length).toBeLessThanOrEqual(3);
      const formats = d.resources.map((r) => r.format);
      if (formats.includes('PDF') || formats.includes('ODT')) expect(formats).toHaveLength(1);
      else expect(formats).toContain('CSV');
    }
  });

  it('plants each failure on exactly the stated number of distinct datasets', () => {
    for (const [scenario, count] of Object.entries(FAILURE_COUNTS)) expect(withScenario(scenario), scenario).toHaveLength(count);
    for (const [scenario, count] of Object.entries(FINE_COUNTS)) {
      expect(resources.filter(({ r }) => r.scenario === scenario), scenario).toHaveLength(count);
    }
    const failing = portal.datasets.filter((d) => d.scenarios.some((s) => s === 'stale' || SCENARIOS[s as ScenarioId].badge !== 'gold'));
    expect(failing).toHaveLength(Object.values(FAILURE_COUNTS).reduce((a, b) => a + b, 0));
  });

  it('keeps realistic proportions: 75–85 % gold, at most 5 time-outs', () => {
    const gold = portal.datasets.filter((d) => d.expectedBadge === 'gold').length / portal.datasets.length;
    expect(gold).toBeGreaterThanOrEqual(0.75);
    expect(gold).toBeLessThanOrEqual(0.85);
    expect(resources.filter(({ r }) => r.scenario === 'timeout').length).toBeLessThanOrEqual(5);
    const badges = new Set(portal.datasets.map((d) => d.expectedBadge));
    expect(badges).toEqual(new Set(['gold', 'silver', 'bronze', 'none']));
  });

  it('exports the truth: expectedBadge is the minimum over resources and staleness', () => {
    // The badge order, written down here rather than taken from the code under test.
    const ORDER = ['none', 'bronze', 'silver', 'gold'];
    const lower = (a: string, b: string) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b);
    for (const d of portal.datasets) {
      let badge = d.truth.stale ? DATASET_SCENARIOS.stale.badge : 'gold';
      for (const r of d.resources) {
        expect(r.truth.badge).toBe(SCENARIOS[r.scenario].badge);
        badge = lower(badge, r.truth.badge);
      }
      expect(d.expectedBadge, d.title).toBe(badge);
    }
  });

  it('re-enacts the seed complaints on the datasets they were about', () => {
    const byTitle = (t: string) => portal.datasets.find((d) => d.title === t)!;
    expect(byTitle('勞工體格及健康檢查認可醫療機構').scenarios).toContain('not-found');
    expect(byTitle('職業工會、漁會欠費名單').scenarios).toContain('big5-declared-utf8');
    expect(byTitle('完成申報之動力堆高機案件清單').resources.map((r) => r.format)).toEqual(['ODT']);
    const jobs = byTitle('台灣就業通網站職缺清單');
    expect(jobs.resources.find((r) => r.scenario === 'api-capped-1000')?.recordCount).toBe(1000);
    expect(jobs.truth.expectedBonus).toBe(true);
  });

  it('makes stale datasets late by several declared periods, with a regular frequency', () => {
    const nowMs = Date.parse(portal.now);
    const periodDays: Record<string, number> = { 每1月: 30, 每3月: 91, 每1年: 365 };
    for (const d of withScenario('stale')) {
      expect(Object.keys(periodDays)).toContain(d.frequency);
      expect(nowMs - Date.parse(d.metadataUpdatedAt)).toBeGreaterThan(3 * periodDays[d.frequency] * 86_400_000);
    }
    // and the fresh ones with a regular frequency are within their period
    const fresh = portal.datasets.filter((d: DemoDataset) => !d.truth.stale && /^每1(月|年)$/.test(d.frequency));
    for (const d of fresh) expect(nowMs - Date.parse(d.metadataUpdatedAt)).toBeLessThan((d.frequency === '每1月' ? 30 : 365) * 86_400_000);
  });

  it('writes 詮釋資料更新時間 as data.gov.tw does: Taiwan time, no zone, six fractional digits', () => {
    for (const d of portal.datasets) {
      expect(d.metadataUpdatedAtText).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000000$/);
      expect(d.metadataUpdatedAt).toBe(d.metadataUpdatedAtText.replace(' ', 'T').slice(0, 19) + '+08:00');
      expect(d.publishedAt).toMatch(/^\d{4}-\d\d-\d\d$/);
    }
  });

  it('publishes the platform badge text, mostly agreeing with the truth', () => {
    const text: Record<string, string> = { gold: '金標章', silver: '銀標章', bronze: '銅標章', none: '無' };
    const disagree = portal.datasets.filter((d) => text[d.expectedBadge] !== d.officialBadgeText);
    expect(disagree.length).toBeGreaterThan(0);
    expect(disagree.length / portal.datasets.length).toBeLessThan(0.1);
    expect(disagree.every((d) => !d.truth.officialAgrees)).toBe(true);
  });

  it('declares fields in several shapes: 、-lists, aliases, list-shaped API fields', () => {
    const declared = resources.map(({ r }) => r.declaredFields);
    expect(declared.some((f) => f.includes('、') && !f.includes('('))).toBe(true);
    expect(declared.some((f) => /[^、]+\([a-z_]+\)、/.test(f))).toBe(true);
    expect(resources.some(({ r }) => r.fieldStyle === 'list')).toBe(true);
    expect(resources.some(({ r }) => r.fieldStyle === 'string')).toBe(true);
    for (const { r } of resources.filter(({ r }) => r.scenario === 'missing-field')) {
      expect(r.declaredColumns.map((c) => c.name)).toContain('備註');
      expect(r.columns.map((c) => c.name)).not.toContain('備註');
    }
  });

  it('gives a few JSON APIs an OpenAPI document, exactly one of them invalid', () => {
    const oas = resources.filter(({ r }) => r.oas);
    expect(oas.length).toBeGreaterThanOrEqual(5);
    expect(oas.filter(({ r }) => !r.oas!.valid)).toHaveLength(1);
    expect(new Set(oas.map(({ r }) => r.oas!.format))).toEqual(new Set(['yaml', 'json']));
  });
});
