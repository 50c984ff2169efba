// Issue 16 acceptance: two different loopback portals audited alternately into one history store, both with an
// agency named 甲機關. Each dashboard's trend, each 品質進步獎 baseline and `diff` without arguments use only that
// portal's complete runs, and say which runs they used. (Issue 11: a run whose resources were mostly refused as
// private addresses is no baseline either.)
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { improvementFromStore } from '../../src/store/improvement.ts';
import { SqliteStore } from '../../src/store/store.ts';
import { odbadge, type CliRun } from '../helpers/cli.ts';
import { startFixturePortal } from '../helpers/portal-fixture.ts';

const F = '村名、人口';
/** What the one resource of a portal serves, and the badge (甲機關's score) that gives. */
const BODIES = {
  gold: { status: 200, body: '村名,人口\r\n大安里,1200\r\n' }, // 100
  silver: { status: 200, body: '名稱,數量\r\n大安里,1200\r\n' }, // 60: fields do not match the declared 村名、人口
  bronze: { status: 200, body: '村名,人口\r\n大安里,1200,多\r\n' }, // 30: an extra cell
  none: { status: 404, body: 'Not Found' }, // 0
};
type Badge = keyof typeof BODIES;
const serving: { a: Badge; b: Badge } = { a: 'gold', b: 'gold' };
const serve = (which: 'a' | 'b') => (_req: unknown, res: ServerResponse) => {
  const b = BODIES[serving[which]];
  res.writeHead(b.status, { 'content-type': 'text/csv; charset=utf-8' }).end(b.body);
};

let portalA: Awaited<ReturnType<typeof startFixturePortal>>;
let portalB: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
let db: string;
const out = (name: string) => join(dir, name);
const diffs: Record<string, CliRun> = {};

async function audit(portal: typeof portalA, name: string): Promise<void> {
  const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out(name), '--db', db, '--allow-private-network', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
}

beforeAll(async () => {
  portalA = await startFixturePortal([{ id: 'a1', title: '甲的資料', agency: '甲機關', fields: F, resources: [{ path: '/a.csv', format: 'CSV' }] }], { '/a.csv': serve('a') });
  portalB = await startFixturePortal([{ id: 'b1', title: '乙portal的資料', agency: '甲機關', fields: F, resources: [{ path: '/b.csv', format: 'CSV' }] }], { '/b.csv': serve('b') });
  dir = await mkdtemp(join(tmpdir(), 'odbadge-two-portals-'));
  db = join(dir, 'h.db');

  serving.a = 'bronze';
  await audit(portalA, 'A1'); // run 1: A, 甲機關 30
  serving.b = 'silver';
  await audit(portalB, 'B1'); // run 2: B, 60
  // Run 3: A again, interrupted (Ctrl-C) with a partial score of 0 — must appear in no trend and be no baseline.
  serving.a = 'none';
  const controller = new AbortController();
  const store = SqliteStore.open(db);
  try {
    const r = await runAudit({ catalog: portalA.exportUrl, store, signal: controller.signal, onProgress: () => controller.abort(), fetch: { allowPrivateNetwork: true } });
    expect(r.run).toMatchObject({ id: 3, status: 'interrupted' });
    expect(r.agencies.map((x) => [x.agency, x.score])).toEqual([['甲機關', 0]]);
  } finally {
    await store.close();
  }
  serving.b = 'gold';
  await audit(portalB, 'B2'); // run 4: B, 100
  serving.a = 'gold';
  await audit(portalA, 'A3'); // run 5: A, 100
  diffs.afterA3 = await odbadge(['diff', '--db', db, '--json']);
  serving.b = 'silver';
  await audit(portalB, 'B3'); // run 6: B, 60
  diffs.afterB3 = await odbadge(['diff', '--db', db]);
});

