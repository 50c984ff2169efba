// The streaming entry gives the same facts as the in-memory one, whatever the chunking; the CLI streams large
// local files; the declared 檔案格式 is compared with the sniffed format.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { inspectOne } from '../../src/cli/inspect-command.ts';
import { sameFormat } from '../../src/inspect/format-names.ts';
import { inspectResource } from '../../src/inspect/index.ts';
import { inspectFile, inspectStream } from '../../src/inspect/stream.ts';
import { corporaDir, fixturesDir, readBytes } from './corpora.ts';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const strip = (f: any) => ({ ...f, encoding: f.encoding && { detected: f.encoding.detected, compatible: f.encoding.compatible, invalidAt: f.encoding.invalidAt } });

describe('inspectStream', () => {
  const cases: [string, string][] = [
    [path.join(corporaDir, 'tw-encodings'), 'taipei-catalogue-2018.csv'],
    [path.join(corporaDir, 'tw-encodings'), 'dgpa-orglist-100.csv'],
    [path.join(corporaDir, 'tw-encodings'), 'dgbas-NA8103A1Ac.csv'],
    [path.join(corporaDir, 'goodtables-py'), '1011-bbsrc-25k-spend-return.csv'],
    [path.join(fixturesDir, 'encodings'), 'big5-hkscs.csv'],
    [fixturesDir, 'subtotal-row.csv'],
  ];
  for (const [dir, file] of cases) {
    it(`${file}: same structure, fields and encoding as inspectResource, in 7-byte and 64 KiB chunks`, async () => {
      const bytes = readBytes(dir, file);
      const whole = await inspectResource({ body: bytes });
      for (const size of [7, 65536]) {
        const streamed = await inspectStream(chunks(bytes, size));
        expect(streamed.format).toBe(whole.format);
        expect(streamed.fields).toEqual(whole.fields);
        expect(streamed.recordCount).toBe(whole.recordCount);
        expect(streamed.structured).toBe(whole.structured);
        expect(streamed.structuralErrors).toEqual(whole.structuralErrors);
        expect(strip(streamed).encoding).toEqual(strip(whole).encoding);
      }
    });
  }

  it('a Big5 body longer than the sniffed head is decoded with Big5 throughout (a character split across chunks survives)', async () => {
    const row = '大安里,3120,臺北市\n';
    const bytes = new Uint8Array(iconv.encode('村名,人口,縣市\n' + row.repeat(150_000), 'big5'));
    const facts = await inspectStream(chunks(bytes, 4093));
    expect(facts.encoding?.detected).toBe('big5');
    expect(facts.recordCount).toBe(150_000);
    expect(facts.structured).toBe(true);
  });

  it('non-table formats are collected and judged whole', async () => {
    const facts = await inspectStream(chunks(new TextEncoder().encode('[{"a":1},{"a":2}]'), 3), { declaredFormat: 'CSV' });
    expect(facts).toMatchObject({ format: 'json', structured: true, recordCount: 2, formatMismatch: { declared: 'CSV', detected: 'json' } });
  });

  it('2 million blank lines: every one counted, at most 1,000 listed, ranges kept', async () => {
    const body = new TextEncoder().encode('a,b\n1,2\n' + '\n'.repeat(2_000_000));
    const facts = await inspectStream(chunks(body, 1 << 16));
    expect(facts.structured).toBe(false);
    expect(facts.structuralErrors).toHaveLength(1000);
    expect(facts.notes.join('\n')).toContain('2000000 structural errors in total, 1000 listed: 2000000 blank-row');
    expect(facts.notes.join('\n')).toContain('blank rows: 3–2000002');
  });
});

describe('large local files through inspectFile and the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'odbadge-stream-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the CLI streams a file above the threshold and reports the same facts', async () => {
    const file = path.join(dir, 'big.csv');
    await writeFile(file, '村名,人口\n' + '大安里,3120\n'.repeat(20_000) + ',\n小計,62400\n');
    const small = await inspectOne(file, { declaredFormat: 'CSV' });
    const streamed = await inspectOne(file, { declaredFormat: 'CSV', streamAbove: 1024 });
    expect(streamed.fetch.bytes).toBe(small.fetch.bytes);
    for (const k of ['format', 'fields', 'recordCount', 'structured', 'structuralErrors', 'verdicts', 'formatMismatch'] as const) expect(streamed[k]).toEqual(small[k]);
    expect(streamed.structuralErrors.map((e) => e.type)).toEqual(['blank-row', 'subtotal-row']);
    expect(streamed.formatMismatch).toBeNull();
  });

  it('a large XLSX on disk goes to the streaming workbook reader', async () => {
    const file = path.join(dir, 'sheet2-bad.xlsx');
    await writeFile(file, readBytes(path.join(fixturesDir, 'spreadsheets'), 'sheet2-bad.xlsx'));
    const facts = await inspectFile(file, { declaredFormat: 'CSV' }, { streamAbove: 0 });
    expect(facts.notes.join(' ')).toMatch(/read as a stream/);
    expect(facts.structuralErrors.map((e) => e.cell)).toEqual(['Sheet2!A5:B5', 'Sheet2!A6:B6']);
    expect(facts.formatMismatch).toEqual({ declared: 'CSV', detected: 'xlsx' });
  });
});

describe('declared vs detected format', () => {
  it('sameFormat accepts spelling variants and related formats, and nothing else', () => {
    expect(sameFormat('CSV', 'csv')).toBe(true);
    expect(sameFormat('.csv', 'tsv')).toBe(true);
    expect(sameFormat('ＣＳＶ', 'csv')).toBe(true);
    expect(sameFormat('JSON', 'geojson')).toBe(true);
    expect(sameFormat('XML', 'kml')).toBe(true);
    expect(sameFormat('WebServices', 'json')).toBe(true);
    expect(sameFormat('CSV', 'html')).toBe(false);
    expect(sameFormat('XLSX', 'xls')).toBe(false);
    expect(sameFormat('CSV', 'xlsx')).toBe(false);
  });

  it('inspectResource reports formatMismatch for a PDF declared CSV, and none for 其他 or a fitting declaration', async () => {
    const pdf = readBytes(fixturesDir, 'magic.pdf');
    expect((await inspectResource({ body: pdf, declaredFormat: 'CSV' })).formatMismatch).toEqual({ declared: 'CSV', detected: 'pdf' });
    expect((await inspectResource({ body: pdf, declaredFormat: '其他' })).formatMismatch).toBeUndefined();
    expect((await inspectResource({ body: pdf, declaredFormat: 'PDF' })).formatMismatch).toBeUndefined();
    const xlsx = readBytes(path.join(fixturesDir, 'spreadsheets'), 'clean.xlsx');
    expect((await inspectResource({ body: xlsx, declaredFormat: 'XLSX' })).formatMismatch).toBeUndefined();
    expect((await inspectResource({ body: xlsx, declaredFormat: 'ODS' })).formatMismatch).toEqual({ declared: 'ODS', detected: 'xlsx' });
  });
});
