// Fix-first ranking, agreement with the official badge, CSV/Markdown reports, the dashboard's static HTML, and the
// report/awards commands as a user runs them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/model.ts';
import { agreement } from '../../src/report/agreement.ts';
import { agenciesCsv, datasetsCsv, fixFirstCsv } from '../../src/report/csv-report.ts';
import { fixFirst, fixForDataset } from '../../src/report/fix-first.ts';
import { dashboardHtml } from '../../src/report/html/dashboard.ts';
import { markdownReport } from '../../src/report/markdown-report.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';
import { demoLikeRun, HOSTILE_TITLE, seedUsage } from './demo-like-run.ts';
import { buildRun } from './run-builder.ts';

const ROOT = resolve(__dirname, '../..');
const rs = loadRuleset();
const fixture = async (n: string): Promise<AuditResult> => JSON.parse(await readFile(join(ROOT, 'fixtures/runs', n), 'utf8'));

describe('what to fix first', () => {
  const run = buildRun({ startedAt: '2026-01-01T00:00:00.000Z', agencies: { 甲部: { gold: 6, silver: 1, bronze: 2, none: 1 } } });
  const fixes = fixFirst(run, rs)[0];

  it('silver → gold gains (1.0 − 0.6)/N × 100; bronze → silver (0.6 − 0.3)/N × 100; none → bronze 0.3/N × 100', () => {
    expect(fixes.fixes.map((f) => [f.from, f.to, f.points])).toEqual([['silver', 'gold', 4], ['bronze', 'silver', 3], ['bronze', 'silver', 3], ['none', 'bronze', 3]]);
    expect(fixes.potential).toBeCloseTo(fixes.score + 13, 4);
  });
  it('names the indicators to fix, with evidence and hint; gated ones are listed as not evaluated', () => {
    expect(fixes.fixes[0].fixes.map((s) => [s.indicator, s.verdict])).toEqual([['encoding-match', 'fail']]);
    expect(fixes.fixes[0].fixes[0].hint?.zh).toContain('BIG5');
    const none = fixes.fixes[3];
    expect(none.fixes.map((s) => [s.indicator, s.verdict])).toEqual([['link-valid', 'fail'], ['direct-download', 'not-evaluated']]);
    expect(none.mayGoFurther).toBe(true);
  });
  it('bronze → gold in one fix when everything else already passes: (1.0 − 0.3)/N × 100', () => {
    const d = structuredClone(run.datasets.find((x) => x.badge === 'bronze')!);
    d.indicators['encoding-match'] = { verdict: 'pass', evidence: 'ok' };
    d.indicators['fields-match'] = { verdict: 'pass', evidence: 'ok' };
    expect(fixForDataset(d, rs)).toMatchObject({ from: 'bronze', to: 'gold', mayGoFurther: false });
    const one = { ...run, datasets: [d], agencies: [{ ...run.agencies[0], datasets: 1 }] };
    expect(fixFirst(one, rs)[0].fixes[0].points).toBe(70);
  });
  it('at equal points, the dataset with more views and downloads comes first', () => {
    const usage = [{ title: '甲部bronze資料2', agency: '甲部', views: 1000, downloads: 500 }, { title: '甲部bronze資料1', agency: '甲部', views: 10, downloads: 5 }];
    const ranked = fixFirst(run, rs, { usage })[0].fixes.filter((f) => f.from === 'bronze');
    expect(ranked.map((f) => f.title)).toEqual(['甲部bronze資料2', '甲部bronze資料1']);
    expect(ranked[0].priority).toBe(6); // usage doubles at most: 3 × (1 + 1)
  });
  it('uses the seed usage counts on the demo-like run (matched by title and agency)', () => {
    const withUsage = fixFirst(demoLikeRun(), rs, { usage: seedUsage() });
    expect(withUsage.flatMap((a) => a.fixes).filter((f) => f.usage).length).toBeGreaterThan(50);
  });
});

describe('agreement with the official badge', () => {
  it('a confusion matrix and every disagreement with our evidence', async () => {
    const g = agreement(await fixture('awards-2025.json'), rs);
    expect(g.labels).toEqual(['gold', 'silver', 'bronze', 'none']);
    expect(g.compared).toBe(g.agree + 4);
    expect(g.disagreements).toHaveLength(4);
    expect(g.matrix.gold.silver).toBe(1);
    const lower = g.disagreements.find((d) => d.title === '丙部none資料1')!;
    expect(lower).toMatchObject({ official: 'gold', ours: 'none', direction: 'ours-lower' });
    expect(lower.evidence[0]).toEqual({ indicator: 'link-valid', verdict: 'fail', evidence: 'HTTP 404 from https://data.example.gov.tw/gone' });
    const higher = g.disagreements.find((d) => d.title === '甲部gold資料1')!;
    expect(higher).toMatchObject({ official: 'silver', ours: 'gold', direction: 'ours-higher' });
    expect(higher.evidence.map((e) => e.indicator)).toEqual(['encoding-match', 'fields-match', 'timely']);
  });
});

