import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectJson } from '../../src/inspect/tree/json.ts';
import { locateJsonError } from '../../src/inspect/tree/json-syntax.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(repoRoot, 'fixtures/inspect/json');
const corpora = path.resolve(repoRoot, 'fixtures/corpora');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

describe('inspectJson: where the records are', () => {
  it('reads a top-level array of records, fields in first-seen order', () => {
    const f = inspectJson(fixture('array.json'));
    expect(f).toMatchObject({ ok: true, shape: 'array', recordCount: 3 });
    expect(f.fields).toEqual(['村里', '人口數', '戶數', '備註']);
    expect(f.recordsPath).toBeUndefined();
    expect(f.errorMessage).toBeUndefined();
    expect(f.possiblyTruncated).toBeUndefined();
  });

  it('finds records wrapped at depth 2 (result.records), not the smaller fields array beside them', () => {
    const f = inspectJson(fixture('wrapped-depth2.json'));
    expect(f).toMatchObject({ ok: true, shape: 'wrapped', recordsPath: 'result.records', recordCount: 3 });
    expect(f.fields).toEqual(['name', 'count', 'year']);
    expect(f.errorMessage).toBeUndefined();
  });

  it('finds records wrapped at depth 3 (response.body.items)', () => {
    const f = inspectJson(fixture('wrapped-depth3.json'));
    expect(f).toMatchObject({ ok: true, shape: 'wrapped', recordsPath: 'response.body.items', recordCount: 4 });
    expect(f.fields).toEqual(['stationId', 'stationName', 'elevation', 'note']);
  });

  it('handles {"success":true,"result":{"results":[…]}} and {"data":[…]} behind a BOM', () => {
    expect(inspectJson('{"success":true,"result":{"results":[{"x":1},{"y":2}]}}')).toMatchObject({
      shape: 'wrapped', recordsPath: 'result.results', recordCount: 2, fields: ['x', 'y'],
    });
    expect(inspectJson(fixture('bom-data.json'))).toMatchObject({ ok: true, shape: 'wrapped', recordsPath: 'data', recordCount: 2 });
  });

  it('quotes awkward member names in recordsPath', () => {
    expect(inspectJson('{"a.b":{"rows":[{"x":1}]}}').recordsPath).toBe('["a.b"].rows');
  });

  it('reads GeoJSON: records are features, fields are the union of properties', () => {
    const f = inspectJson(fixture('features.geojson'));
    expect(f).toMatchObject({ ok: true, shape: 'geojson', recordsPath: 'features', recordCount: 2 });
    expect(f.fields).toEqual(['名稱', '類別', '開放時間']);
  });

  it('reads JSON Lines', () => {
    const f = inspectJson(fixture('lines.jsonl'));
    expect(f).toMatchObject({ ok: true, shape: 'jsonl', recordCount: 3 });
    expect(f.fields).toEqual(['id', 'site', 'aqi', 'status']);
  });

  it('reports the broken line of a JSON Lines file', () => {
    const f = inspectJson(fixture('lines-bad.jsonl'));
    expect(f.ok).toBe(false);
    expect(f.shape).toBe('jsonl');
    expect(f.error?.line).toBe(3);
    expect(f.error?.message).toMatch(/never closed/);
    expect(f.recordCount).toBe(3); // the good lines are still counted
  });

  it('reads CRLF JSON Lines and places a bad line\'s column within that line', () => {
    expect(inspectJson('{"a":1}\r\n{"b":2}\r\n')).toMatchObject({ ok: true, shape: 'jsonl', recordCount: 2, fields: ['a', 'b'] });
    const bad = inspectJson('{"a":1}\r\n{"b":2}\r\n{"c" 3}\r\n');
    expect(bad).toMatchObject({ ok: false, shape: 'jsonl', error: { line: 3, column: 6, offset: 23 } });
  });

  it('reads a header-row table ([["名稱","人口"],[…]])', () => {
    expect(inspectJson('[["名稱","人口"],["甲",1],["乙",2]]')).toMatchObject({ shape: 'array', recordCount: 2, fields: ['名稱', '人口'] });
  });
});