afterAll(async () => {
  await portalA?.close();
  await portalB?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The dashboard's trend: the run ids it names, and 甲機關's row of the trend table. */
async function trend(name: string): Promise<{ runs: number[]; scores: string[]; basis: string }> {
  const html = await readFile(join(out(name), 'index.html'), 'utf8');
  const section = html.slice(html.indexOf('id="h-trend"'), html.indexOf('</section>', html.indexOf('id="h-trend"')));
  const basis = /<p class="muted" id="trend-basis"><span data-en="([^"]*)">([^<]*)<\/span><\/p>/.exec(section);
  const row = /<tr><th scope="row">甲機關<\/th>(.*?)<\/tr>/.exec(section);
  return {
    runs: [...(basis?.[2] ?? '').matchAll(/#(\d+)/g)].map((m) => Number(m[1])),
    scores: [...(row?.[1] ?? '').matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]),
    basis: basis?.[1] ?? '',
  };
}

describe('two portals audited alternately into one store', () => {
  it('records six runs, the third interrupted', async () => {
    const s = SqliteStore.open(db, { create: false });
    try {
      expect((await s.listRuns()).map((r) => [r.id, r.status])).toEqual([[1, 'complete'], [2, 'complete'], [3, 'interrupted'], [4, 'complete'], [5, 'complete'], [6, 'complete']]);
    } finally {
      await s.close();
    }
  });

  it("each dashboard's trend plots only that portal's complete runs and names them", async () => {
    const a = await trend('A3');
    expect(a.runs).toEqual([1, 5]);
    expect(a.scores).toEqual(['30.00', '100.00']);
    expect(a.basis).toContain(`Only complete audits of the same catalogue (${portalA.exportUrl})`);
    const b = await trend('B3');
    expect(b.runs).toEqual([2, 4, 6]);
    expect(b.scores).toEqual(['60.00', '100.00', '60.00']);
    expect(b.basis).toContain(portalB.exportUrl);
    expect(await trend('A1')).toMatchObject({ runs: [1], scores: ['30.00'] });
  });

  it("each 品質進步獎 baseline is that portal's previous complete run", async () => {
    const s = SqliteStore.open(db, { create: false });
    try {
      const a = await improvementFromStore(s, 5, new Set());
      expect(a.previousRunId).toBe(1);
      expect(a.winners.map((w) => [w.agency, w.previous, w.gain])).toEqual([['甲機關', 30, 70]]);
      const b = await improvementFromStore(s, 6, new Set());
      expect([b.previousRunId, b.winners]).toEqual([4, []]);
      expect((await improvementFromStore(s, 2, new Set())).previousRunId).toBeUndefined();
    } finally {
      await s.close();
    }
    const awards = await odbadge(['awards', '--results', join(out('A3'), 'results.json'), '--db', db, '--json', '--out', out('awards-A3')]);
    expect(awards.code, awards.stderr).toBe(0);
    const t = JSON.parse(awards.stdout);
    expect(t.previousRun).toMatchObject({ runId: 1, catalog: portalA.exportUrl });
    expect([...t.improvement.winners, ...t.improvement.excluded].map((w: { agency: string; gain: number }) => [w.agency, w.gain])).toEqual([['甲機關', 70]]);
    const md = await readFile(join(out('awards-A3'), 'awards.md'), 'utf8');
    expect(md).toContain('Compared with run 1 of ');
  });

  it("diff without arguments compares the newest complete run with its own portal's previous one, and says so", () => {
    expect(diffs.afterA3.code, diffs.afterA3.stderr).toBe(0);
    const a = JSON.parse(diffs.afterA3.stdout);
    expect([a.runA.id, a.runB.id]).toEqual([1, 5]);
    expect(a.rose.map((x: { id: string; from: string; to: string }) => [x.id, x.from, x.to])).toEqual([['a1', 'bronze', 'gold']]);
    expect(a.basis).toMatch(/^Runs compared: 1 and 5, .*same catalogue \(http:\/\/127\.0\.0\.1:\d+\/api\/front\/dataset\/export\?format=csv\)/);
    expect(diffs.afterB3.code).toBe(0);
    expect(diffs.afterB3.stdout).toContain('# odbadge: run 4 (');
    expect(diffs.afterB3.stdout).toContain('→ run 6 (');
    expect(diffs.afterB3.stdout).toContain(`Runs compared: 4 and 6, the newest complete run and the newest earlier complete run of the same catalogue (${portalB.exportUrl})`);
    expect(diffs.afterB3.stdout).toContain('| 甲機關 | 100.00 | 60.00 | -40.00 |');
  });
});

describe('a run whose resources were mostly refused as private addresses', () => {
  it('warns, naming --allow-private-network, and is no baseline for the trend, 品質進步獎 or diff', async () => {
    const rdb = join(dir, 'refused.db');
    const catalog = join(dir, 'catalog.json');
    // A local catalogue (read from disk, so only the resources meet the private-network guard).
    await writeFile(catalog, JSON.stringify({ datasets: [{ id: 'a1', title: '甲的資料', agency: '甲機關', fields: F, encoding: 'UTF-8', frequency: '不定期', resources: [{ url: `${portalA.base}/a.csv`, format: 'CSV' }] }] }));
    const run = (name: string, allow: boolean) => odbadge(['audit', '--catalog', catalog, '--out', out(name), '--db', rdb, '--quiet', ...(allow ? ['--allow-private-network'] : [])]);
    serving.a = 'silver';
    expect((await run('L1', true)).code).toBe(0); // run 1: 60
    const refused = await run('L2', false); // run 2: every resource refused, 0
    expect(refused.code, refused.stderr).toBe(0);
    expect(refused.stderr).toMatch(/warning: 1 of 1 resources were refused as private, loopback or link-local addresses; .*--allow-private-network/);
    serving.a = 'gold';
    const third = await run('L3', true); // run 3: 100
    expect(third.stderr).not.toMatch(/warning/);
    expect(await trend('L3')).toMatchObject({ runs: [1, 3], scores: ['60.00', '100.00'] });
    const s = SqliteStore.open(rdb, { create: false });
    try {
      expect((await s.listRuns()).map((r) => [r.id, r.status])).toEqual([[1, 'complete'], [2, 'complete'], [3, 'complete']]);
      const imp = await improvementFromStore(s, 3, new Set());
      expect(imp.previousRunId).toBe(1);
      expect(imp.winners.map((w) => [w.agency, w.gain])).toEqual([['甲機關', 40]]);
    } finally {
      await s.close();
    }
    const d = await odbadge(['diff', '--db', rdb, '--json']);
    expect([JSON.parse(d.stdout).runA.id, JSON.parse(d.stdout).runB.id]).toEqual([1, 3]);
  });
});
