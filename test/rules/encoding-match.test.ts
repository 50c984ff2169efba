// encoding-match's case table: the declared 編碼格式 against the detected encoding.
import { describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/inspect/encoding/index.ts';
import type { EncodingFacts, ResourceFacts } from '../../src/model.ts';
import { dataset, outcome, resourceCheck } from './helpers.ts';

const enc = (detected: EncodingFacts['detected'], compatible = [detected]): Partial<ResourceFacts> => ({ encoding: { detected, compatible, evidence: '' } });
const declaring = (encoding?: string) => dataset({ resources: [{ id: 'd#0', url: 'u', declared: encoding ? { encoding } : {} }] });
const check = (declared: string | undefined, fx: Partial<ResourceFacts> | undefined, options?: Record<string, unknown>) =>
  resourceCheck('encoding-match', { dataset: declaring(declared), facts: fx, options });

type Case = [string, string | undefined, Partial<ResourceFacts> | undefined, Record<string, unknown> | undefined, ReturnType<typeof outcome>];

describe('encoding-match: matches', () => {
  it.each<Case>([
    ['BIG-5 for Big5', 'BIG-5', enc('big5'), undefined, { verdict: 'pass', code: 'encoding-match.match', hint: false }],
    ['utf8 for UTF-8 with a BOM', 'utf8', enc('utf-8-bom'), undefined, { verdict: 'pass', code: 'encoding-match.match', hint: false }],
    ['Big5 for pure ASCII', 'Big5', enc('ascii', ['ascii', 'utf-8', 'big5']), undefined, { verdict: 'pass', code: 'encoding-match.match', hint: false }],
    ['an XLSX fixes its own encoding', 'UTF-8', { format: 'xlsx' }, undefined, { verdict: 'pass', code: 'encoding-match.self-describing', hint: false }],
    ['an XLSX under binaryFormats: not-evaluated', undefined, { format: 'xlsx' }, { binaryFormats: 'not-evaluated' }, { verdict: 'not-evaluated', code: 'encoding-match.self-describing', hint: false }],
    ['none declared under missingDeclaration: not-evaluated', undefined, enc('utf-8'), { missingDeclaration: 'not-evaluated' }, { verdict: 'not-evaluated', code: 'encoding-match.undeclared', hint: false }],
    ['a PDF has no text to check', 'UTF-8', { format: 'pdf' }, undefined, { verdict: 'not-evaluated', code: 'encoding-match.no-text', hint: false }],
    ['nothing inspected', 'UTF-8', undefined, undefined, { verdict: 'not-evaluated', code: 'encoding-match.no-content', hint: false }],
  ])('%s', (_, declared, fx, options, expected) => {
    expect(outcome(check(declared, fx, options))).toEqual(expected);
  });
});

describe('encoding-match: mismatches', () => {
  it.each<Case>([
    ['UTF-8 declared, Big5 detected', 'UTF-8', enc('big5'), undefined, { verdict: 'fail', code: 'encoding-match.mismatch', hint: true }],
    ['none declared (missingDeclaration: fail, the default)', undefined, enc('ascii'), undefined, { verdict: 'fail', code: 'encoding-match.undeclared', hint: true }],
    ['其他 is no encoding name', '其他', enc('utf-8'), undefined, { verdict: 'fail', code: 'encoding-match.mismatch', hint: true }],
  ])('%s', (_, declared, fx, options, expected) => {
    expect(outcome(check(declared, fx, options))).toEqual(expected);
  });

  it('UTF-8 declared on Big5 bytes: the evidence as before, the message without saying "declared" twice', () => {
    const bytes = new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0xa4, 0xa4, 0xa4, 0xe5, 0x0a]); // "a,b\n中文\n" in Big5
    const r = check('UTF-8', { encoding: detectEncoding(bytes) });
    expect(r.evidence).toBe('declared "UTF-8" but declared UTF-8, detected big5: byte 0xa4 at offset 4 is not valid UTF-8');
    expect(r.message).toEqual({
      zh: '宣告「UTF-8」，但檔案實際為 big5：位移 4 的位元組 0xa4 不是有效的 UTF-8',
      en: 'declared "UTF-8", but the file is big5: byte 0xa4 at offset 4 is not valid UTF-8',
    });
    expect(r.hint?.zh).toBe('宣告的編碼格式與檔案不符（偵測為 big5）；請將檔案轉存為宣告的編碼（建議 UTF-8），或更正詮釋資料。');
    expect(r.detail).toMatchObject({ declared: 'UTF-8', detected: 'big5' });
  });
});
