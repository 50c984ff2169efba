// Workbooks against the inspection limits: both readers (SheetJS in its child process, and the streaming XLSX / ODS
// readers) stop at the same limits and agree on what they read; a SheetJS process that dies is a finding and the
// inspector carries on; LibreOffice-style ODS (repeats, covered cells, paragraphs, annotations) read alike by both.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { inspectSpreadsheet } from '../../src/inspect/spreadsheet/index.ts';
import { runRule } from '../../src/rules/rule.ts';
import { structured } from '../../src/rules/structured.ts';
import { fixturesDir, readBytes } from './corpora.ts';
import { ods, xlsx } from '../hostile/bomb-files.ts';

const spreadsheets = path.join(fixturesDir, 'spreadsheets');
const HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>名稱</t></is></c><c r="B1" t="inlineStr"><is><t>值</t></is></c></row>';
const BOTH = [{}, { streamAbove: 0 }] as const;
const readerOf = (opts: { streamAbove?: number }) => (opts.streamAbove === 0 ? 'stream' : 'sheetjs');

describe('XLSX limits, both readers', () => {
  it('a cell past column XFD stops at maxColumns, naming the cell', async () => {
    const body = xlsx({ sheetData: `${HEADER}<row r="2"><c r="A2"><v>1</v></c><c r="XFE2"><v>2</v></c></row>` });
    for (const opts of BOTH) {
      const facts = await inspectResource({ body, spreadsheet: opts });
      expect(facts.structured, readerOf(opts)).toBe(false);
      expect(facts.limits?.map((h) => [h.name, h.limit, h.observed, h.where])).toEqual([['maxColumns', 16384, 16385, 'Sheet1!XFE2']]);
    }
  });

  it('a 2,000,000-character inline string stops at maxCellChars; the string is never built by the streaming reader', async () => {
    const body = xlsx({ sheetData: `${HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>${'x'.repeat(2_000_000)}</t></is></c><c r="B2"><v>2</v></c></row>` });
    const whole = await inspectResource({ body });
    expect(whole.limits).toEqual([{ name: 'maxCellChars', limit: 1048576, observed: 2000000, where: 'Sheet1!A2', message: 'cell Sheet1!A2 has 2000000 characters' }]);
    const streamed = await inspectResource({ body, spreadsheet: { streamAbove: 0 } });
    expect(streamed.limits?.map((h) => h.name)).toEqual(['maxCellChars']);
    expect(streamed.limits?.[0].message).toBe('cell Sheet1!A2 of xl/worksheets/sheet1.xml has more than 1048576 characters');
    // within one 64 KiB slice of the limit: reading stopped there
    expect(streamed.limits?.[0].observed).toBeLessThanOrEqual(1048576 + 65536);
  });

  it('maxCells counts the non-empty cells of the whole workbook', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${i}</v></c><c r="B${i + 2}"><v>${i}</v></c></row>`).join('');
    const body = xlsx({ sheetData: HEADER + rows });
    for (const opts of BOTH) {
      const facts = await inspectResource({ body, spreadsheet: opts, limits: { maxCells: 10 } });
      expect(facts.limits?.map((h) => [h.name, h.observed, h.where]), readerOf(opts)).toEqual([['maxCells', 12, 'Sheet1!row 6']]);
      expect((await inspectResource({ body, spreadsheet: opts, limits: { maxCells: 12 } })).structured).toBe(true);
    }
  });

  it('a row numbered 2,000,000,000 is counted, not walked: both readers finish at once and agree', async () => {
    const body = xlsx({ sheetData: `${HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2"><v>1</v></c></row><row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>b</t></is></c><c r="B2000000000"><v>2</v></c></row>` });
    const [a, b] = await Promise.all(BOTH.map((opts) => inspectSpreadsheet(body, 'xlsx', opts)));
    expect([a.reader, b.reader]).toEqual(['sheetjs', 'stream']);
    expect(b.sheets).toEqual(a.sheets);
    expect(a.sheets[0]).toMatchObject({ rowCount: 2000000000, recordCount: 2, errorTotal: 1999999997, errorCounts: { 'blank-row': 1999999997 } });
    expect(a.sheets[0].errors).toHaveLength(1000);
  }, 30_000);

  it('a 5,000-character header label is kept as its first 1,024 characters by both readers', async () => {
    const body = xlsx({ sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>${'長'.repeat(5000)}</t></is></c><c r="B1" t="inlineStr"><is><t>值</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>` });
    for (const opts of BOTH) {
      const facts = await inspectResource({ body, spreadsheet: opts });
      expect(facts.structured, readerOf(opts)).toBe(true);
      expect(facts.fields).toEqual(['長'.repeat(1024), '值']);
    }
  });

  it('shared strings past maxSharedStrings stop the streaming reader; the kept labels still come from the first rows', async () => {
    const strings = ['名稱', '值', ...Array.from({ length: 50 }, (_, i) => `s${i}`)];
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;
    const body = xlsx({ sheetData: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>5</v></c></row>', sharedStrings: sst });
    const ok = await inspectResource({ body, spreadsheet: { streamAbove: 0 } });
    expect(ok).toMatchObject({ structured: true, fields: ['名稱', '值'] });
    const hit = await inspectResource({ body, spreadsheet: { streamAbove: 0 }, limits: { maxSharedStrings: 40 } });
    expect(hit.limits?.map((h) => [h.name, h.limit, h.observed])).toEqual([['maxSharedStrings', 40, 41]]);
  });

  it('an XLS above maxXlsBytes is refused before SheetJS sees it', async () => {
    const facts = await inspectResource({ body: readBytes(spreadsheets, 'legacy.xls'), limits: { maxXlsBytes: 1000 } });
    expect(facts.structured).toBe(false);
    expect(facts.limits?.[0]).toMatchObject({ name: 'maxXlsBytes', limit: 1000 });
    expect(facts.structuredEvidence).toMatch(/^stopped at the inspection limit maxXlsBytes = 1000: the XLS workbook is \d+ bytes; only SheetJS reads XLS/);
  });
});

describe('SheetJS runs in a child process whose death odbadge survives', () => {
  it('an XLS SheetJS cannot read within its heap kills its process: a finding naming xlsHeapMb, and the next workbook is read', async () => {
    const xls = readBytes(spreadsheets, 'legacy.xls');
    const died = await inspectResource({ body: xls, limits: { xlsHeapMb: 8 } });
    expect(died.structured).toBe(false);
    expect(died.limits?.map((h) => [h.name, h.limit])).toEqual([['xlsHeapMb', 8]]);
    expect(died.limits?.[0].message).toBe('SheetJS needed more than its 8 MB heap to read this XLS workbook (its process died; odbadge did not)');
    const verdict = runRule(structured, { facts: died, options: {} } as never);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.evidence).toMatch(/^xls: stopped at the inspection limit xlsHeapMb = 8: SheetJS needed more than its 8 MB heap/);
    // the same process carries on
    expect(await inspectResource({ body: xls })).toMatchObject({ format: 'xls', structured: true, recordCount: 6 });
  });

  it('an ODS whose repeats SheetJS expands (1,000 × 1,000,000 cells in 1 KB) kills SheetJS\'s process; the streaming reader stops it at maxCells', async () => {
    const body = ods({ tables: '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell></table:table-row></table:table>' });
    expect(body.length).toBeLessThan(2000);
    const facts = await inspectResource({ body, limits: { sheetJsHeapMb: 32, maxCells: 2_000_000 } });
    expect(facts.format).toBe('ods');
    expect(facts.structured).toBe(false);
    expect(facts.notes).toContain('large ODS: read as a stream (rows, merges, formulas; repeated cells expanded)');
    expect(facts.limits).toEqual([{ name: 'maxCells', limit: 2000000, observed: 2000001, where: 'S!row 2001', message: 'the workbook has more than 2000000 non-empty cells (reached in sheet S, row 2001)' }]);
  }, 60_000);

  it('a SheetJS process past its deadline is killed: unsure (the time depends on the machine), not a limit', async () => {
    const facts = await inspectResource({ body: readBytes(spreadsheets, 'legacy.xls'), limits: { sheetJsTimeoutMs: 1 } });
    expect(facts.structured).toBeNull();
    expect(facts.limits).toBeUndefined();
    expect(facts.structuredEvidence).toMatch(/could not be read within 0 s/);
  });
});

describe('ODS: the streaming reader reads what SheetJS reads', () => {
  const tables = `<table:table table:name="人口"><table:table-column table:number-columns-repeated="4"/><table:table-header-rows><table:table-row>
<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>區</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>男<text:s/>性</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>女</text:p><text:p>性</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p><text:span text:style-name="T1">人口</text:span></text:p><office:annotation><dc:creator>x</dc:creator><text:p>note</text:p></office:annotation></table:table-cell>
<table:table-cell table:number-columns-repeated="1020"/></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell office:value-type="string"><text:p>大安</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="100" table:number-columns-repeated="2"><text:p>100</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="string"><text:p>信義</text:p></table:table-cell><table:table-cell office:value-type="currency" office:currency="TWD" office:value="3"><text:p>NT$3</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="0" calcext:value-type="error" table:formula="of:=1/[.B2]"><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1" office:value-type="string"><text:p>  合  併  </text:p></table:table-cell><table:covered-table-cell/><table:table-cell office:value-type="date" office:date-value="2024-01-31"><text:p>2024/1/31</text:p></table:table-cell><table:table-cell office:value-type="string" office:string-value="attr text"><text:p>shown</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell/><table:table-cell office:value-type="string"><text:p>a<text:tab/>b<text:line-break/>c <text:s text:c="3"/>d</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table><table:table table:name="Sheet2"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>`;

  it('repeats, covered cells, spaces, paragraphs, annotations, value types and formulas, as LibreOffice writes them', async () => {
    const body = new Uint8Array(ods({ tables }));
    const a = await inspectSpreadsheet(body, 'ods');
    const b = await inspectSpreadsheet(body, 'ods', { streamAbove: 0 });
    expect([a.reader, b.reader]).toEqual(['sheetjs', 'stream']);
    expect(b.sheets).toEqual(a.sheets);
    expect(b.sheets.map((s) => [s.name, s.empty])).toEqual([['人口', false], ['Sheet2', true]]);
    expect(b.sheets[0]).toMatchObject({ header: ['區', '男 性', '女\n性', '人口'], rowCount: 6, recordCount: 5, errorCounts: { formula: 2, 'merged-cell': 1 } });
    expect(b.sheets[0].errors.map((e) => [e.type, e.cell, e.message])).toEqual([
      ['formula', '人口!D3', 'formula in 人口!D3: =1/B2; publish the values, not the formulas'],
      ['formula', '人口!D4', 'formula in 人口!D4: =1/B2; publish the values, not the formulas'],
      ['merged-cell', '人口!A5:B5', 'merged cells 人口!A5:B5'],
    ]);
  });

  it('a large ODS on disk is streamed by inspectFile, not skipped', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { inspectFile } = await import('../../src/inspect/stream.ts');
    const dir = await mkdtemp(path.join(tmpdir(), 'odbadge-ods-'));
    try {
      const file = path.join(dir, 'big.ods');
      await writeFile(file, ods({ tables }));
      const facts = await inspectFile(file, {}, { streamAbove: 0 });
      expect(facts.format).toBe('ods');
      expect(facts.notes).toContain('large ODS: read as a stream (rows, merges, formulas; repeated cells expanded)');
      expect(facts.structuralErrors.map((e) => e.cell)).toEqual(['人口!D3', '人口!D4', '人口!A5:B5']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
