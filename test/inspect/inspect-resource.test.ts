import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { isDeclaredCompatible } from '../../src/inspect/encoding/index.ts';
import { corporaDir, fixturesDir, readBytes, readManifest } from './corpora.ts';
import { buildZip } from './zip-builder.ts';
import path from 'node:path';

const enc = (s: string) => new TextEncoder().encode(s);

describe('inspectResource on odbadge fixtures (fixtures/inspect/MANIFEST.json)', () => {
  const manifest = readManifest(fixturesDir);
  for (const [file, exp] of Object.entries<any>(manifest.files)) {
    it(`${file}: ${exp.what ?? exp.format}`, async () => {
      const facts = await inspectResource({ body: readBytes(fixturesDir, file), contentType: exp.contentType, declaredFormat: exp.declaredFormat, url: `https://data.example.gov.tw/${file}` });
      expect(facts.format).toBe(exp.format);
      if ('structured' in exp) expect(facts.structured, facts.structuredEvidence).toBe(exp.structured);
      expect(facts.structuredEvidence).not.toBe('');
      if (exp.encoding) expect(facts.encoding?.detected).toBe(exp.encoding);
      if (exp.declaredEncoding) {
        const verdict = isDeclaredCompatible(exp.declaredEncoding, facts.encoding!);
        expect(verdict.match, verdict.why).toBe(exp.encodingMatch);
        if (exp.invalidBig5Offset !== undefined) expect(verdict.why).toContain(`offset ${exp.invalidBig5Offset}`);
      }
      if (exp.fields) expect(facts.fields).toEqual(exp.fields);
      if (exp.recordCount !== undefined) expect(facts.recordCount).toBe(exp.recordCount);
      if (exp.errors) expect(facts.structuralErrors.map((e) => [e.row, e.field, e.type])).toEqual(exp.errors);
      if (exp.notData) expect(facts.notData?.kind).toBe(exp.notData);
      if (exp.excerptContains) expect(facts.notData?.excerpt).toContain(exp.excerptContains);
    });
  }
});

describe('inspectResource: structured judgement', () => {
  it('a real CP950 catalogue is a clean table (1,127 records, 27 fields)', async () => {
    const facts = await inspectResource({ body: readBytes(path.join(corporaDir, 'tw-encodings'), 'taipei-catalogue-2018.csv') });
    expect(facts).toMatchObject({ format: 'csv', structured: true, recordCount: 1127 });
    expect(facts.fields).toHaveLength(27);
    expect(facts.encoding?.detected).toBe('cp950');
  });
  it('JSON: well-formed is structured; malformed names the line', async () => {
    expect(await inspectResource({ body: enc('[{"a":1},{"a":2}]') })).toMatchObject({ format: 'json', structured: true, recordCount: 2, fields: ['a'] });
    const bad = await inspectResource({ body: enc('[{"a":1},\n{"a":}]') });
    expect(bad.structured).toBe(false);
    expect(bad.structuralErrors[0].type).toBe('malformed-json');
    expect(bad.structuredEvidence).toMatch(/line 2/);
  });
  it('a JSON body cut at the byte cap is not judged', async () => {
    const facts = await inspectResource({ body: enc('[{"a":1},{"a":'), truncated: true });
    expect(facts.structured).toBeNull();
    expect(facts.notes.join(' ')).toMatch(/cut/);
  });
  it('an API page of exactly 1,000 records is flagged as possibly truncated', async () => {
    const body = enc(JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({ id: i }))));
    expect((await inspectResource({ body })).possiblyTruncated).toBe(true);
    const csv = enc('id\n' + Array.from({ length: 500 }, (_, i) => `${i}\n`).join(''));
    expect((await inspectResource({ body: csv, declaredFormat: 'CSV' })).possiblyTruncated).toBe(true);
  });
  it('a JSON error envelope is noted as not data', async () => {
    const facts = await inspectResource({ body: enc('{"success":false,"message":"查無資料"}') });
    expect(facts.notData?.kind).toBe('json-error');
  });
  it('KML / XML: well-formed is structured, broken is not', async () => {
    const kml = await inspectResource({ body: enc('<?xml version="1.0"?><kml><Document><Placemark><name>a</name></Placemark><Placemark><name>b</name></Placemark></Document></kml>') });
    expect(kml).toMatchObject({ format: 'kml', structured: true });
    const broken = await inspectResource({ body: enc('<Root><Row><a>1</a></Row>') });
    expect(broken.structured).toBe(false);
    expect(broken.structuralErrors[0].type).toBe('malformed-xml');
  });
  it('XLSX is judged sheet by sheet (goodtables multilingual.xlsx: two clean sheets)', async () => {
    const facts = await inspectResource({ body: readBytes(path.join(corporaDir, 'goodtables-py'), 'multilingual.xlsx') });
    expect(facts).toMatchObject({ format: 'xlsx', structured: true });
    expect(facts.parts?.map((p) => p.name)).toEqual(['Entity', 'Division']);
  });
  it('an empty body is not data', async () => {
    expect(await inspectResource({ body: new Uint8Array() })).toMatchObject({ format: 'empty', structured: false, notData: { kind: 'empty' } });
  });
});

