// Property tests: random and mutated bytes through the spreadsheet and ZIP paths (both spreadsheet readers, the
// ZIP inspector, the streaming entry). Whatever the bytes: facts come back, no exception escapes, no hang.
import path from 'node:path';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectResource } from '../../src/inspect/index.ts';
import { inspectSpreadsheet } from '../../src/inspect/spreadsheet/index.ts';
import { inspectStream } from '../../src/inspect/stream.ts';
import { fixturesDir, readBytes } from './corpora.ts';

const RUNS = 60;
const load = (dir: string) => readdirSync(path.join(fixturesDir, dir)).filter((f) => !f.endsWith('.json')).map((f) => readBytes(path.join(fixturesDir, dir), f));
const seeds = [...load('spreadsheets'), ...load('zip')];

/** A seed with a few byte edits: flips, deletions, truncation, inserted random runs. */
const mutated: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 32 }) }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([seed, edits]) => {
    let b = Buffer.from(seed);
    for (const e of edits) {
      const at = b.length === 0 ? 0 : e.at % b.length;
      if (e.kind === 'flip') b[at] = e.value;
      else if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.len)]);
      else if (e.kind === 'truncate') b = b.subarray(0, at);
      else b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes), b.subarray(at)]);
    }
    return new Uint8Array(b);
  });

/** Random bytes behind a ZIP or OLE2 signature, so they reach the container parsers. */
const signed = fc.tuple(fc.constantFrom([0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), fc.uint8Array({ maxLength: 2048 })).map(([sig, rest]) => new Uint8Array([...sig, ...rest]));

function sane(facts: Awaited<ReturnType<typeof inspectResource>>): void {
  expect(typeof facts.format).toBe('string');
  expect(typeof facts.structuredEvidence).toBe('string');
  expect(facts.structuredEvidence).not.toMatch(/inspection failed/);
  expect(Array.isArray(facts.structuralErrors)).toBe(true);
}

describe('spreadsheet and ZIP inspectors under random bytes', () => {
  it('SheetJS is stopped at its deadline (fuzzing found corrupt XLSX files it loops on forever)', async () => {
    const ods = readBytes(path.join(fixturesDir, 'spreadsheets'), 'clean.ods');
    const facts = await inspectSpreadsheet(ods, 'ods', { timeoutMs: 1 });
    expect(facts.problem).toMatch(/could not be read within 0 s \(a corrupt file\?\)/);
    expect((await inspectResource({ body: ods, spreadsheet: { timeoutMs: 1 } })).structured).toBeNull();
    // an XLSX SheetJS gave up on is read by the streaming reader instead
    const xlsx = await inspectSpreadsheet(readBytes(path.join(fixturesDir, 'spreadsheets'), 'clean.xlsx'), 'xlsx', { timeoutMs: 1 });
    expect(xlsx.reader).toBe('stream');
    expect(xlsx.sheets.map((x) => x.name)).toEqual(['人口', '面積']);
  });

  it('mutated workbooks and archives: inspectResource returns facts (both spreadsheet readers)', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, fc.boolean(), async (body, stream) => {
        sane(await inspectResource({ body, spreadsheet: { timeoutMs: 3000, ...(stream ? { streamAbove: 0 } : {}) } }));
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 20_000 },
    );
  }, 30_000);

  it('random bytes behind container signatures', async () => {
    await fc.assert(
      fc.asyncProperty(signed, async (body) => {
        sane(await inspectResource({ body, spreadsheet: { timeoutMs: 3000 } }));
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 10_000 },
    );
  }, 20_000);

  it('inspectSpreadsheet never throws, whatever it is told the format is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.uint8Array({ maxLength: 1024 })), fc.constantFrom('xlsx' as const, 'xls' as const, 'ods' as const), fc.boolean(), async (body, format, stream) => {
        const s = await inspectSpreadsheet(body, format, { timeoutMs: 3000, ...(stream ? { streamAbove: 0 } : {}) });
        expect(Array.isArray(s.sheets)).toBe(true);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 20_000 },
    );
  }, 30_000);

  it('the streaming entry takes random chunks of random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), async (parts) => {
        async function* source() {
          yield* parts;
        }
        sane(await inspectStream(source()));
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 10_000 },
    );
  }, 20_000);
});
