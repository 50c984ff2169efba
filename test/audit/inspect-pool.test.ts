// Inspection on worker threads (issue 13) gives the facts inspection on the main thread gives — for every format,
// bodies small (copied: they may share their buffer with other data) and large (transferred), in memory and in a
// spill file — and an OpenAPI document validates the same; a body shared with other data is left intact.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InspectPool, LocalInspector } from '../../src/pipeline/inspect-pool.ts';

const INSPECT = join(import.meta.dirname, '../../fixtures/inspect');
const OPENAPI = join(import.meta.dirname, '../../fixtures/corpora/openapi');
const files = [
  'big5-declared-utf8.csv', 'blank-row.csv', 'tab-separated.tsv', 'magic.pdf', 'landing-page.html',
  'json/wrapped-depth2.json', 'json/malformed.json', 'json/features.geojson',
  'spreadsheets/merged.xlsx', 'spreadsheets/clean.ods', 'spreadsheets/legacy.xls',
  ...readdirSync(join(INSPECT, 'xml')).slice(0, 2).map((f) => `xml/${f}`),
  ...readdirSync(join(INSPECT, 'zip')).filter((f) => f.endsWith('.zip')).slice(0, 2).map((f) => `zip/${f}`),
];

const pool = new InspectPool(2);
const local = new LocalInspector();
afterAll(() => pool.close());

describe('inspection worker pool', () => {
  it.each(files)('%s: the same facts on a worker thread as on the main thread', async (name) => {
    const bytes = readFileSync(join(INSPECT, name));
    const job = { url: `https://example.org/${name}`, declaredFormat: 'CSV', truncated: false };
    const here = await local.inspect({ ...job, body: new Uint8Array(bytes) });
    // A view into a larger buffer, with other data on both sides: copied for the worker, never detached.
    const shared = new Uint8Array(bytes.length + 20).fill(7);
    shared.set(bytes, 10);
    const view = shared.subarray(10, 10 + bytes.length);
    expect(await pool.inspect({ ...job, body: view })).toEqual(here);
    expect(shared.byteLength).toBe(bytes.length + 20);
    expect([shared[0], shared[9], shared[bytes.length + 10], shared.at(-1)]).toEqual([7, 7, 7, 7]);
    // The same body as a spill file (inspected streaming, as a local file is: its facts may note that).
    expect(await pool.inspect({ ...job, bodyFile: join(INSPECT, name) })).toEqual(await local.inspect({ ...job, bodyFile: join(INSPECT, name) }));
  }, 60_000);

  it('a large body is transferred, not copied, and inspected the same', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `里${i},${i * 3}`).join('\r\n');
    const body = new Uint8Array(Buffer.from(`村名,人口\r\n${rows}\r\n`));
    const copy = body.slice();
    const job = { url: 'https://example.org/big.csv', declaredFormat: 'CSV', truncated: false };
    const facts = await pool.inspect({ ...job, body });
    expect(body.byteLength).toBe(0); // handed over to the worker
    expect(facts).toEqual(await local.inspect({ ...job, body: copy }));
    expect([facts.format, facts.structured, facts.recordCount]).toEqual(['csv', true, 20_000]);
  }, 60_000);

  it('validates an OpenAPI document the same way on a worker thread', async () => {
    for (const f of ['pass/oas30-link-example.yaml', 'fail/oas30-response-without-description.yaml']) {
      const bytes = readFileSync(join(OPENAPI, f));
      const mine = await local.validateOpenApi({ body: new Uint8Array(bytes), filename: f });
      expect(await pool.validateOpenApi({ body: new Uint8Array(bytes), filename: f })).toEqual(mine);
      expect(mine.valid).toBe(f.startsWith('pass/'));
    }
  }, 60_000);
});

describe('a worker that dies', () => {
  it('fails only the job it had (answered with the death, which the observer records as "inspection failed"); the next body goes to a fresh worker', async () => {
    // 32 MB: enough for a fresh worker to load the inspectors every time (at 16 MB it failed 2 loads in 10), far too
    // little for the body below.
    const small = new InspectPool(1, { heapMb: 32 });
    try {
      // Two million JSON records: parsing them needs far more than the worker's 32 MB heap.
      const huge = new Uint8Array(Buffer.from(`[${'{"a":1},'.repeat(2_000_000)}{"a":1}]`));
      await expect(small.inspect({ body: huge, url: 'https://example.org/huge.json', declaredFormat: 'JSON', truncated: false })).rejects.toThrow(/the inspection worker died/);
      const csv = new Uint8Array(Buffer.from('村名,人口\r\n大安里,1200\r\n'));
      const facts = await small.inspect({ body: csv, url: 'https://example.org/ok.csv', declaredFormat: 'CSV', truncated: false });
      expect([facts.format, facts.structured, facts.recordCount]).toEqual(['csv', true, 1]);
    } finally {
      await small.close();
    }
  }, 120_000);
});
