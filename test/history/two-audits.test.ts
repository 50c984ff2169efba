// Issue 5 acceptance: two audits of a fixture portal in which some resources change between runs. Checks the diff,
// the timeliness evidence from content history, the metadata-vs-content findings, 品質進步獎, conditional requests,
// and a concurrent reader while an audit is stalled mid-fetch.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import type { AuditResult } from '../../src/model.ts';
import { diffRuns } from '../../src/report/diff.ts';
import { diffMarkdown } from '../../src/report/diff-markdown.ts';
import { improvementFromStore } from '../../src/store/improvement.ts';
import { storedAuditResult, storeHistory } from '../../src/store/run-history.ts';
import { validateResults } from '../../src/report/results-json.ts';
import { SqliteStore } from '../../src/store/store.ts';
import { diffSide } from '../../src/cli/diff-command.ts';
import { startFixturePortal, taiwanTimeDaysAgo, type FixtureDataset } from '../helpers/portal-fixture.ts';
import { versioned, type Versioned } from './versioned.ts';

const run = promisify(execFile);
const CLI = resolve(__dirname, '../../src/cli/main.ts');
const F = '村名、人口';
const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
const FETCH = { allowPrivateNetwork: true, perHostMinSpacingMs: 0, retries: 0 };

const state: Record<string, Versioned> = {
  a1: { body: CSV },
  a2: { body: 'gone', status: 404, contentType: 'text/html' },
  b1: { body: CSV },
  b2: { body: CSV },
  c: { body: CSV },
};
const counters = { notModified: 0, full: 0 };
let stall: Promise<void> | undefined;
let stallSeen: () => void = () => {};
const staller = new Promise<void>((r) => (stallSeen = r));

const oldMeta = taiwanTimeDaysAgo(200);
const datasets: FixtureDataset[] = [
  // Monthly but 200 days old by its metadata: late, until its content changes between audits.
  { id: 'a1', title: '月報', agency: '甲機關', fields: F, frequency: '每1月', metadataUpdated: oldMeta, resources: [{ path: '/a1.csv', format: 'CSV' }] },
  { id: 'a2', title: '壞連結後修好', agency: '甲機關', fields: F, resources: [{ path: '/a2.csv', format: 'CSV' }] },
  { id: 'b1', title: '變壞的表', agency: '乙機關', fields: F, resources: [{ path: '/b1.csv', format: 'CSV' }] },
  { id: 'b2', title: '只改詮釋資料', agency: '乙機關', fields: F, metadataUpdated: oldMeta, resources: [{ path: '/b2.csv', format: 'CSV' }] },
  { id: 'c0', title: '下架', agency: '丙機關', fields: F, resources: [{ path: '/c.csv', format: 'CSV' }] },
];
const routes = {
  '/a1.csv': versioned(state.a1, counters),
  '/a2.csv': versioned(state.a2, counters),
  '/b1.csv': versioned(state.b1, counters),
  '/b2.csv': versioned(state.b2, counters),
  '/c.csv': versioned(state.c, counters),
  '/slow.csv': (_q: unknown, res: import('node:http').ServerResponse) => {
    stallSeen();
    void stall?.then(() => res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV));
  },
};

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
let store: SqliteStore;
let r1: AuditResult;
let r2: AuditResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-history-'));
  portal = await startFixturePortal(datasets, routes);
  store = SqliteStore.open(join(dir, 'h.db'));
  r1 = await runAudit({ catalog: portal.exportUrl, store, fetch: FETCH });
  // Between the audits: a1's data is updated (its metadata is not), a2 is fixed, b1 breaks, b2's metadata claims an
  // update with identical content, c0 is withdrawn and c1 published.
  state.a1.body = `${CSV}萬華里,870\r\n`;
  Object.assign(state.a2, { body: CSV, status: 200, contentType: 'text/csv' });
  state.b1.body = '村名,人口\r\n大安里,1200,多\r\n中正里\r\n';
  datasets[3].metadataUpdated = taiwanTimeDaysAgo(1);
  datasets.splice(4, 1, { id: 'c1', title: '新上架', agency: '丙機關', fields: F, resources: [{ path: '/c.csv', format: 'CSV' }] });
  counters.notModified = 0;
  r2 = await runAudit({ catalog: portal.exportUrl, store, fetch: FETCH });
});

