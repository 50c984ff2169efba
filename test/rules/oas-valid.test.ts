// oas-valid's case table: the declared OpenAPI documents validate (the 金質獎 bonus).
import { describe, expect, it } from 'vitest';
import type { OasCheck } from '../../src/rules/rule.ts';
import { dataset, datasetCheck, fetchOk, outcome } from './helpers.ts';

const URL = 'https://data.example.gov.tw/openapi.json';
const check = (oas: OasCheck[]) => datasetCheck('oas-valid', { dataset: dataset(), oas });
const valid: OasCheck = { url: URL, fetch: fetchOk({ url: URL, finalUrl: URL }), report: { valid: true, version: '3.0', errors: [] } };
const invalid: OasCheck = { url: URL, fetch: fetchOk({ url: URL, finalUrl: URL }), report: { valid: false, version: '3.0', errors: [{ pointer: '/info', message: "must have required property 'version'" }] } };
type Case = [string, OasCheck[], ReturnType<typeof outcome>];

describe('oas-valid', () => {
  it.each<Case>([
    ['a valid document', [valid], { verdict: 'pass', code: 'oas-valid.valid', hint: false }],
    ['no document declared', [], { verdict: 'not-evaluated', code: 'oas-valid.none', hint: false }],
    ['an invalid document', [invalid], { verdict: 'fail', code: 'oas-valid.invalid', hint: true }],
    ['one valid, one invalid', [valid, { ...invalid, url: `${URL}?v=2` }], { verdict: 'fail', code: 'oas-valid.invalid', hint: true }],
    ['a 404', [{ url: URL, fetch: fetchOk({ kind: 'http-error', status: 404 }) }], { verdict: 'fail', code: 'oas-valid.invalid', hint: true }],
    ['a time-out (transient)', [{ url: URL, fetch: fetchOk({ kind: 'timeout', transient: true }) }], { verdict: 'unsure', code: 'oas-valid.invalid', hint: true }],
  ])('%s', (_, oas, expected) => {
    expect(outcome(check(oas))).toEqual(expected);
  });

  it('an invalid document: the validator\'s errors in English, their places in Chinese', () => {
    const r = check([invalid]);
    expect(r.evidence).toBe(`${URL}: invalid OpenAPI 3.0 — /info: must have required property 'version'`);
    expect(r.message?.zh).toBe(`${URL}：未通過 OpenAPI 3.0 驗證，錯誤位置：/info`);
  });

  it('followRemoteRefs is stated, never chosen: only false is a valid ruleset value', async () => {
    const { loadRuleset, parseRuleset } = await import('../../src/score/ruleset.ts');
    const rs = loadRuleset();
    expect(rs.options?.['oas-valid']).toEqual({ followRemoteRefs: false });
    expect(() => parseRuleset({ ...rs, options: { ...rs.options, 'oas-valid': { followRemoteRefs: true } } })).toThrow(/must be equal to constant/);
  });
});
