// Spreadsheets judged sheet by sheet: every fixture in fixtures/inspect/spreadsheets/MANIFEST.json through both
// readers (SheetJS, and the streaming XLSX / ODS readers by lowering their threshold), which must give the same facts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { inspectSpreadsheet } from '../../src/inspect/spreadsheet/index.ts';
import { corporaDir, fixturesDir, readBytes, readManifest } from './corpora.ts';
import { buildZip } from './zip-builder.ts';

const dir = path.join(fixturesDir, 'spreadsheets');
const manifest = readManifest(dir);

describe('spreadsheet fixtures', () => {
  for (const [file, exp] of Object.entries<any>(manifest.files)) {
    const readers = /\.(xlsx|ods)$/.test(file) ? (['sheetjs', 'stream'] as const) : (['sheetjs'] as const);
    for (const reader of readers) {
      it(`${file} (${reader}): ${exp.what ?? (exp.structured ? 'clean' : exp.errors.map((e: unknown[]) => e[2]).join(', '))}`, async () => {
        const facts = await inspectResource({ body: readBytes(dir, file), url: file, spreadsheet: reader === 'stream' ? { streamAbove: 0 } : {} });
        expect(facts.format).toBe(exp.format);
        expect(facts.structured, facts.structuredEvidence).toBe(exp.structured);
        expect(facts.structuralErrors.map((e) => [e.row, e.field, e.type, e.cell])).toEqual(exp.errors);
        if (exp.fields) expect(facts.fields).toEqual(exp.fields);
        if (exp.recordCount !== undefined) expect(facts.recordCount).toBe(exp.recordCount);
        if (exp.sheets) expect(facts.parts?.map((p) => p.name)).toEqual(exp.sheets);
        if (exp.evidenceContains) expect(facts.structuredEvidence).toContain(exp.evidenceContains);
        for (const e of facts.structuralErrors) expect(e.message).toContain(e.cell!.split(':')[0].replace(/^.*!/, ''));
        if (reader === 'stream') expect(facts.notes.join(' ')).toMatch(/read as a stream/);
      });
    }
  }

  it('the merged-cell evidence reads "merged cells Sheet1!B7:D7"', async () => {
    const facts = await inspectResource({ body: readBytes(dir, 'merged.xlsx') });
    expect(facts.structuralErrors[0].message).toBe('merged cells Sheet1!B7:D7');
  });

  it('a multi-sheet workbook where only Sheet2 is bad: every sheet judged, the evidence names Sheet2', async () => {
    const facts = await inspectResource({ body: readBytes(dir, 'sheet2-bad.xlsx') });
    expect(facts.parts).toEqual([
      expect.objectContaining({ name: 'Sheet1', structured: true }),
      expect.objectContaining({ name: 'Sheet2', structured: false }),
    ]);
    expect(facts.structuredEvidence).toMatch(/^1 of 2 sheets .*Sheet2: 1 blank-row, 1 subtotal-row/);
    expect(facts.structuralErrors.every((e) => e.cell?.startsWith('Sheet2!'))).toBe(true);
  });

  it('both readers agree on every sheet, error and count of every ODS fixture', async () => {
    const files = Object.keys(manifest.files).filter((f) => f.endsWith('.ods'));
    expect(files).toHaveLength(7);
    for (const file of files) {
      const body = readBytes(dir, file);
      const a = await inspectSpreadsheet(body, 'ods');
      const b = await inspectSpreadsheet(body, 'ods', { streamAbove: 0 });
      expect(a.reader).toBe('sheetjs');
      expect(b.reader).toBe('stream');
      expect(b.sheets, file).toEqual(a.sheets);
    }
  });

  it('both readers agree on every sheet, error and count of every XLSX fixture', async () => {
    for (const file of Object.keys(manifest.files).filter((f) => f.endsWith('.xlsx'))) {
      const body = readBytes(dir, file);
      const a = await inspectSpreadsheet(body, 'xlsx');
      const b = await inspectSpreadsheet(body, 'xlsx', { streamAbove: 0 });
      expect(a.reader).toBe('sheetjs');
      expect(b.reader).toBe('stream');
      expect(b.sheets, file).toEqual(a.sheets);
    }
  });
});

describe('spreadsheets from the goodtables-py corpus and broken workbooks', () => {
  it('multilingual.xlsx: both sheets with the row and column counts the manifest gives', async () => {
    const corpus = path.join(corporaDir, 'goodtables-py');
    const exp = readManifest(corpus).files['multilingual.xlsx'];
    const body = readBytes(corpus, 'multilingual.xlsx');
    for (const streamAbove of [undefined, 0]) {
      const s = await inspectSpreadsheet(body, 'xlsx', streamAbove === undefined ? {} : { streamAbove });
      expect(s.sheets.map((x) => x.name)).toEqual(exp.sheets.map((x: any) => x.name));
      for (const [i, sheet] of s.sheets.entries()) {
        expect(sheet.rowCount).toBe(exp.sheets[i].rows);
        expect(sheet.header.length).toBe(exp.sheets[i].columns);
        expect(sheet.errorCounts['merged-cell'] ?? 0).toBe(exp.sheets[i].mergedCells);
      }
    }
  });

  it('an XLSX that is not a workbook gives a clear finding, not a crash', async () => {
    const fake = buildZip([['[Content_Types].xml', '<Types/>'], ['xl/workbook.xml', '<workbook><sheets><sheet name="A" r:id="rId1"']]);
    for (const streamAbove of [undefined, 0]) {
      const facts = await inspectResource({ body: fake, spreadsheet: streamAbove === undefined ? {} : { streamAbove } });
      expect(facts.format).toBe('xlsx');
      expect(facts.structured).not.toBe(true);
      expect(facts.structuredEvidence.length).toBeGreaterThan(10);
    }
  });

  it('a workbook cut at the download cap is not judged', async () => {
    const body = readBytes(dir, 'clean.xlsx');
    const facts = await inspectResource({ body: body.subarray(0, 3000), truncated: true });
    expect(facts.structured).toBeNull();
    expect(facts.structuredEvidence).toMatch(/cut/);
  });
});