describe('inspectResource: ZIP archives are judged by their entries', () => {
  it('every entry structured → structured, with parts listed', async () => {
    const facts = await inspectResource({ body: buildZip([['a.csv', 'x,y\n1,2\n'], ['b.json', '[{"k":1}]'], ['dir/', '']]) });
    expect(facts.structured).toBe(true);
    expect(facts.parts?.map((p) => [p.name, p.format, p.structured])).toEqual([['a.csv', 'csv', true], ['b.json', 'json', true]]);
  });
  it('one PDF or broken CSV inside → not structured, naming the entry', async () => {
    const facts = await inspectResource({ body: buildZip([['a.csv', 'x,y\n1\n'], ['b.pdf', '%PDF-1.4']]) });
    expect(facts.structured).toBe(false);
    expect(facts.structuredEvidence).toMatch(/a\.csv|b\.pdf/);
    expect(facts.structuralErrors[0]).toMatchObject({ type: 'missing-cell', row: 2, cell: 'a.csv!row 2' });
  });
  it('KMZ judged by its KML', async () => {
    const facts = await inspectResource({ body: buildZip([['doc.kml', '<kml><Document/></kml>'], ['icon.png', '\x89PNG']]) });
    expect(facts).toMatchObject({ format: 'kmz', structured: true });
  });
  it('a zip bomb ratio is refused, not inflated: a property of the file, so not structured (fail), naming the limit', async () => {
    const facts = await inspectResource({ body: buildZip([['big.csv', 'a,b\n' + '1,2\n'.repeat(500_000)]]) });
    expect(facts.structured).toBe(false);
    expect(facts.parts?.[0].note).toMatch(/zip bomb/);
    expect(facts.limits?.map((h) => [h.name, h.limit, h.where])).toEqual([['maxZipRatio', 200, 'big.csv']]);
    expect(facts.structuredEvidence).toMatch(/^stopped at the inspection limit maxZipRatio = 200: big\.csv: compression ratio \d+:1/);
  });
  it('a ZIP cut short is judged on what can be read', async () => {
    const zip = buildZip([['a.csv', 'x,y\n1,2\n'], ['b.csv', 'x,y\n3,4\n']]);
    const facts = await inspectResource({ body: zip.subarray(0, 60), truncated: true });
    expect(['zip', 'unknown']).toContain(facts.format);
    expect(facts.structuralErrors.every((e) => typeof e.message === 'string')).toBe(true);
  });
});

describe('inspectResource never throws and never hangs (fuzz)', () => {
  const seeds = [
    enc('a,b\n1,2\n'),
    enc('[{"a":1}]'),
    enc('<Root><Row/></Root>'),
    enc('<!DOCTYPE html><html></html>'),
    buildZip([['a.csv', 'x,y\n1,2\n']]),
    readBytes(fixturesDir, 'big5-declared-utf8.csv'),
    new Uint8Array([0xff, 0xfe, 0x41, 0x00]),
    enc('%PDF-1.4'),
  ];
  const mutated = fc
    .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat())
    .map(([seed, edits, cut]) => {
      const b = new Uint8Array(seed);
      for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
      return b.subarray(0, b.length ? (cut % (b.length + 1)) : 0);
    });
  const arbitraryBody = fc.oneof(fc.uint8Array({ maxLength: 2048 }), mutated);

  it('random and mutated bytes always give ResourceFacts', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryBody, fc.boolean(), fc.constantFrom(undefined, 'text/csv', 'application/json', 'text/html'), async (body, truncated, contentType) => {
        const facts = await inspectResource({ body, truncated, contentType });
        expect(typeof facts.format).toBe('string');
        expect([true, false, null]).toContain(facts.structured);
        expect(Array.isArray(facts.structuralErrors)).toBe(true);
        expect(Array.isArray(facts.notes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
