// Plan compliance against a fixture catalogue: each outcome, the reported similarity, per-agency rates, the CLI.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCatalog } from '../../src/catalog/index.ts';
import { main } from '../../src/cli/main.ts';
import type { Dataset } from '../../src/model.ts';
import { checkCompliance, type ComplianceReport } from '../../src/plan/compliance.ts';
import { titleSimilarity } from '../../src/plan/match.ts';
import { loadPlan } from '../../src/plan/plan.ts';
import { complianceMarkdown } from '../../src/plan/report-md.ts';

const FIX = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/plan');
const PLAN = `${FIX}/plan.yaml`;
const CATALOG = `${FIX}/catalog.json`;

async function report(): Promise<ComplianceReport> {
  const ds: Dataset[] = [];
  for await (const d of readCatalog(CATALOG)) ds.push(d);
  return checkCompliance(await loadPlan(PLAN), ds, { asOf: new Date('2024-06-30T12:00:00+08:00'), catalogSource: CATALOG });
}
const row = (rep: ComplianceReport, name: string) => rep.rows.find((r) => r.row.name === name)!;

describe('plan compliance', () => {
  it('on time, with every promised format and the promised frequency observed', async () => {
    const r = row(await report(), '泊車位資訊');
    expect(r.match).toMatchObject({ id: 'parking', similarity: 1 });
    expect(r.release).toMatchObject({ outcome: 'on-time', releasedAt: '2024-03-19T16:00:00.000Z' });
    expect(r.formats).toEqual({ promised: ['CSV', 'JSON'], present: ['CSV', 'JSON'], missing: [] });
    expect(r.frequency).toMatchObject({ promised: '每月', declared: '每1月', agreement: 'same', observed: { verdict: 'fresh', source: 'metadata update time' } });
    expect(r.compliant).toBe(true);
  });

  it('late by how much, a missing format, a declared frequency different from the promise', async () => {
    const r = row(await report(), '巴士站位置');
    expect(r.release).toMatchObject({ outcome: 'late', lateByDays: 41 }); // due by the end of 2024-02, released 2024-04-10
    expect(r.formats?.missing).toEqual(['GEOJSON']);
    expect(r.frequency).toMatchObject({ declared: '每年', agreement: 'different', observed: { verdict: 'fresh' } });
    expect(r.compliant).toBe(false);
  });

  it('not yet due, and overdue with the best candidate shown below the threshold', async () => {
    const rep = await report();
    expect(row(rep, '單車徑網絡').release.outcome).toBe('not-yet-due');
    const ferry = row(rep, '渡輪班次');
    expect(ferry.match).toBeNull();
    expect(ferry.release).toMatchObject({ outcome: 'overdue', lateByDays: 150 });
    expect(ferry.bestCandidate).toMatchObject({ id: 'ferry', title: '渡輪航線及票價' });
    expect(ferry.bestCandidate!.similarity).toBeLessThan(0.8);
    expect(ferry.bestCandidate!.similarity).toBeGreaterThan(0);
  });

  it('released with no release date in the catalogue is neither on time nor late', async () => {
    const r = row(await report(), '交通意外統計數字');
    expect(r.release.outcome).toBe('released-date-unknown');
    expect(r.formats?.missing).toEqual([]);
    expect(r.frequency?.observed).toMatchObject({ verdict: 'stale', lastUpdate: '2021-01-04T16:00:00.000Z' });
    expect(r.compliant).toBeNull();
  });

  it('an irregular promise cannot be late', async () => {
    expect(row(await report(), '公共廁所位置').frequency?.observed.verdict).toBe('cannot-be-late');
  });

  it('per-agency compliance rate, with section C under its own organisation', async () => {
    const rep = await report();
    const a = rep.agencies.find((x) => x.agency === '測試署')!;
    expect(a).toMatchObject({ rows: 6, due: 5, released: 4, onTime: 2, late: 1, overdue: 1, notYetDue: 1 });
    expect(a.complianceRate).toBe(0.4); // parking and toilets, of 5 due
    expect(rep.agencies.find((x) => x.agency === '隧道公司')).toMatchObject({ rows: 1, overdue: 1, complianceRate: 0 });
  });

  it('Markdown shows rates, outcomes and similarities', async () => {
    const md = complianceMarkdown(await report());
    expect(md).toMatch(/\| 測試署 \| 6 \| 5 \| 4 \| 2 \| 1 \| 1 \| 1 \| 40\.0 % \|/);
    expect(md).toMatch(/late by 41 days/);
    expect(md).toMatch(/none — best: 渡輪航線及票價 \(0\.\d\d\)/);
  });

  it('title similarity: identical after normalisation is 1, unrelated is low', () => {
    expect(titleSimilarity('社會福利 / 青年熱線服務', '青年熱線 服務')).toBe(1);
    expect(titleSimilarity('Parking Vacancy', 'parking-vacancy')).toBe(1);
    expect(titleSimilarity('泊車位資訊', '公共廁所位置')).toBe(0);
  });
});

describe('odbadge plan (CLI)', () => {
  let out = '';
  let err = '';
  afterEach(() => vi.restoreAllMocks());
  const run = async (args: string[]) => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
    const code = await main(args);
    vi.restoreAllMocks();
    return code;
  };

  it('--json prints the report; Markdown is the default', async () => {
    expect(await run(['plan', '--plan', PLAN, '--catalog', CATALOG, '--as-of', '2024-06-30', '--json'])).toBe(0);
    expect(JSON.parse(out).agencies[0]).toMatchObject({ agency: '測試署', complianceRate: 0.4 });
    expect(await run(['plan', '--plan', PLAN, '--catalog', CATALOG, '--as-of', '2024-06-30', '--markdown'])).toBe(0);
    expect(out).toMatch(/^# Open data plan compliance: 測試署/);
  });

  it('bad input gives clear errors and exit codes', async () => {
    expect(await run(['plan', '--plan', PLAN, '--catalog', CATALOG, '--as-of', '30/06/2024'])).toBe(2);
    expect(err).toMatch(/--as-of 30\/06\/2024 is not a date/);
    expect(await run(['plan', '--plan', CATALOG, '--catalog', CATALOG])).toBe(3);
    expect(err).toMatch(/does not match schemas\/plan.schema.json/);
    expect(await run(['plan', '--plan', PLAN, '--catalog', `${FIX}/nope.json`])).toBe(3);
    expect(err).toMatch(/cannot read the catalogue/);
    expect(await run(['plan'])).toBe(2);
  });

  it('plan import --json prints { agency, rows }', async () => {
    const seed = resolve(FIX, '../../seeds/source/003_d2c7201eb32e0fbd.txt');
    expect(await run(['plan', 'import', seed, '--json'])).toBe(0);
    const p = JSON.parse(out);
    expect(p.agency).toBe('勞動部');
    expect(p.rows[0]).toMatchObject({ section: 'planned', name: '裁決決定', date: '2015-08', formats: [] });
  });
});

describe('titles in Simplified and Traditional Chinese', () => {
  it('match at similarity 1 (seed 002 is a Simplified-Chinese plan, the catalogue may be Traditional)', async () => {
    const { titleSimilarity } = await import('../../src/plan/match.ts');
    expect(titleSimilarity('安老服务统计数字', '安老服務統計數字')).toBe(1);
    expect(titleSimilarity('劳工处职位空缺', '勞工處職位空缺')).toBe(1);
    expect(titleSimilarity('劳工处职位空缺', '房屋署公屋資料')).toBeLessThan(0.3);
  });
});
