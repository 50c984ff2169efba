// audit and ci as a pipeline sees them (issue 11): --format json prints one summary object; --quiet prints nothing
// but errors and warnings; --verbose a line per dataset and resource and the phase times; ci takes every audit
// option (--db, --no-store, --limit) and is recorded in history; --fail-on unsure; a run whose resources were mostly
// refused as private addresses carries a warning in results.json and every report.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odbadge } from '../helpers/cli.ts';
import { startFixturePortal } from '../helpers/portal-fixture.ts';

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
const CSV = '村名,人口\n大安里,1200\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-audit-ci-'));
  portal = await startFixturePortal(
    [
      { id: 'a1', title: '好資料', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
      { id: 'a2', title: '壞連結', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/gone.csv', format: 'CSV' }] },
      { id: 'b1', title: '乙的資料', agency: '乙機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
      { id: 'c1', title: '忙碌的伺服器', agency: '丙機關', fields: '村名、人口', resources: [{ path: '/busy.csv', format: 'CSV' }] },
    ],
    {
      '/good.csv': (_q, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV),
      // Overloaded every time: unsure after the retries (Retry-After: 0 keeps the test quick).
      '/busy.csv': (_q, res) => res.writeHead(503, { 'retry-after': '0' }).end('busy'),
    },
  );
});
afterAll(() => portal?.close());

const catalog = () => ['--catalog', portal.exportUrl, '--allow-private-network'];

describe('audit --format json, --quiet, --verbose', () => {
  it('--format json: one summary object on stdout — run, paths written, counts, per-agency scores, exit reason', async () => {
    const out = join(dir, 'json');
    const db = join(dir, 'json.db');
    const r = await odbadge(['audit', ...catalog(), '--out', out, '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      command: 'audit',
      ruleset: 'tw-ndc-2017',
      catalog: { source: portal.exportUrl, datasets: 4, complete: true },
      run: { id: 1, status: 'complete', resumed: false, store: db },
      paths: { results: join(out, 'results.json'), summaryCsv: join(out, 'summary.csv'), summaryMd: join(out, 'summary.md') },
      counts: { datasets: 4, resources: 4, distinctUrls: 3, badges: { bronze: 0, silver: 0, gold: 2, none: 2 }, resourcesNotOk: 2 },
      warnings: [],
      exit: { code: 0, reason: 'done' },
    });
    expect(s.error).toBeUndefined();
    expect(s.agencies.map((a: { agency: string; score: number }) => [a.agency, a.score])).toEqual([['乙機關', 100], ['甲機關', 50], ['丙機關', 0]]);
    expect(s.paths.reports).toContain(join(out, 'index.html'));
    for (const f of [s.paths.results, s.paths.summaryCsv, s.paths.summaryMd, ...s.paths.reports]) expect(existsSync(f), f).toBe(true);
    // The information lines stay on stderr.
    expect(r.stderr).toContain(`Wrote ${join(out, 'results.json')}`);
  });

  it('--quiet prints nothing at all for a run without problems (it used to print "Wrote …" and "Recorded …")', async () => {
    const out = join(dir, 'quiet');
    const r = await odbadge(['audit', ...catalog(), '--agency', '乙機關', '--out', out, '--db', join(dir, 'quiet.db'), '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(existsSync(join(out, 'results.json'))).toBe(true);
    // …but JSON asked for is printed even then.
    const j = await odbadge(['audit', ...catalog(), '--agency', '乙機關', '--out', out, '--no-store', '-q', '--format', 'json']);
    expect(j.stderr).toBe('');
    expect(JSON.parse(j.stdout)).toMatchObject({ run: null, exit: { code: 0, reason: 'done' } });
  });

  it('-v: a line per dataset and per resource (outcome, status, size, time, URL) and the phase times, no progress line', async () => {
    const r = await odbadge(['audit', ...catalog(), '--out', join(dir, 'verbose'), '--no-store', '-v']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\[\d(\/4)?\] gold {3}甲機關 · 好資料 \(a1\)\n {4}ok 200 · 29 B · \d+ ms · http:\/\/127\.0\.0\.1:\d+\/good\.csv$/m);
    expect(r.stderr).toMatch(/^\[\d(\/4)?\] none {3}甲機關 · 壞連結 \(a2\)\n {4}http-error 404 · \d+ B · \d+ ms · http:\/\/127\.0\.0\.1:\d+\/gone\.csv — HTTP 404 Not Found$/m);
    expect(r.stderr).toMatch(/^ {4}http-error 503 · 4 B · \d+ ms · http:\/\/127\.0\.0\.1:\d+\/busy\.csv — HTTP 503 Service Unavailable after 3 attempt\(s\)$/m);
    expect(r.stderr).toMatch(/^timing: audit \d+\.\d s · outputs \d+\.\d s · total \d+\.\d s$/m);
    expect(r.stderr).not.toMatch(/^datasets \d+\/\d+ ·/m);
  });

  it('--limit applies to the audit\'s inspections; a bad one is a usage error before anything is read', async () => {
    const out = join(dir, 'limit');
    const r = await odbadge(['audit', ...catalog(), '--agency', '乙機關', '--out', out, '--no-store', '-q', '--limit', 'maxColumns=1']);
    expect(r.code).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.datasets[0].indicators.structured.verdict).toBe('fail');
    expect(results.datasets[0].resources[0].facts.limits.map((h: { name: string }) => h.name)).toEqual(['maxColumns']);
    const before = portal.hits.get('/api/front/dataset/export') ?? 0;
    const bad = await odbadge(['audit', ...catalog(), '--out', out, '--no-store', '--limit', 'maxColums=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^odbadge: --limit: unknown limit "maxColums" \(known: .*\); see odbadge audit --help\n$/);
    expect(portal.hits.get('/api/front/dataset/export') ?? 0).toBe(before);
  });
});

describe('ci takes every audit option and is recorded in history', () => {
  it('--db records each ci run (and re-uses what did not change); --no-store records nothing', async () => {
    const db = join(dir, 'ci.db');
    for (let i = 0; i < 2; i++) {
      const r = await odbadge(['ci', ...catalog(), '--agency', '乙機關', '--min-badge', 'gold', '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
    const h = await odbadge(['history', '--db', db, '--format', 'json']);
    const runs = JSON.parse(h.stdout).runs;
    expect(runs.map((x: { id: number; status: string; agency: string }) => [x.id, x.status, x.agency])).toEqual([[1, 'complete', '乙機關'], [2, 'complete', '乙機關']]);
    expect(runs[1].reusedResources).toBe(1);
    const none = join(dir, 'ci-none.db');
    expect((await odbadge(['ci', ...catalog(), '--agency', '乙機關', '--db', none, '--no-store'])).code).toBe(0);
    expect(existsSync(none)).toBe(false);
  });

  it('--format json: the summary with the thresholds, the failing datasets and why ci exits 1', async () => {
    const r = await odbadge(['ci', ...catalog(), '--min-badge', 'gold', '--no-store', '--format', 'json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ command: 'ci', run: null, exit: { code: 1, reason: 'checks-failed' } });
    expect(s.error).toBeUndefined();
    expect(s.ci).toEqual({
      passed: false, minBadge: 'gold', minScore: null, failOn: 'fail',
      failingDatasets: [
        { id: 'a2', title: '壞連結', agency: '甲機關', badge: 'none', kind: 'fail', counted: true },
        { id: 'c1', title: '忙碌的伺服器', agency: '丙機關', badge: 'none', kind: 'unsure', counted: false },
      ],
      failingCount: 2,
      failingAgencies: [],
    });
  });

  it('--fail-on unsure: a dataset held below the badge only by undecided verdicts fails the pipeline; by default it does not', async () => {
    const args = ['ci', ...catalog(), '--agency', '丙機關', '--min-badge', 'bronze', '--no-store'];
    const lenient = await odbadge(args);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout.split('\n')[0]).toBe('## ✅ odbadge: 1 datasets checked; 1 could not be decided (unsure) for badge ≥ bronze');
    expect(lenient.stderr).toBe('odbadge: warning: 1 dataset(s) are below the minimum badge only because odbadge could not decide (unsure: time-outs, 5xx); they do not fail the pipeline without --fail-on unsure\n');
    const strict = await odbadge([...args, '--fail-on', 'unsure']);
    expect(strict.code).toBe(1);
    expect(strict.stdout.split('\n')[0]).toBe('## ❌ odbadge: 1 of 1 datasets below bronze');
    expect(strict.stderr).toBe('');
  });
});

describe('most resources refused as private addresses: a warning in the run, not only on stderr', () => {
  it('results.json, summary.md, report.md and the dashboard carry it; stderr says it even with --quiet', async () => {
    const local = join(dir, 'onprem.json');
    await writeFile(local, JSON.stringify({ datasets: [
      { id: 'p1', title: '內網資料', agency: '丁機關', fields: '村名、人口', encoding: 'UTF-8', frequency: '不定期', resources: [{ url: `${portal.base}/good.csv`, format: 'CSV' }] },
      { id: 'p2', title: '內網資料二', agency: '丁機關', fields: '村名、人口', encoding: 'UTF-8', frequency: '不定期', resources: [{ url: `${portal.base}/good.csv`, format: 'CSV' }] },
    ] }));
    const out = join(dir, 'onprem');
    const r = await odbadge(['audit', '--catalog', local, '--out', out, '--no-store', '--quiet']);
    expect(r.code).toBe(0);
    const message = '2 of 2 resources were refused as private, loopback or link-local addresses; if this portal is on your own network, audit it with --allow-private-network. This run is not used as a baseline for trends, 品質進步獎 or diff.';
    expect(r.stderr).toBe(`odbadge: warning: ${message}\n`);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.warnings).toEqual([{
      code: 'mostly-refused-as-private', message, messageZh: expect.stringContaining('--allow-private-network'), detail: { refused: 2, resources: 2 },
      params: { refused: 2, resources: 2 }, text: { en: message, zh: expect.stringContaining('2 筆資料資源中有 2 筆位於私有') },
    }]);
    for (const f of ['summary.md', 'report.md']) expect(await readFile(join(out, f), 'utf8'), f).toContain(`**警告 Warning:** `);
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('2 of 2 resources were refused as private, loopback or link-local addresses');
    expect(await readFile(join(out, 'index.html'), 'utf8')).toMatch(/<p class="nojs-note run-warning" role="note"[^>]*><span data-en="Warning: 2 of 2 resources were refused as private/);
    // A run where they were allowed has none.
    const ok = await odbadge(['audit', '--catalog', local, '--out', join(dir, 'onprem-ok'), '--no-store', '--quiet', '--allow-private-network']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(await readFile(join(dir, 'onprem-ok', 'results.json'), 'utf8')).warnings).toBeUndefined();
  });
});
