// The plan importers on the four seed documents: every row present (counted independently from the seed text),
// every date and (for Hong Kong) every format parsed; the committed seeds/plans are the importer's output.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePlanDate } from '../../src/plan/dates.ts';
import { importPlanFile, importPlanText } from '../../src/plan/import.ts';
import { loadPlan, planToYaml } from '../../src/plan/plan.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SEEDS = resolve(ROOT, 'seeds/source');
const HK = ['000_c2ea0ecaa4420522', '001_bfb8a1c681c7974a', '002_ff95aa0adbd2e382'];
const TW = '003_d2c7201eb32e0fbd';
const seed = (f: string) => readFileSync(resolve(SEEDS, `${f}.txt`), 'utf8');

/** Numbered table lines ("12\t…" or "12.\t…") that are not 不適用 placeholders: what a reader would count. */
const numberedRows = (text: string) =>
  text.split(/\r?\n/).filter((l) => /^\d+\.?\t/.test(l) && !/^\d+\.?\t(不適用|不适用)(\t|$)/.test(l)).length;

describe('Hong Kong plan tables', () => {
  it.each(HK)('%s: every numbered row is imported with a date and formats', async (f) => {
    const plan = await importPlanFile(resolve(SEEDS, `${f}.txt`));
    expect(plan.rows.length).toBe(numberedRows(seed(f)));
    expect(plan.problems).toEqual([]);
    for (const r of plan.rows) {
      expect(r.date, `line ${r.line}`).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
      expect(r.formats.length, `line ${r.line}: ${r.remarks}`).toBeGreaterThan(0);
      expect(r.name).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff]/); // wrapped cells rejoined
    }
  });

  it('000 (勞工處): sections A–C are 不適用, D has 30 rows; formats come out of 備註', async () => {
    const plan = await importPlanFile(resolve(SEEDS, `${HK[0]}.txt`));
    expect(plan.agency).toBe('勞工處');
    expect(plan.notApplicable).toEqual(['A', 'B', 'C']);
    expect(new Set(plan.rows.map((r) => r.section))).toEqual(new Set(['D']));
    const r21 = plan.rows.find((r) => r.number === 21)!;
    expect(r21).toMatchObject({ category: '就業及勞工', date: '2021-03', frequency: '每半年 (3月及9月)' });
    expect(r21.formats).toEqual(['XLSX', 'CSV', 'XML', 'JSON', 'GML', 'KML', 'GEOJSON']);
  });

  it('001 (資科辦): the "(下稱…)" alias is dropped, section C names its organisation, a wrapped row is rejoined', async () => {
    const plan = await importPlanFile(resolve(SEEDS, `${HK[1]}.txt`));
    expect(plan.agency).toBe('政府資訊科技總監辦公室');
    expect(plan.notApplicable).toEqual(['B']);
    expect(plan.rows.filter((r) => r.section === 'C').map((r) => r.agency)).toEqual(['香港電腦保安事故協調中心']);
    expect(plan.rows.find((r) => r.section === 'D' && r.number === 7)!.name).toBe('為政府員工提供電腦及互聯網接達的統計數字');
    expect(plan.rows.find((r) => r.section === 'D' && r.number === 2)!.formats).toEqual(['JSON', 'XML']); // "(JSON and XML)"
  });

  it('002 (社会福利署, Simplified Chinese): sections and counts', async () => {
    const plan = await importPlanFile(resolve(SEEDS, `${HK[2]}.txt`));
    expect(plan.agency).toBe('社会福利署');
    const count = (s: string) => plan.rows.filter((r) => r.section === s).length;
    expect([count('A'), count('B'), count('C'), count('D')]).toEqual([5, 3, 0, 80]);
    expect(plan.rows[0].frequency).toBe('在资料更新时');
  });
});

describe('Taiwan list with ROC dates', () => {
  it('every numbered row, every ROC date, the 管理單位 as the row agency', async () => {
    const plan = await importPlanFile(resolve(SEEDS, `${TW}.txt`));
    expect(plan.agency).toBe('勞動部');
    expect(plan.rows.length).toBe(numberedRows(seed(TW)));
    expect(plan.problems).toEqual([]);
    for (const r of plan.rows) expect(r.date, r.dateText).toMatch(/^\d{4}-\d{2}$/);
    const by = (n: number) => plan.rows.find((r) => r.number === n)!;
    expect(by(1)).toMatchObject({ dateText: '104年8月', date: '2015-08', agency: '勞動關係司' });
    expect(by(5)).toMatchObject({ dateText: '105年1月1日', date: '2016-01', datePrecision: 'day' });
    expect(by(7)).toMatchObject({ dateText: '105/1', date: '2016-01' });
    expect(by(37)).toMatchObject({ dateText: '105', date: '2016-12', datePrecision: 'year' });
  });

  it.each([['104年8月', '2015-08'], ['105/1', '2016-01'], ['105年1月1日', '2016-01'], ['09/2018', '2018-09'], ['民國105年12月', '2016-12'], ['2019年3月', '2019-03']])(
    'parsePlanDate(%s) = %s', (t, d) => expect(parsePlanDate(t)?.date).toBe(d));
  it.each(['不適用', '13/2019', '下半年', ''])('parsePlanDate(%s) is undefined', (t) => expect(parsePlanDate(t)).toBeUndefined());
});

describe('unparseable rows', () => {
  it('are reported with their line and text', () => {
    const doc = '某部門\n\n2024年的開放數據計劃\n\nA. 在 2024 年發放的部門數據集\n\n#\t數據種類／數據集名稱\t目標發放日期\t更新頻率\t備註\n1\t運輸 / 泊車位\t下半年\t每月\t(CSV)\n2\t運輸 / 巴士站\t06/2024\t每日\t(JSON)\nfoo\tbar\tbaz\n';
    const plan = importPlanText(doc);
    expect(plan.rows.map((r) => r.date)).toEqual([null, '2024-06']);
    expect(plan.problems).toEqual([
      { line: 8, text: '1\t運輸 / 泊車位\t下半年\t每月\t(CSV)', reason: 'date "下半年" is not MM/YYYY' },
      { line: 10, text: 'foo\tbar\tbaz', reason: expect.stringMatching(/neither a header/) },
    ]);
  });
  it('a document of neither layout is refused clearly', () => {
    expect(() => importPlanText('hello\nworld')).toThrow(/neither a Hong Kong open data plan/);
  });
});

describe('seeds/plans', () => {
  it.each([...HK, TW])('%s.plan.yaml is valid and equals the importer output', async (f) => {
    const file = resolve(ROOT, `seeds/plans/${f}.plan.yaml`);
    const committed = await loadPlan(file);
    const fresh = await importPlanFile(resolve(SEEDS, `${f}.txt`));
    expect(committed).toEqual(JSON.parse(JSON.stringify(fresh)));
    expect(readFileSync(file, 'utf8')).toBe(planToYaml(fresh));
  });
});
