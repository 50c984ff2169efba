// ZIP archives against the inspection limits: ZIP64 directories read right (the entry count of a ZIP64 archive was
// reported as 65535), an entry that inflates past its declared size stopped as a bomb, and every ZIP limit a fail.
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { inspectSpreadsheet } from '../../src/inspect/spreadsheet/index.ts';
import { listZipEntries } from '../../src/inspect/archive/zip.ts';
import { buildZip } from '../../src/util/zip-writer.ts';
import { xlsx } from '../hostile/bomb-files.ts';

describe('ZIP64', () => {
  it('an archive of 70,000 entries: the ZIP64 end record gives the real count, and the entry-count limit names it', async () => {
    const body = buildZip(Array.from({ length: 70_000 }, (_, i) => ({ name: `p${i}.csv`, data: 'a,b\n1,2\n' })));
    // the classic end record can only say 0xFFFF
    expect(body.readUInt16LE(body.length - 22 + 10)).toBe(0xffff);
    const listed = listZipEntries(body, 2000);
    expect(listed.declaredCount).toBe(70000);
    expect(listed.entries).toHaveLength(2000);
    expect(listed.entries[1999].name).toBe('p1999.csv');
    const facts = await inspectResource({ body });
    expect(facts.structured).toBe(false);
    expect(facts.limits?.[0]).toMatchObject({ name: 'maxZipEntries', limit: 2000, observed: 70000 });
    expect(facts.notes.join('\n')).toContain('ZIP limit: entry count: the archive declares 70000 entries, above the limit of 2000; the first 2000 were listed');
    expect(facts.structuredEvidence).toBe(
      'stopped at the inspection limit maxZipEntries = 2000: the archive\'s directory declares 70000 entries; raise it with --limit maxZipEntries=<n> (inspect) or ODBADGE_LIMITS="maxZipEntries=<n>" (any command)',
    );
  }, 30_000);

  it('sizes and offsets in ZIP64 extra fields (the 32-bit fields say 0xFFFFFFFF) are read: a ZIP64 archive of two CSVs is judged', async () => {
    const body = buildZip([{ name: '人口.csv', data: '區,人口\n大安,1200\n' }, { name: '面積.csv', data: '區,面積\n大安,11.36\n' }], { zip64: true });
    const listed = listZipEntries(body, 2000);
    expect(listed.entries.map((e) => [e.name, e.size])).toEqual([['人口.csv', 23], ['面積.csv', 24]]);
    const facts = await inspectResource({ body });
    expect(facts.structured).toBe(true);
    expect(facts.parts?.map((p) => [p.name, p.format, p.structured])).toEqual([['人口.csv', 'csv', true], ['面積.csv', 'csv', true]]);
  });

  it('an XLSX written as ZIP64 is read by both spreadsheet readers alike', async () => {
    const sheetData = '<row r="1"><c r="A1" t="inlineStr"><is><t>名稱</t></is></c><c r="B1" t="inlineStr"><is><t>值</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2"><v>1</v></c></row>';
    const plain = await inspectSpreadsheet(new Uint8Array(xlsx({ sheetData })), 'xlsx');
    for (const streamAbove of [undefined, 0]) {
      const z = await inspectSpreadsheet(new Uint8Array(xlsx({ sheetData, zip64: true })), 'xlsx', streamAbove === undefined ? {} : { streamAbove });
      expect(z.problem).toBeUndefined();
      expect(z.sheets).toEqual(plain.sheets);
      expect(z.sheets[0]).toMatchObject({ header: ['名稱', '值'], recordCount: 1, errorTotal: 0 });
    }
  });
});

describe('ZIP bombs and limits are fail, never unsure', () => {
  it('an entry whose directory understates its size is stopped at the declared size (a bomb), not inflated', async () => {
    const body = buildZip([{ name: 'big.csv', data: 'a,b\n' + '1,2\n'.repeat(250_000) }]);
    // the central directory entry's uncompressed size (offset 24 of its 46-byte header) now says 100 bytes
    const cd = body.readUInt32LE(body.length - 22 + 16);
    body.writeUInt32LE(100, cd + 24);
    const facts = await inspectResource({ body, limits: { maxZipRatio: 1_000_000 } });
    expect(facts.structured).toBe(false);
    expect(facts.limits?.map((h) => [h.name, h.where])).toEqual([['maxZipRatio', 'big.csv']]);
    expect(facts.parts?.[0].note).toBe('inflates past the 100 bytes its directory declares (a zip bomb?); stopped');
  });

  it('a data entry above maxZipEntryBytes is not inflated and fails the archive, naming the entry', async () => {
    const body = buildZip([{ name: 'a.csv', data: 'a,b\n1,2\n' }, { name: 'b.csv', data: 'a,b\n' + '3,4\n'.repeat(1000) }]);
    const facts = await inspectResource({ body, limits: { maxZipEntryBytes: 1000 } });
    expect(facts.structured).toBe(false);
    expect(facts.limits).toEqual([{ name: 'maxZipEntryBytes', limit: 1000, observed: 4004, where: 'b.csv', message: 'b.csv: entry declares 4004 bytes, above the 1000-byte limit' }]);
    expect(facts.parts?.map((p) => [p.name, p.structured])).toEqual([['a.csv', true], ['b.csv', null]]);
  });

  it('a limit reached inside an entry is the archive\'s, with the entry named', async () => {
    const body = buildZip([{ name: 'deep.json', data: '['.repeat(300) + ']'.repeat(300) }]);
    const facts = await inspectResource({ body });
    expect(facts.structured).toBe(false);
    expect(facts.limits?.map((h) => [h.name, h.where])).toEqual([['maxJsonDepth', 'deep.json:line 1, column 257']]);
    expect(facts.structuredEvidence).toMatch(/^stopped at the inspection limit maxJsonDepth = 256: deep\.json: arrays and objects nest more than 256 levels deep/);
    expect(facts.structuralErrors.filter((e) => e.type === 'limit-exceeded')).toHaveLength(1);
  });

  it('more data entries than maxZipEntriesInspected: the rest are not inspected and the archive fails', async () => {
    const body = buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `m${i}.csv`, data: 'a,b\n1,2\n' })));
    const facts = await inspectResource({ body, limits: { maxZipEntriesInspected: 3 } });
    expect(facts.parts).toHaveLength(3);
    expect(facts.limits?.map((h) => [h.name, h.limit, h.observed])).toEqual([['maxZipEntriesInspected', 3, 5]]);
    expect(facts.structured).toBe(false);
  });
});