describe('CSV and Markdown reports', () => {
  it('CSV: BOM, CRLF, one row per agency / dataset / fix, formula-like cells defused', async () => {
    const run = await fixture('awards-2025.json');
    run.datasets[0].title = '=HYPERLINK("http://evil")';
    const rows = (csv: string) => parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    const a = agenciesCsv(run, ['bronze', 'silver', 'gold']);
    expect(a.charCodeAt(0)).toBe(0xfeff);
    expect(a).toContain('\r\n');
    expect(rows(a).find((r) => r.agency === '台東縣政府')).toMatchObject({ group: '地方政府第二組', gold: '4', silver: '1', score: '92.00' });
    const ds = rows(datasetsCsv(run, ['link-valid', 'direct-download', 'structured']));
    expect(ds).toHaveLength(run.datasets.length);
    expect(ds[0].title).toBe('\'=HYPERLINK("http://evil")');
    const ff = rows(fixFirstCsv(fixFirst(run, rs)));
    expect(ff.length).toBe(run.datasets.filter((d) => d.badge !== 'gold').length);
    expect(ff[0]).toHaveProperty('evidence');
  });
  it('Markdown: groups, fix-first and agreement, with table-breaking text escaped', async () => {
    const run = await fixture('awards-2025.json');
    run.datasets.find((d) => d.badge === 'none')!.title = 'a | b\nc';
    const md = markdownReport({ results: run, tierIds: ['bronze', 'silver', 'gold'], fixes: fixFirst(run, rs), agreement: agreement(run, rs), groups: { localPrefixes: [], localPattern: '(縣|市)政府|公所', threshold: 10 } });
    expect(md).toContain('### 中央二級機關第一組 / Central agencies, Group 1');
    expect(md).toMatch(/\| 臺北市政府 \| 20 \| 19 \| 1 \| 0 \| 0 \| 98\.00 \|/);
    expect(md).toContain('a \\| b c');
    expect(md).toMatch(/Agree on \d+ of \d+ datasets/);
  });
});

describe('dashboard HTML', () => {
  const html = dashboardHtml(demoLikeRun(), [demoLikeRun('2025-11-01T02:00:00.000Z', 13)], { usage: seedUsage() });
  it('is one self-contained file: no external URL is loaded', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*script-src 'sha256-/);
  });
  it('never lets catalogue text out of its text context', () => {
    expect(html).not.toContain(HOSTILE_TITLE);
    expect(html).not.toContain('<script>window.__pwned');
    expect(html.match(/<script/g)).toHaveLength(2); // the JSON data block and our own script
    const data = /<script type="application\/json" id="odbadge-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(data).datasets.some((d: { t: string }) => d.t === HOSTILE_TITLE)).toBe(true);
  });
  it('zh-TW by default with English alternatives, semantic tables and a live region', () => {
    expect(html).toContain('<html lang="zh-Hant-TW">');
    expect(html).toContain('<span data-en="Agency leaderboard (award groups)">機關排行（金質獎分組）</span>');
    expect(html).toContain('role="status" aria-live="polite"');
    expect(html).toMatch(/<label for="f-search">/);
    expect(html).toContain('<th scope="col">');
  });
});

const exec = promisify(execFile);
async function odbadge(args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [resolve(ROOT, 'src/cli/main.ts'), ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('odbadge report and odbadge awards', () => {
  it('report writes index.html, the CSV tables and report.md', async () => {
    const out = await mkdtemp(join(tmpdir(), 'odbadge-report-'));
    const r = await odbadge(['report', '--results', join(ROOT, 'fixtures/runs/awards-2025.json'), '--previous', join(ROOT, 'fixtures/runs/awards-2024.json'), '--out', out]);
    expect(r.code).toBe(0);
    for (const f of ['index.html', 'agencies.csv', 'datasets.csv', 'fix-first.csv', 'report.md']) expect((await readFile(join(out, f), 'utf8')).length).toBeGreaterThan(100);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('2024-11-01');
  });
  it('report: exit 3 with a clear message for a file that is not results.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'odbadge-report-'));
    await writeFile(join(dir, 'x.json'), '{"hello": 1}');
    const r = await odbadge(['report', '--results', join(dir, 'x.json'), '--out', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('is not an odbadge results.json');
  });
  it('awards prints the tables and writes awards.json / awards.md', async () => {
    const out = await mkdtemp(join(tmpdir(), 'odbadge-awards-'));
    const r = await odbadge(['awards', '--results', join(ROOT, 'fixtures/runs/awards-2025.json'), '--previous', join(ROOT, 'fixtures/runs/awards-2024.json'), '--threshold', '10', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| 3 \| 丁部 \| 10 \| 90\.00 \| 🏅 \|\n\| 3 \| 丙部 \| 10 \| 90\.00 \| 🏅 \|/);
    expect(r.stdout).toContain('| 丙部 | 80.00 | 90.00 | +10.00 | excluded: won a 金質獎 group prize |');
    expect(r.stdout).toContain('#1 20, #2 16, #3 12, #4 8, #5 4');
    const json = JSON.parse(await readFile(join(out, 'awards.json'), 'utf8'));
    expect(json.improvement.winners.map((w: { agency: string }) => w.agency)).toEqual(['辛部', '壬部', '戊部']);
    // No usage in these results and no --usage: no 人氣獎 (the 勞動部 2017 counts belong to the demo portal only).
    expect(r.stdout).toContain('No usage counts for this catalogue (neither in the results nor given with --usage <file>): 人氣獎 is not awarded.');
    expect(json.popularity.ranked).toEqual([]);
    const j = await odbadge(['awards', '--results', join(ROOT, 'fixtures/runs/awards-2025.json'), '--json', '--out', out]);
    expect(JSON.parse(j.stdout).improvement).toBeUndefined();
  });
});
