// The CSV inspector against third-party corpora: frictionless' own expectations (types, rows, fields),
// goodtables' messy government spreadsheets (counts per type, blank-row ranges, first error) and real Taiwanese
// files (RFC 4180 rows and fields after decoding).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StructuralError } from '../../src/model.ts';
import { inspectCsv } from '../../src/inspect/table/csv.ts';
import { decodeText, decodingFor, detectEncoding, isDeclaredCompatible, normaliseEncodingName } from '../../src/inspect/encoding/index.ts';
import { corporaDir, readBytes, readManifest } from './corpora.ts';

/** The error types frictionless itself reports; ours (subtotal-row, title-row …) are compared elsewhere. */
const FRICTIONLESS = new Set(['blank-label', 'duplicate-label', 'missing-cell', 'extra-cell', 'blank-row', 'source-error']);
const triple = (e: StructuralError) => [e.row, e.field, e.type];

async function inspectFile(dir: string, file: string) {
  const bytes = readBytes(dir, file);
  const encoding = detectEncoding(bytes);
  const csv = await inspectCsv(decodeText(bytes, decodingFor(encoding)));
  return { encoding, csv, ours: csv.errors.filter((e) => FRICTIONLESS.has(e.type)).map(triple) };
}

const isTable = (file: string) => /\.(csv|txt)$/i.test(file);

for (const name of ['frictionless', 'frictionless-py']) {
  const dir = path.join(corporaDir, name);
  const manifest = readManifest(dir);
  describe(`${name} corpus`, () => {
    for (const [file, exp] of Object.entries<any>(manifest.files)) {
      if (!isTable(file)) continue;
      it(`${file}: ${exp.valid ? 'valid' : 'errors as frictionless reports them'}`, async () => {
        const { encoding, csv, ours } = await inspectFile(dir, file);
        // frictionless/ lists errors including the declared-encoding one; frictionless-py separates structure
        const expected = ((exp.structuralErrors ?? exp.errors) as unknown[][]).filter((e) => FRICTIONLESS.has(e[2] as string));
        expect(ours).toEqual(expected);
        if (expected.length === 0) expect(csv.errors.filter((e) => FRICTIONLESS.has(e.type))).toEqual([]);
        if (exp.rowsRead) expect(csv.rowCount).toBe(exp.rowsRead);
        if (exp.rows) expect(csv.header).toEqual(exp.rows[0]);
        if (file === 'bom.csv') expect(csv.header).toEqual(['id', 'name']);
        const declared = exp.declaredEncoding as string | undefined;
        const encodingError = ((exp.errors ?? []) as unknown[][]).some((e) => e[2] === 'encoding-error');
        if (declared && normaliseEncodingName(declared) !== 'unknown') {
          expect(isDeclaredCompatible(declared, encoding).match).toBe(!encodingError);
        }
      });
    }
  });
}

describe('goodtables-py corpus (real public-sector spreadsheets)', () => {
  const dir = path.join(corporaDir, 'goodtables-py');
  const manifest = readManifest(dir);
  const goodtablesNames: Record<string, string> = { 'blank-header': 'blank-label', 'missing-value': 'missing-cell', 'extra-value': 'extra-cell', 'blank-row': 'blank-row' };
  for (const [file, exp] of Object.entries<any>(manifest.files)) {
    if (!isTable(file)) continue;
    it(`${file}: ${JSON.stringify(exp.errorCounts)}`, async () => {
      const { csv, ours } = await inspectFile(dir, file);
      expect(csv.delimiter).toBe(exp.delimiter);
      expect(csv.rowCount).toBe(exp.physicalRows);
      expect(csv.header.length).toBe(exp.fields);
      const counts = Object.fromEntries(Object.entries(csv.errorCounts).filter(([t]) => FRICTIONLESS.has(t)));
      expect(counts).toEqual(exp.errorCounts);
      if (exp.structuralErrors) expect(ours).toEqual(exp.structuralErrors);
      if (exp.structuralErrorsFirst50) expect(ours.slice(0, 50)).toEqual(exp.structuralErrorsFirst50);
      if (exp.blankRowRanges) expect(csv.blankRowRanges).toEqual(exp.blankRowRanges);
      const report = exp.goodtables?.report?.[0] as [number, number | null, number | null, string] | undefined;
      if (report) {
        const first = csv.errors.find((e) => FRICTIONLESS.has(e.type))!;
        expect([first.row, first.field, first.type]).toEqual([report[1], report[2], goodtablesNames[report[3]]]);
      }
    });
  }

  it('reports a title line above the real header without renumbering (GLA spend report)', async () => {
    const { csv } = await inspectFile(dir, 'gla-december_2009.csv');
    const titles = csv.errors.filter((e) => e.type === 'title-row');
    expect(titles.map((e) => e.row)).toEqual([2]);
    expect(titles[0].message).toMatch(/Report of All Payments/);
  });

  it('keeps counting past the stored-error cap (6,572 blank rows)', async () => {
    const { csv } = await inspectFile(dir, '1011-bbsrc-25k-spend-return.csv');
    expect(csv.errorsCapped).toBe(true);
    expect(csv.errors.length).toBeLessThanOrEqual(1000);
    expect(csv.errorTotal).toBe(6572);
  });
});

describe('tw-encodings corpus: rows and fields after decoding', () => {
  const dir = path.join(corporaDir, 'tw-encodings');
  const manifest = readManifest(dir);
  for (const [file, exp] of Object.entries<any>(manifest.files)) {
    it(`${file}: ${exp.rfc4180.rows} rows`, async () => {
      const { csv } = await inspectFile(dir, file);
      expect(csv.rowCount).toBe(exp.rfc4180.rows);
      expect(csv.fieldsPerRow).toEqual(Object.fromEntries(Object.entries(exp.rfc4180.fieldsPerRow).map(([k, v]) => [Number(k), v])));
      expect(csv.header).toEqual(exp.rfc4180.header);
      const flat = Object.keys(exp.rfc4180.fieldsPerRow).length === 1;
      if (flat) expect(csv.errorTotal).toBe(0);
    });
  }

  it('the DGBAS statistics export is flagged: title line, summary rows, ragged rows', async () => {
    const { csv } = await inspectFile(dir, 'dgbas-NA8103A1Ac.csv');
    expect(csv.errors.some((e) => e.type === 'title-row' && e.row === 1)).toBe(true);
    expect(csv.errorCounts['subtotal-row']).toBeGreaterThan(0);
    expect(csv.errorCounts['extra-cell']).toBeGreaterThan(0);
  });
});
