// fields-match's case table: the declared 主要欄位說明 against the file's fields.
import { describe, expect, it } from 'vitest';
import type { ResourceFacts } from '../../src/model.ts';
import { dataset, outcome, resourceCheck } from './helpers.ts';

const declaring = (fields?: string) => dataset({ resources: [{ id: 'd#0', url: 'u', declared: fields ? { fields } : {} }] });
const check = (declared: string | undefined, fx: Partial<ResourceFacts> | undefined, options?: Record<string, unknown>) =>
  resourceCheck('fields-match', { dataset: declaring(declared), facts: fx, options });
type Case = [string, string | undefined, Partial<ResourceFacts> | undefined, Record<string, unknown> | undefined, ReturnType<typeof outcome>];

describe('fields-match: matches', () => {
  it.each<Case>([
    ['the same fields', '村名、人口', { fields: ['村名', '人口'] }, undefined, { verdict: 'pass', code: 'fields-match.match', hint: false }],
    ['中文名(alias) is accepted', '村名(name)、人口(population)', { fields: ['name', 'population'] }, undefined, { verdict: 'pass', code: 'fields-match.match', hint: false }],
    ['a subset under strictness: subset', '村名', { fields: ['村名', '人口'] }, { strictness: 'subset' }, { verdict: 'pass', code: 'fields-match.match', hint: false }],
    ['a PDF has no fields (noFields: not-evaluated, the default)', '村名', { format: 'pdf', fields: [] }, undefined, { verdict: 'not-evaluated', code: 'fields-match.no-fields', hint: false }],
    ['a ZIP under archives: not-evaluated', '村名', { format: 'zip', fields: ['村名'] }, { archives: 'not-evaluated' }, { verdict: 'not-evaluated', code: 'fields-match.archive-not-opened', hint: false }],
    ['nothing inspected', '村名', undefined, undefined, { verdict: 'not-evaluated', code: 'fields-match.no-content', hint: false }],
  ])('%s', (_, declared, fx, options, expected) => {
    expect(outcome(check(declared, fx, options))).toEqual(expected);
  });

  it('a subset match names the extra fields', () => {
    const r = check('村名', { fields: ['村名', '人口'] }, { strictness: 'subset' });
    expect(r.evidence).toBe('all 2 field(s) match the declared list (extra in file: 人口)');
    expect(r.message?.zh).toBe('2 個欄位皆與宣告相符（檔案另有：人口）');
  });
});

describe('fields-match: mismatches', () => {
  it.each<Case>([
    ['a declared field missing', '村名、人口、備註', { fields: ['村名', '人口'] }, undefined, { verdict: 'fail', code: 'fields-match.mismatch', hint: true }],
    ['an undeclared field (strictness: exact, the default)', '村名', { fields: ['村名', '人口'] }, undefined, { verdict: 'fail', code: 'fields-match.mismatch', hint: true }],
    ['none declared', undefined, { fields: ['村名'] }, undefined, { verdict: 'fail', code: 'fields-match.undeclared', hint: true }],
    ['a PDF under noFields: fail (the platform checker)', '村名', { format: 'pdf', fields: [] }, { noFields: 'fail' }, { verdict: 'fail', code: 'fields-match.nothing-to-compare', hint: true }],
  ])('%s', (_, declared, fx, options, expected) => {
    expect(outcome(check(declared, fx, options))).toEqual(expected);
  });

  it('both directions named, in both languages', () => {
    const r = check('村名、備註', { fields: ['村名', '人口'] });
    expect(r.evidence).toBe('declared but not in the file: 備註; in the file but not declared: 人口');
    expect(r.message?.zh).toBe('宣告了但檔案沒有：備註；檔案有但未宣告：人口');
    expect(r.detail).toEqual({ strictness: 'exact', missing: ['備註'], extra: ['人口'], actual: ['村名', '人口'] });
  });
});
