// `--db postgres://…` and ODBADGE_DB from the command line, against a real PostgreSQL: an audit records its runs
// there, and history, diff, report --run, awards and prune read them as they read an SQLite file. A server that is
// not there, a database that does not exist or is another program's: exit 3 with one line, and the password in
// the URL is never printed.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runProgram, type CliRun } from '../helpers/cli.ts';
import { startFixturePortal } from '../helpers/portal-fixture.ts';
import { havePostgres, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { databaseUrl, pgExec } from '../helpers/stores.ts';

const F = '村名、人口';
const BODIES = {
  gold: { status: 200, body: '村名,人口\r\n大安里,1200\r\n' }, // 100
  bronze: { status: 200, body: '村名,人口\r\n大安里,1200,多\r\n' }, // 30: an extra cell
};
const serving: { a: keyof typeof BODIES } = { a: 'bronze' };
const serve = (which: 'a' | 'b') => (_req: unknown, res: ServerResponse) => {
  const b = BODIES[which === 'a' ? serving.a : 'gold'];
  res.writeHead(b.status, { 'content-type': 'text/csv; charset=utf-8' }).end(b.body);
};

let server: TestPostgres;
let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
/** The test server's URL with a password in it: trust authentication ignores it, and nothing may ever print it. */
let url: string;
const PASSWORD = 's3cr3t-pw';
const withPassword = (u: string) => u.replace('postgres://odbadge@', `postgres://odbadge:${PASSWORD}@`);

function odbadge(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runProgram(process.execPath, [CLI, ...args], { timeoutMs: 60_000, env: { ...process.env, ODBADGE_HOME: join(dir, 'home'), ...env } });
}

function noSecret(r: CliRun): void {
  expect(r.stdout + r.stderr).not.toContain(PASSWORD);
}

beforeAll(async () => {
  if (!havePostgres) return;
  server = startPostgres();
  url = withPassword(server.url);
  dir = await mkdtemp(join(tmpdir(), 'odbadge-pg-cli-'));
  portal = await startFixturePortal([
    { id: 'a1', title: '甲的資料', agency: '甲機關', fields: F, resources: [{ path: '/a.csv', format: 'CSV' }] },
    { id: 'b1', title: '乙的資料', agency: '乙機關', fields: F, resources: [{ path: '/b.csv', format: 'CSV' }] },
  ], { '/a.csv': serve('a'), '/b.csv': serve('b') });
}, 60_000);

afterAll(async () => {
  await portal?.close();
  server?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!havePostgres)('odbadge with a PostgreSQL history store', () => {
  it('audit records its runs there; history, diff, report --run, awards and prune read them', async () => {
    const audit = async (name: string) => {
      const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', join(dir, name), '--db', url, '--allow-private-network']);
      expect(r.code, r.stderr).toBe(0);
      noSecret(r);
      return r;
    };
    serving.a = 'bronze';
    const first = await audit('A1');
    expect(first.stderr).toMatch(/Recorded as run 1 in postgres:\/\/\*\*\*@\/odbadge\?host=/);
    serving.a = 'gold';
    const second = await audit('A2');
    expect(second.stderr).toMatch(/Recorded as run 2 in postgres:\/\/\*\*\*@/);

    const h = await odbadge(['history', '--db', url, '--json']);
    expect(h.code, h.stderr).toBe(0);
    noSecret(h);
    const hist = JSON.parse(h.stdout);
    expect(hist.store).toMatch(/^postgres:\/\/\*\*\*@\/odbadge\?host=/);
    expect(hist.runs.map((r: { id: number; status: string; datasets: number; previousRunId: number | null }) => [r.id, r.status, r.datasets, r.previousRunId]))
      .toEqual([[1, 'complete', 2, null], [2, 'complete', 2, 1]]);

    const d = await odbadge(['diff', '--db', url, '--json']);
    expect(d.code, d.stderr).toBe(0);
    const diff = JSON.parse(d.stdout);
    expect([diff.runA.id, diff.runB.id]).toEqual([1, 2]);
    expect(diff.rose.map((x: { id: string; from: string; to: string }) => [x.id, x.from, x.to])).toEqual([['a1', 'bronze', 'gold']]);
    expect(diff.agencies.find((a: { agency: string }) => a.agency === '甲機關')).toEqual({ agency: '甲機關', before: 30, after: 100, delta: 70 });

    const rep = await odbadge(['report', '--run', '2', '--db', url, '--out', join(dir, 'R2')]);
    expect(rep.code, rep.stderr).toBe(0);
    noSecret(rep);
    const audited = JSON.parse(await readFile(join(dir, 'A2', 'results.json'), 'utf8'));
    const regenerated = JSON.parse(await readFile(join(dir, 'R2', 'results.json'), 'utf8'));
    expect(regenerated.datasets).toEqual(audited.datasets);
    expect(regenerated.agencies).toEqual(audited.agencies);
    expect(regenerated.run).toEqual({ id: 2, resumed: false, status: 'complete', previousRunId: 1 });
    expect(existsSync(join(dir, 'R2', 'index.html'))).toBe(true);

    const aw = await odbadge(['awards', '--results', join(dir, 'A2', 'results.json'), '--db', url, '--json', '--out', join(dir, 'AW')]);
    expect(aw.code, aw.stderr).toBe(0);
    const awards = JSON.parse(aw.stdout);
    expect(awards.previousRun).toMatchObject({ runId: 1, catalog: portal.exportUrl });
    expect([...awards.improvement.winners, ...awards.improvement.excluded].map((w: { agency: string; gain: number }) => [w.agency, w.gain])).toEqual([['甲機關', 70]]);

    const p = await odbadge(['prune', '--keep', '1', '--db', url]);
    expect([p.code, p.stdout]).toEqual([0, 'Deleted 1 run(s) (1) and 0 unused URL record(s).\n']);
    const after = JSON.parse((await odbadge(['history', '--db', url, '--json'])).stdout);
    expect(after.runs.map((r: { id: number }) => r.id)).toEqual([2]);
    // Nothing was written to the default SQLite file.
    expect(existsSync(join(dir, 'home', 'odbadge.db'))).toBe(false);
  }, 120_000);

  it('ODBADGE_DB names the store when --db is not given; --db overrides it', async () => {
    await pgExec(server.url, 'CREATE DATABASE from_env');
    const env = { ODBADGE_DB: withPassword(databaseUrl(server.url, 'from_env')) };
    const a = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', join(dir, 'E1'), '--allow-private-network'], env);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/Recorded as run 1 in postgres:\/\/\*\*\*@\/from_env\?host=/);
    noSecret(a);
    const h = await odbadge(['history', '--json'], env);
    expect(h.code, h.stderr).toBe(0);
    expect(JSON.parse(h.stdout).runs.map((r: { id: number; datasets: number }) => [r.id, r.datasets])).toEqual([[1, 2]]);
    expect(existsSync(join(dir, 'home', 'odbadge.db'))).toBe(false);
    const file = join(dir, 'other.db');
    const over = await odbadge(['history', '--db', file], env);
    expect([over.code, over.stderr]).toEqual([3, expect.stringContaining(`no history store at ${file}`)]);
  }, 120_000);

  it('no server, no such database, or another program\'s database: exit 3, one line, never the password', async () => {
    const oneLine = (r: CliRun) => expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    const nowhere = withPassword(`postgres://odbadge@/odbadge?host=${encodeURIComponent(join(dir, 'no-server-here'))}`);
    for (const args of [['history'], ['diff'], ['prune', '--keep', '1'], ['report', '--run', '1', '--out', join(dir, 'x')], ['audit', '--catalog', portal.exportUrl, '--out', join(dir, 'x')]]) {
      const r = await odbadge([...args, '--db', nowhere]);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(/cannot connect to the history store postgres:\/\/\*\*\*@\/odbadge/);
      oneLine(r);
      noSecret(r);
    }
    const missing = await odbadge(['history', '--db', withPassword(databaseUrl(server.url, 'no_such_db'))]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no history store at postgres:\/\/\*\*\*@\/no_such_db.*database "no_such_db" does not exist/);
    oneLine(missing);
    noSecret(missing);
    await pgExec(server.url, 'CREATE DATABASE shop');
    await pgExec(databaseUrl(server.url, 'shop'), 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    for (const args of [['history'], ['audit', '--catalog', portal.exportUrl, '--out', join(dir, 'y')]]) {
      const r = await odbadge([...args, '--db', withPassword(databaseUrl(server.url, 'shop'))]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/is a PostgreSQL database but not an odbadge history store/);
      oneLine(r);
      noSecret(r);
    }
  }, 120_000);
});