afterAll(async () => {
  await store?.close();
  await portal?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const byId = (r: AuditResult, id: string) => r.datasets.find((d) => d.id === id)!;

describe('two audits of a changing portal', () => {
  it('records both runs as complete, the second compared with the first', async () => {
    expect(r1.run).toMatchObject({ id: 1, status: 'complete', resumed: false });
    expect(r2.run).toMatchObject({ id: 2, status: 'complete', previousRunId: 1 });
    expect((await store.listRuns()).map((r) => [r.id, r.status, r.datasets])).toEqual([[1, 'complete', 5], [2, 'complete', 5]]);
  });

  it('asks conditionally and reuses stored facts for unchanged resources (304), downloading less', async () => {
    // b2 and c.csv are unchanged and answered 304; a1, b1 changed; a2 was a 404 (nothing to revalidate).
    expect(counters.notModified).toBe(2);
    expect(r2.stats.reusedResources).toBe(2);
    expect(r2.stats.bytes).toBeLessThan(r1.stats.bytes + CSV.length);
    const raw = new DatabaseSync(join(dir, 'h.db'), { readOnly: true });
    const rows = raw.prepare('SELECT url FROM run_resources WHERE run_id = 2 AND reused = 1').all() as { url: string }[];
    raw.close();
    const reused = rows.map((r) => r.url.replace(portal.base, ''));
    expect(reused.sort()).toEqual(['/b2.csv', '/c.csv']);
    // A reused resource reports what the full download showed.
    expect(byId(r2, 'b2').resources[0].fetch).toMatchObject({ kind: 'ok', status: 200, bytes: Buffer.byteLength(CSV) });
    expect(byId(r2, 'b2').badge).toBe('gold');
  });

  it('a content change seen between audits is timeliness evidence', () => {
    expect(byId(r1, 'a1').indicators.timely.verdict).toBe('fail');
    const t = byId(r2, 'a1').indicators.timely;
    expect(t.verdict).toBe('pass');
    expect(t.detail).toMatchObject({ evidenceSource: 'content-change', lastUpdate: r2.startedAt });
    expect(t.evidence).toContain('a content change seen between odbadge audits');
  });

  it('flags metadata that moved without a content change, and content that changed without metadata', () => {
    const b2 = byId(r2, 'b2').findings.find((f) => f.code === 'metadata-claims-update-without-content-change');
    expect(b2?.detail).toMatchObject({ previousRunId: 1 });
    expect(byId(r2, 'a1').findings.map((f) => f.code)).toContain('content-changed-without-metadata-update');
    // Nothing to compare in the first run; a2 was unreadable before, so whether its content changed is unknown.
    expect(r1.datasets.flatMap((d) => d.findings.map((f) => f.code))).not.toContain('metadata-claims-update-without-content-change');
    expect(byId(r2, 'a2').findings.map((f) => f.code)).not.toContain('content-changed-without-metadata-update');
  });

  it('diff: badges that rose and fell with the indicators that changed, new and removed datasets, agency deltas', async () => {
    const d = diffRuns(await diffSide(store, 1), await diffSide(store, 2));
    expect(d.rose.map((x) => [x.id, x.from, x.to])).toEqual([['a1', 'silver', 'gold'], ['a2', 'none', 'gold']]);
    expect(d.rose[0].indicators).toEqual([expect.objectContaining({ indicator: 'timely', from: 'fail', to: 'pass' })]);
    expect(d.rose[1].indicators.map((i) => i.indicator)).toContain('link-valid');
    expect(d.fell.map((x) => [x.id, x.from, x.to])).toEqual([['b1', 'gold', 'bronze']]);
    expect(d.fell[0].indicators.find((i) => i.indicator === 'structured')).toMatchObject({ from: 'pass', to: 'fail' });
    expect(d.added.map((x) => x.id)).toEqual(['c1']);
    expect(d.removed.map((x) => x.id)).toEqual(['c0']);
    expect(d.agencies.find((a) => a.agency === '甲機關')).toEqual({ agency: '甲機關', before: 30, after: 100, delta: 70 });
    expect(d.agencies.find((a) => a.agency === '乙機關')).toEqual({ agency: '乙機關', before: 100, after: 65, delta: -35 });
    const md = diffMarkdown(d);
    expect(md).toContain('| 月報 (a1) | 甲機關 | silver → gold | timely: fail → pass |');
    expect(md).toContain('| 乙機關 | 100.00 | 65.00 | -35.00 |');
  });

  it('品質進步獎 from the stored runs: +70 wins, unless the agency won a group prize', async () => {
    const none = await improvementFromStore(store, 2, new Set());
    expect(none.previousRunId).toBe(1);
    expect(none.winners.map((w) => [w.agency, w.gain])).toEqual([['甲機關', 70]]);
    const excluded = await improvementFromStore(store, 2, new Set(['甲機關']));
    expect(excluded.winners).toEqual([]);
    expect(excluded.excludedPrizeWinners.map((w) => w.agency)).toEqual(['甲機關']);
    expect((await improvementFromStore(store, 1, new Set())).winners).toEqual([]);
  });

  it('a stored run reads back as the results.json it produced (for reports comparing with history)', async () => {
    const back = await storedAuditResult(store, 2);
    expect(validateResults(back)).toEqual([]);
    expect(back.datasets).toEqual(r2.datasets);
    expect(back.agencies).toEqual([...r2.agencies].sort((x, y) => (x.agency < y.agency ? -1 : 1)));
    expect((await (await storeHistory(store, { comparableTo: 2 })).runs()).map((r) => r.run?.id)).toEqual([1]);
  });

  it('the CLI diff and history read the same store (JSON and Markdown)', async () => {
    const db = join(dir, 'h.db');
    const h = await run(process.execPath, [CLI, 'history', '--db', db, '--json'], { timeout: 30_000 });
    expect(JSON.parse(h.stdout).runs.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([[1, 'complete'], [2, 'complete']]);
    const j = await run(process.execPath, [CLI, 'diff', '--db', db, '--json'], { timeout: 30_000 });
    expect(JSON.parse(j.stdout).fell.map((x: { id: string }) => x.id)).toEqual(['b1']);
    const m = await run(process.execPath, [CLI, 'diff', '1', '2', '--db', db, '--markdown'], { timeout: 30_000 });
    expect(m.stdout).toContain('## Badges that fell (1)');
  });

  it('history and diff work while an audit is writing to the store (stalled mid-fetch)', async () => {
    let release: () => void = () => {};
    stall = new Promise<void>((r) => (release = r));
    datasets.push({ id: 'slow', title: '慢', agency: '丁機關', fields: F, resources: [{ path: '/slow.csv', format: 'CSV' }] });
    const audit = runAudit({ catalog: portal.exportUrl, store, fetch: FETCH });
    try {
      await staller;
      const db = join(dir, 'h.db');
      const h = await run(process.execPath, [CLI, 'history', '--db', db, '--json'], { timeout: 30_000 });
      const runs = JSON.parse(h.stdout).runs as { id: number; status: string }[];
      expect(runs.at(-1)).toMatchObject({ id: 3, status: 'running' });
      const d = await run(process.execPath, [CLI, 'diff', '--db', db, '--json'], { timeout: 30_000 });
      expect(JSON.parse(d.stdout).runB.id).toBe(2);
    } finally {
      release();
    }
    const r3 = await audit;
    expect(r3.run).toMatchObject({ id: 3, status: 'complete' });
    datasets.pop();
  });
});