describe('inspectJson: malformed bodies', () => {
  it('gives the exact position of a missing comma', () => {
    const f = inspectJson(fixture('malformed.json'));
    expect(f.ok).toBe(false);
    expect(f.error).toMatchObject({ line: 5, column: 22, offset: 90 });
    expect(f.error?.message).toMatch(/expected ',' or '\}'/);
  });

  it('computes positions itself: CRLF lines, BOM not counted, trailing comma points at the comma', () => {
    const f = inspectJson('\uFEFF[\r\n  1,\r\n  2,\r\n]');
    expect(f.error).toMatchObject({ line: 3, column: 4, offset: 12 });
    expect(f.error?.message).toMatch(/Trailing comma/);
  });

  it.each([
    ['{"a":1', /never closed/],
    ["{'a':1}", /member name in double quotes/],
    ['{"a":"x\ny"}', /control character/],
    ['[01]', /Invalid number/],
    ['[1] [2]', /after the end of the JSON value/],
    ['{"a":NaN}', /expected a value/],
    ['"abc', /Unterminated string/],
  ])('explains %j', (text, why) => {
    const f = inspectJson(text);
    expect(f.ok).toBe(false);
    expect(f.error?.message).toMatch(why);
    expect(f.error?.offset).toBeGreaterThanOrEqual(0);
  });

  it('treats an empty body as shape empty, not well-formed', () => {
    expect(inspectJson('  \n')).toMatchObject({ ok: false, shape: 'empty' });
    expect(inspectJson('\uFEFF')).toMatchObject({ ok: false, shape: 'empty' });
  });

  it('survives 100,000 levels of nesting, open or closed', () => {
    const open = inspectJson('['.repeat(100_000));
    expect(open.ok).toBe(false);
    expect(open.error?.message).toMatch(/never closed/);
    const closed = inspectJson('['.repeat(100_000) + ']'.repeat(100_000));
    expect(closed).toMatchObject({ ok: true, shape: 'array', recordCount: 1 });
    const objects = inspectJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    expect(objects.ok).toBe(true);
  });

  it('agrees with JSON.parse on valid documents (the scanner never rejects valid JSON)', () => {
    for (const name of ['array.json', 'wrapped-depth2.json', 'wrapped-depth3.json', 'features.geojson']) {
      expect(locateJsonError(fixture(name))).toBeNull();
    }
    expect(locateJsonError('{"s":"\\u00e9\\n\\"","n":-0.5e+10,"t":[true,false,null],"e":{}}')).toBeNull();
  });
});

describe('inspectJson: error bodies and capped results', () => {
  it.each([
    ['error-success-false.json', '查無資料'],
    ['error-message-only.json', '查無資料'],
    ['error-key.json', 'Invalid API key'],
  ])('%s is a message, not data', (name, message) => {
    const f = inspectJson(fixture(name));
    expect(f.ok).toBe(true);
    expect(f.errorMessage).toBe(message);
  });

  it('[] is no records, not an error', () => {
    const f = inspectJson(fixture('empty-array.json'));
    expect(f).toMatchObject({ ok: true, shape: 'array', recordCount: 0 });
    expect(f.errorMessage).toBeUndefined();
  });

  it('an envelope with data and a "message":"OK" is data', () => {
    expect(inspectJson('{"message":"OK","data":[{"a":1}]}').errorMessage).toBeUndefined();
    expect(inspectJson('{"success":true,"message":"查詢成功","result":{"records":[]}}').errorMessage).toBeUndefined();
  });

  it('flags a result of exactly 1,000 records as possibly truncated, 999 not', () => {
    const rows = (n: number): string => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i, name: `r${i}` })));
    expect(inspectJson(rows(1000))).toMatchObject({ recordCount: 1000, possiblyTruncated: true });
    expect(inspectJson(rows(999)).possiblyTruncated).toBeUndefined();
    const wrapped = JSON.stringify({ result: { records: Array.from({ length: 500 }, (_, i) => ({ i })) } });
    expect(inspectJson(wrapped)).toMatchObject({ recordsPath: 'result.records', recordCount: 500, possiblyTruncated: true });
  });
});

// Real CKAN responses from dados.gov.br (third-party corpus): package_search / group_package_show / 404 bodies.
const ckanDir = path.join(corpora, 'ckan-dadosgovbr');
const ckan = JSON.parse(readFileSync(path.join(ckanDir, 'MANIFEST.json'), 'utf8')) as {
  files: Record<string, { success: boolean; returned?: number; name?: string; resources?: number; error?: { message: string } }>;
};

describe('inspectJson on the CKAN corpus (fixtures/corpora/ckan-dadosgovbr)', () => {
  const entries = Object.entries(ckan.files);
  it.each(entries)('%s', (file, expected) => {
    const f = inspectJson(readFileSync(path.join(ckanDir, file), 'utf8'));
    expect(f.ok).toBe(true);
    if (!expected.success) {
      expect(f.errorMessage).toBe(expected.error?.message);
      return;
    }
    expect(f.errorMessage).toBeUndefined();
    if (expected.returned !== undefined) {
      expect(f.recordCount).toBe(expected.returned);
      if (expected.returned > 0) expect(['result', 'result.results']).toContain(f.recordsPath);
    } else if (expected.name !== undefined && expected.resources !== undefined) {
      // package_show: the largest array of objects is the package's resource list
      expect(f).toMatchObject({ recordsPath: 'result.resources', recordCount: expected.resources });
    }
  });
});
