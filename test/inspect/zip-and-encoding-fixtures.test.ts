// ZIP archives judged by their entries, and encodings beyond UTF-8 / Big5: fixtures/inspect/{zip,encodings}.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { isDeclaredCompatible } from '../../src/inspect/encoding/index.ts';
import { fixturesDir, readBytes, readManifest } from './corpora.ts';
import { buildZip } from './zip-builder.ts';

describe('ZIP fixtures', () => {
  const dir = path.join(fixturesDir, 'zip');
  for (const [file, exp] of Object.entries<any>(readManifest(dir).files)) {
    it(`${file}: ${exp.what}`, async () => {
      const facts = await inspectResource({ body: readBytes(dir, file), url: file });
      expect(facts.format).toBe(exp.format);
      expect(facts.structured, facts.structuredEvidence).toBe(exp.structured);
      expect(facts.parts?.map((p) => [p.name, p.format, p.structured])).toEqual(exp.parts);
      for (const s of exp.evidenceContains) expect(facts.structuredEvidence).toContain(s);
      if (exp.errors) expect(facts.structuralErrors.map((e) => [e.row, e.field, e.type])).toEqual(exp.errors);
      if (exp.notesContain) expect(facts.notes.join('\n')).toContain(exp.notesContain);
    });
  }

  it('an archive with more entries than the limit reports the limit and is not structured (fail, not unsure)', async () => {
    const entries: [string, string][] = Array.from({ length: 2005 }, (_, i) => [`part-${i}.csv`, 'a,b\n1,2\n']);
    const facts = await inspectResource({ body: buildZip(entries) });
    expect(facts.structured).toBe(false);
    expect(facts.limits?.map((h) => [h.name, h.limit, h.observed])).toEqual([['maxZipEntries', 2000, 2005], ['maxZipEntriesInspected', 100, 2000]]);
    expect(facts.notes.join('\n')).toMatch(/ZIP limit: entry count: the archive declares 2005 entries, above the limit of 2000/);
    expect(facts.parts).toHaveLength(100);
  });

  it('entries declaring more than the total size limit are reported and not inflated', async () => {
    const zip = buildZip([['a.csv', 'a,b\n1,2\n']]);
    // declare 300 MB uncompressed in the central directory entry (offset of the size field: 46-byte header + 24)
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const cd = view.getUint32(zip.length - 22 + 16, true);
    view.setUint32(cd + 24, 300 * 1024 * 1024, true);
    const facts = await inspectResource({ body: zip });
    expect(facts.notes.join('\n')).toMatch(/ZIP limit: total size: the entries declare 314572800 bytes/);
    expect(facts.structured).toBe(false);
    expect(facts.limits?.map((h) => [h.name, h.observed])).toEqual([['maxZipInflatedBytes', 314572800]]);
  });
});

describe('encoding fixtures', () => {
  const dir = path.join(fixturesDir, 'encodings');
  for (const [file, exp] of Object.entries<any>(readManifest(dir).files)) {
    it(`${file}${exp.what ? `: ${exp.what}` : ''}`, async () => {
      const facts = await inspectResource({ body: readBytes(dir, file), url: file });
      expect(facts.format).toBe(exp.format);
      if (exp.encoding) expect(facts.encoding?.detected).toBe(exp.encoding);
      if (exp.bom) expect(facts.encoding?.bom).toBe(exp.bom);
      if ('structured' in exp) expect(facts.structured).toBe(exp.structured);
      if (exp.fields) expect(facts.fields).toEqual(exp.fields);
      if (exp.recordCount !== undefined) expect(facts.recordCount).toBe(exp.recordCount);
      if (exp.invalidAt) {
        expect(facts.encoding?.invalidAt?.offset).toBe(exp.invalidAt.offset);
        expect(facts.encoding?.invalidAt?.bytes).toBe(exp.invalidAt.bytes);
        expect(facts.encoding?.evidence).toContain(`offset ${exp.invalidAt.offset}`);
      }
      const verdict = isDeclaredCompatible(exp.declaredEncoding, facts.encoding!);
      expect(verdict.match, verdict.why).toBe(exp.encodingMatch);
      if (exp.mismatchContains) expect(verdict.why).toContain(exp.mismatchContains);
    });
  }
});
