// A whole audit of a local catalogue whose resources include issue 10's spreadsheet bombs, served by a real HTTP
// server on 127.0.0.1: the audit completes, each bomb is `structured: fail` naming its limit (so no badge above
// bronze), and every healthy dataset keeps its gold — through runAudit, and through `odbadge audit` in a child
// process that stays within 400 MB peak RSS.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { CLI } from '../helpers/cli.ts';
import { taiwanTimeDaysAgo } from '../helpers/portal-fixture.ts';
import { fixturesDir, readBytes } from '../inspect/corpora.ts';
import { longCellOds, longSharedStringXlsx, manySharedStringsXlsx } from './bomb-files.ts';
import { CSV, FIELDS, csvRoute, startHostile, type HostileServer } from './harness.ts';

const HANG_BOUND_MS = 60_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODS_TYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/** Dataset id → what it serves, its declared format and fields, and (for bombs) the limit that must stop it. */
const CASES = [
  { id: 'long-shared-string', file: '/long-shared-string.xlsx', format: 'XLSX', limit: 'maxSharedStringsBytes' },
  { id: 'many-shared-strings', file: '/many-shared-strings.xlsx', format: 'XLSX', limit: 'maxSharedStringsBytes' },
  { id: 'long-cell', file: '/long-cell.ods', format: 'ODS', limit: 'maxZipRatio' },
  { id: 'long-cell-noisy', file: '/long-cell-noisy.ods', format: 'ODS', limit: 'maxCellChars' },
  { id: 'villages-csv', file: '/villages.csv', format: 'CSV', fields: FIELDS },
  { id: 'districts-xlsx', file: '/clean.xlsx', format: 'XLSX', fields: '區、男、女、人口' },
  { id: 'villages-json', file: '/villages.json', format: 'JSON', fields: FIELDS },
] as const;

describe('an audit of a catalogue holding the spreadsheet bombs', () => {
  let dir: string;
  let server: HostileServer;
  let catalog: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'odbadge-bomb-audit-'));
    const serve = (body: Buffer | Uint8Array, type: string) => csvRoute(Buffer.from(body), type);
    server = await startHostile({
      '/long-shared-string.xlsx': serve(longSharedStringXlsx(300_000_000), XLSX_TYPE),
      '/many-shared-strings.xlsx': serve(manySharedStringsXlsx(20_000_000), XLSX_TYPE),
      '/long-cell.ods': serve(longCellOds(300_000_000), ODS_TYPE),
      '/long-cell-noisy.ods': serve(longCellOds(300_000_000, true), ODS_TYPE),
      '/villages.csv': csvRoute(CSV),
      '/clean.xlsx': serve(readBytes(path.join(fixturesDir, 'spreadsheets'), 'clean.xlsx'), XLSX_TYPE),
      '/villages.json': csvRoute(JSON.stringify([{ 村名: '大安里', 人口: 1200 }, { 村名: '中正里', 人口: 980 }]), 'application/json'),
    });
    const datasets = CASES.map((c) => ({
      id: c.id,
      title: c.id,
      agency: '測試機關',
      frequency: '不定期',
      encoding: 'UTF-8',
      fields: 'fields' in c ? c.fields : FIELDS,
      metadataUpdatedAt: taiwanTimeDaysAgo(1),
      resources: [{ url: `${server.origin}${c.file}`, format: c.format }],
    }));
    catalog = path.join(dir, 'catalog.json');
    await writeFile(catalog, JSON.stringify({ datasets }));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runAudit completes: each bomb fails structured naming its limit (bronze), the healthy datasets are gold', async () => {
    const started = performance.now();
    const result = await runAudit({ catalog: `local:${catalog}`, fetch: { allowPrivateNetwork: true, perHostMinSpacingMs: 0 } });
    expect(performance.now() - started).toBeLessThan(HANG_BOUND_MS);
    expect(result.catalog.complete).toBe(true);
    expect(result.datasets.map((d) => d.id).sort()).toEqual(CASES.map((c) => c.id).sort());
    for (const c of CASES) {
      const d = result.datasets.find((x) => x.id === c.id)!;
      if ('limit' in c) {
        expect(d.indicators.structured.verdict, c.id).toBe('fail');
        expect(d.indicators.structured.evidence, c.id).toContain(`stopped at the inspection limit ${c.limit} = `);
        expect(d.resources[0].facts?.limits?.map((h) => h.name), c.id).toEqual([c.limit]);
        expect(d.badge, c.id).toBe('bronze');
      } else {
        expect(d.badge, `${c.id}: ${JSON.stringify(d.indicators)}`).toBe('gold');
      }
    }
  }, HANG_BOUND_MS + 10_000);

  it('`odbadge audit` on the same catalogue exits 0, writes its results and stays within 400 MB', async () => {
    const out = path.join(dir, 'out');
    const rssFile = path.join(dir, 'rss');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--import', path.resolve(__dirname, 'bomb-child.ts'), CLI, 'audit', '--catalog', `local:${catalog}`, '--out', out, '--no-store', '--allow-private-network', '--quiet'],
        { timeout: HANG_BOUND_MS, env: { ...process.env, ODBADGE_TEST_RSS_FILE: rssFile } },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      ),
    );
    expect(code, stderr).toBe(0);
    expect(Number(await readFile(rssFile, 'utf8'))).toBeLessThanOrEqual(400 * 1024 * 1024);
    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'));
    const badges = Object.fromEntries(results.datasets.map((d: { id: string; badge: string }) => [d.id, d.badge]));
    expect(badges).toEqual({
      'long-shared-string': 'bronze', 'many-shared-strings': 'bronze', 'long-cell': 'bronze', 'long-cell-noisy': 'bronze',
      'villages-csv': 'gold', 'districts-xlsx': 'gold', 'villages-json': 'gold',
    });
    console.log(`odbadge audit of the bomb catalogue: peak RSS ${Math.round(Number(await readFile(rssFile, 'utf8')) / 2 ** 20)} MB`);
  }, HANG_BOUND_MS + 10_000);
});
