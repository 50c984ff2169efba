import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFields, normaliseFieldName, splitDeclaredFields } from '../../src/inspect/fields.ts';
import { corporaDir, readManifest } from './corpora.ts';

describe('splitDeclaredFields', () => {
  it('splits on 、 , ， ; ； and newlines, with half- and full-width aliases', () => {
    expect(splitDeclaredFields('村名(name)、人口（population）;面積，備註\n代碼；年')).toEqual([
      { name: '村名', alias: 'name' },
      { name: '人口', alias: 'population' },
      { name: '面積' },
      { name: '備註' },
      { name: '代碼' },
      { name: '年' },
    ]);
  });
  it('keeps separators inside parentheses and drops empty items', () => {
    expect(splitDeclaredFields('金額(元,新臺幣)、、 ,年度')).toEqual([{ name: '金額', alias: '元,新臺幣' }, { name: '年度' }]);
  });
});

describe('normaliseFieldName', () => {
  it('NFKC, trim, collapse spaces, strip BOM and zero-width, lower-case Latin', () => {
    expect(normaliseFieldName('\ufeff Ｈｏｓｐ\u200b  ＩＤ ')).toBe('hosp id');
    expect(normaliseFieldName('村名')).toBe('村名');
  });
});

describe('compareFields', () => {
  it('the published example: the declared list equals the header', () => {
    expect(compareFields('村名(name)、人口(population)', ['村名', '人口'], 'exact')).toEqual({ match: true, missing: [], extra: [] });
  });
  it('aliases match English headers', () => {
    expect(compareFields('村名(name)、人口(population)', ['Name', 'POPULATION'], 'exact').match).toBe(true);
  });
  it('lists missing and extra names; subset tolerates extras', () => {
    expect(compareFields('村名、人口、面積', ['村名', '人口', '戶數'], 'exact')).toEqual({ match: false, missing: ['面積'], extra: ['戶數'] });
    expect(compareFields('村名、人口', ['村名', '人口', '戶數'], 'subset')).toEqual({ match: true, missing: [], extra: ['戶數'] });
    expect(compareFields('村名、人口', ['村名', '人口', '戶數'], 'exact').match).toBe(false);
  });
  it('an empty declaration never matches', () => {
    expect(compareFields('', ['a'], 'subset').match).toBe(false);
  });
  it('frictionless schema cases: missing and extra labels agree with theirs', () => {
    const manifest = readManifest(path.join(corporaDir, 'frictionless-py'));
    const headers: Record<string, string[]> = { 'table.csv': ['id', 'name'], 'sync-schema.csv': ['name', 'id'] };
    for (const c of manifest.schemaCases as any[]) {
      const r = compareFields((c.declaredFields as string[]).join('、'), headers[c.file], 'exact');
      const extraLabels = (c.errors as unknown[][]).filter((e) => e[2] === 'extra-label').length;
      const missingLabels = (c.errors as unknown[][]).filter((e) => e[2] === 'missing-label').length;
      expect(r.extra.length, c.file).toBe(extraLabels);
      expect(r.missing.length, c.file).toBe(missingLabels);
      // reordered labels are still the same set of names
      if (c.file === 'sync-schema.csv') expect(r.match).toBe(true);
    }
  });
});
