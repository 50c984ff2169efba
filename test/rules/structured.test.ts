// structured's case table: tables without structural errors, well-formed JSON/XML, and what is not.
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { msg } from '../../src/messages/index.ts';
import type { ResourceFacts } from '../../src/model.ts';
import { outcome, resourceCheck } from './helpers.ts';

type Case = [string, Partial<ResourceFacts> | undefined, Record<string, unknown> | undefined, ReturnType<typeof outcome>];
const FORMATS = ['csv', 'tsv', 'json', 'jsonl', 'geojson', 'xml', 'kml', 'gml', 'rss', 'xlsx', 'xls', 'ods', 'zip', 'kmz', 'shp'];
const check = (fx?: Partial<ResourceFacts>, options?: Record<string, unknown>) => resourceCheck('structured', { facts: fx, options });
const blankRow = { type: 'blank-row' as const, row: 4, field: null, message: 'row 4 is completely blank' };
const subtotal = { type: 'subtotal-row' as const, row: 9, field: null, message: 'row 9 is a summary row', params: { text: '合計', where: 1 } };

describe('structured: structured data', () => {
  it.each<Case>([
    ['a clean table', {}, undefined, { verdict: 'pass', code: 'structured.ok', hint: false }],
    ['a ZIP of clean tables', { format: 'zip', structuredEvidence: 'every one of the 2 ZIP entries is structured data: a.csv (csv), b.csv (csv)' }, undefined, { verdict: 'pass', code: 'structured.ok', hint: false }],
    ['a subtotal row under subtotalRowsFail: false', { structured: false, structuralErrors: [subtotal] }, { subtotalRowsFail: false }, { verdict: 'fail', code: 'structured.not-structured', hint: true }],
    ['a ZIP under archives: not-evaluated', { format: 'zip' }, { archives: 'not-evaluated' }, { verdict: 'not-evaluated', code: 'structured.archive-not-opened', hint: false }],
    ['nothing inspected', undefined, undefined, { verdict: 'not-evaluated', code: 'structured.no-content', hint: false }],
  ])('%s', (_, fx, options, expected) => {
    expect(outcome(check(fx, options))).toEqual(expected);
  });

  it('quotes the inspector in the reader\'s language', () => {
    const r = check({ structuredRef: msg('inspect.table', { fields: 3, records: 10, delimiter: ',' }), structuredEvidence: 'fixed-column table: 3 fields, 10 records, no structural errors (delimiter ",")' });
    expect(r.evidence).toBe('csv: fixed-column table: 3 fields, 10 records, no structural errors (delimiter ",")');
    expect(r.message?.zh).toBe('csv：固定欄位表格：3 個欄位、10 筆資料，無結構錯誤（分隔符號 ","）');
  });
});

describe('structured: not structured', () => {
  it.each<Case>([
    ['a PDF, when the ruleset lists the structured formats', { format: 'pdf', structured: false }, { structuredFormats: FORMATS }, { verdict: 'fail', code: 'structured.not-data-format', hint: true }],
    ['a PDF under the default (no list): the inspector decides', { format: 'pdf', structured: false }, undefined, { verdict: 'fail', code: 'structured.not-structured', hint: true }],
    ['a blank row', { structured: false, structuralErrors: [blankRow] }, undefined, { verdict: 'fail', code: 'structured.errors', hint: true }],
    ['a subtotal row (subtotalRowsFail: true, the default)', { structured: false, structuralErrors: [subtotal] }, undefined, { verdict: 'fail', code: 'structured.errors', hint: true }],
    ['a limit reached', { format: 'xlsx', structured: false, limits: [{ name: 'maxCellChars', limit: 10, observed: 11, message: 'Sheet1!A1 has more than 10 characters', where: 'Sheet1!A1' }] }, undefined, { verdict: 'fail', code: 'structured.limit', hint: true }],
    ['a structure that could not be judged', { format: 'unknown', structured: null, structuredEvidence: 'format not recognised' }, undefined, { verdict: 'unsure', code: 'structured.unjudged', hint: true }],
  ])('%s', (_, fx, options, expected) => {
    expect(outcome(check(fx, options))).toEqual(expected);
  });

  it('structural errors: the first five named, by type and position; in Chinese by their names', () => {
    const r = check({ structured: false, structuralErrors: [
      { type: 'blank-label', row: null, field: 3, message: '' }, blankRow,
      { type: 'merged-cell', row: 7, field: 2, message: '', cell: 'Sheet1!B7:D7' },
    ] });
    expect(r.evidence).toBe('3 structural error(s) in csv: blank-label at field 3; blank-row at row 4; merged-cell at Sheet1!B7:D7, row 7, field 2');
    expect(r.message?.zh).toBe('csv 有 3 個結構錯誤：標題欄位空白（第 3 欄）；空白列（第 4 列）；合併儲存格（Sheet1!B7:D7，第 7 列，第 2 欄）');
    expect(r.detail?.counts).toEqual({ 'blank-label': 1, 'blank-row': 1, 'merged-cell': 1 });
  });

  it('malformed JSON, inspected: a structural error, named in Chinese; the parser\'s English only in the facts', async () => {
    const facts = await inspectResource({ body: new TextEncoder().encode('{"a": [1, 2}\n') });
    const r = resourceCheck('structured', { facts });
    expect(outcome(r)).toEqual({ verdict: 'fail', code: 'structured.errors', hint: true });
    expect(r.evidence).toBe('1 structural error(s) in json: malformed-json');
    expect(r.message).toEqual({ zh: 'json 有 1 個結構錯誤：JSON 格式錯誤', en: '1 structural error(s) in json: malformed-json' });
    expect(facts.structuralErrors[0]).toMatchObject({ type: 'malformed-json', params: { line: 1 } });
    expect(facts.structuredEvidence).toMatch(/^malformed JSON at line 1, column \d+: /);
  });
});
