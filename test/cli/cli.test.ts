// The CLI as a user runs it: a child process, its exit code, its stdout and the files it writes.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odbadge } from '../helpers/cli.ts';
import { startFixturePortal } from '../helpers/portal-fixture.ts';



let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let goneComesBack = false;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-cli-'));
  portal = await startFixturePortal(
    [
      { id: 'a1', title: '好資料', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
      { id: 'a2', title: '壞連結', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/gone.csv', format: 'CSV' }] },
      { id: 'b1', title: '乙的資料', agency: '乙機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
    ],
    {
      '/good.csv': (_q, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('村名,人口\n大安里,1200\n'),
      '/gone.csv': (_q, res) => (goneComesBack ? res.writeHead(200, { 'content-type': 'text/csv' }).end('村名,人口\n中正里,980\n') : res.writeHead(404).end()),
    },
  );
});
afterAll(() => portal?.close());

describe('odbadge audit', () => {
  it('writes results.json, summary.csv, summary.md and prints the score table', async () => {
    const out = join(dir, 'run1');
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out, '--allow-private-network']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| 甲機關 \| 2 \|.*\| 50\.00 \|/);
    expect(r.stdout).toMatch(/\| 乙機關 \| 1 \|.*\| 100\.00 \|/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.datasets.map((d: { id: string; badge: string }) => [d.id, d.badge])).toEqual([['a1', 'gold'], ['a2', 'none'], ['b1', 'gold']]);
    const csv = await readFile(join(out, 'summary.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\r\n')[0]).toContain('link-valid');
    expect(csv).toContain('a2,壞連結,甲機關,none');
  });

  it('--agency keeps one agency', async () => {
    const out = join(dir, 'run2');
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out, '--allow-private-network', '--agency', '乙機關', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.agencies.map((a: { agency: string }) => a.agency)).toEqual(['乙機關']);
  });

  it('refuses loopback resources by default: the link is not fetched and fails with the reason', async () => {
    const out = join(dir, 'run3');
    // A saved copy of the export: the catalogue URL itself is on loopback, and the guard refuses it too.
    const saved = join(dir, 'export-copy.csv');
    await writeFile(saved, Buffer.from(await (await fetch(portal.exportUrl)).arrayBuffer()));
    const r = await odbadge(['audit', '--catalog', saved, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    const link = results.datasets[0].indicators['link-valid'];
    expect(link.verdict).toBe('fail');
    expect(link.evidence).toMatch(/private|loopback/i);
  });

  it('exit 3 with a clear message when the catalogue cannot be read', async () => {
    const r = await odbadge(['audit', '--catalog', join(dir, 'nope.csv'), '--out', join(dir, 'x')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot read the catalogue/);
  });

  it('exit 2 on a usage error or an invalid ruleset', async () => {
    expect((await odbadge(['audit', '--out', dir])).code).toBe(2);
    expect((await odbadge(['audit', '--catalog', 'x', '--out', dir, '--concurrency', 'zero'])).code).toBe(2);
    const bad = join(dir, 'bad-ruleset.json');
    await writeFile(bad, JSON.stringify({ id: 'x' }));
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', dir, '--ruleset', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ruleset/);
  });
});

describe('every audit writes the dashboard; awards read the previous run from history', () => {
  it('index.html beside results.json, and 品質進步獎 from the store without --previous', async () => {
    const db = join(dir, 'history.db');
    const out1 = join(dir, 'h1');
    const out2 = join(dir, 'h2');
    goneComesBack = false;
    expect((await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out1, '--allow-private-network', '--db', db, '--quiet'])).code).toBe(0);
    goneComesBack = true;
    try {
      expect((await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out2, '--allow-private-network', '--db', db, '--quiet'])).code).toBe(0);
    } finally {
      goneComesBack = false;
    }
    const html = await readFile(join(out2, 'index.html'), 'utf8');
    expect(html).toContain('甲機關');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    const awards = await odbadge(['awards', '--results', join(out2, 'results.json'), '--db', db, '--json']);
    expect(awards.code).toBe(0);
    const tables = JSON.parse(awards.stdout);
    // 甲機關 rose from 50 to 100; it is also the top of its group, so the prize-winner exclusion applies.
    const all = [...tables.improvement.winners, ...tables.improvement.excluded];
    expect(all.map((w: { agency: string; gain: number }) => [w.agency, w.gain])).toEqual([['甲機關', 50]]);
  });
});

describe('odbadge inspect', () => {
  it('prints facts and verdicts as JSON; exit 1 when a verdict fails', async () => {
    const f = join(dir, 'blank.csv');
    await writeFile(f, '村名,人口\n大安里,1200\n,\n');
    const r = await odbadge(['inspect', f, '--json', '--encoding', 'UTF-8', '--fields', '村名、人口']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('csv');
    expect(j.fields).toEqual(['村名', '人口']);
    expect(j.structuralErrors).toContainEqual(expect.objectContaining({ type: 'blank-row', row: 3 }));
    expect(j.verdicts.structured.verdict).toBe('fail');
  });

  it('exit 0 for a clean file, 3 for a missing one', async () => {
    const f = join(dir, 'ok.csv');
    await writeFile(f, '村名,人口\n大安里,1200\n');
    const ok = await odbadge(['inspect', f, '--encoding', 'UTF-8', '--fields', '村名(name)、人口']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/pass\s+structured/);
    expect((await odbadge(['inspect', join(dir, 'missing.csv')])).code).toBe(3);
  });
});
