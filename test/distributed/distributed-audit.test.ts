// Issue 15 acceptance: a loopback portal audited by a coordinator and 3 worker processes on a real PostgreSQL; one
// worker is SIGKILLed part-way. The results equal a local audit's, every dataset is recorded once, and the server
// never sees more than --per-host requests at once. Then history, diff, report --run and awards read the store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, odbadge, runProgram } from '../helpers/cli.ts';
import { startFixturePortal, type FixtureDataset } from '../helpers/portal-fixture.ts';
import { havePostgres, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

const DATASETS = 36;
const PER_DATASET = 3;
const PER_HOST = 3;
/** Quick to notice a dead worker (pg-boss's least heartbeat is 10 s) and free its host leases. */
const TIMING = JSON.stringify({ heartbeatSeconds: 10, monitorIntervalSeconds: 1, pollingIntervalSeconds: 0.5, hostLeaseSeconds: 3, retryDelay: 1 });

interface Result {
  datasets: { id: string; badge: string; indicators: Record<string, { verdict: string; code?: string; evidence: string }>; resources: { url: string; fetch: { kind: string; status?: number }; facts?: { format: string } }[] }[];
  agencies: { agency: string; score: number }[];
}

/** What must agree between a local and a distributed audit: badges, verdicts, codes, evidence, resources' outcomes, scores. */
function essence(r: Result) {
  return {
    datasets: r.datasets.map((d) => ({
      id: d.id, badge: d.badge,
      indicators: Object.fromEntries(Object.entries(d.indicators).map(([k, v]) => [k, [v.verdict, v.code ?? '', v.evidence]])),
      resources: d.resources.map((x) => [x.url, x.fetch.kind, x.fetch.status ?? null, x.facts?.format ?? null]),
    })),
    agencies: r.agencies.map((a) => [a.agency, a.score]),
  };
}

describe.skipIf(!havePostgres)('a distributed audit on PostgreSQL', () => {
  let db: TestPostgres;
  let portal: Awaited<ReturnType<typeof startFixturePortal>>;
  let dir: string;
  let inFlight = 0;
  let maxInFlight = 0;
  let served = 0;
  /** How long the portal takes per file. */
  let delayMs = 120;
  /** Files the portal serves (the others are gone: 404). */
  let files = 0;
  const workers: ChildProcess[] = [];

  const slowCsv = (body: string) => (_q: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      served++;
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(body);
    }, delayMs);
  };

  beforeAll(async () => {
    db = startPostgres();
    dir = await mkdtemp(join(tmpdir(), 'odbadge-dist-'));
    const datasets: FixtureDataset[] = [];
    const routes: Record<string, (q: IncomingMessage, r: ServerResponse) => void> = {};
    for (let i = 0; i < DATASETS; i++) {
      const resources = Array.from({ length: PER_DATASET }, (_, k) => ({ path: `/d${i}/r${k}.csv`, format: 'CSV' }));
      datasets.push({ id: `ds${i}`, title: `資料集 ${i}`, agency: `機關${i % 4}`, fields: '村名、人口', resources });
      for (const [k, r] of resources.entries()) {
        // Every ninth resource is gone; every seventh has fields that do not match the declaration.
        if ((i * PER_DATASET + k) % 9 === 4) continue;
        routes[r.path] = slowCsv((i * PER_DATASET + k) % 7 === 3 ? '名稱,數量\n甲,1\n' : '村名,人口\n大安里,1200\n');
      }
    }
    files = Object.keys(routes).length;
    portal = await startFixturePortal(datasets, routes);
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await portal?.close();
    db?.destroy();
  });

  /** What the workers said (-v), shown when an assertion fails. */
  let workerLog = '';
  const startWorker = () => {
    const w = spawn(process.execPath, [CLI, 'worker', '--db', db.url, '--concurrency', '4', '--workers', '1', '-v'], {
      env: { ...process.env, ODBADGE_QUEUE_TIMING: TIMING }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const n = workers.length;
    w.stdout!.resume();
    w.stderr!.setEncoding('utf8').on('data', (t: string) => (workerLog += t.replace(/^/gm, `[worker ${n}] `)));
    workers.push(w);
    return w;
  };
  /** The database goes away and comes back (a restart, as an upgrade or a failover does) without blocking the portal. */
  const restartPostgres = async () => {
    db.stop('fast');
    await new Promise((r) => setTimeout(r, 1_000));
    db.start();
  };

  it('3 workers, one SIGKILLed part-way: the results equal a local audit\'s, and no host ever had more than --per-host in flight', async () => {
    const local = await odbadge(['audit', '--catalog', portal.exportUrl, '--allow-private-network', '--no-store', '--per-host', String(PER_HOST), '--out', join(dir, 'local'), '-q'], { timeoutMs: 120_000 });
    expect(local.code, local.stderr).toBe(0);
    inFlight = 0;
    maxInFlight = 0;
    served = 0;

    const ws = [startWorker(), startWorker(), startWorker()];
    const coordinator = runProgram(process.execPath, [
      CLI, 'audit', '--catalog', portal.exportUrl, '--allow-private-network', '--db', db.url, '--distributed', '--workers', '0',
      '--per-host', String(PER_HOST), '--out', join(dir, 'dist'), '-q',
    ], { timeoutMs: 150_000, env: { ...process.env, ODBADGE_QUEUE_TIMING: TIMING } });
    // Part-way: a third of the resources served.
    for (let i = 0; i < 600 && served < (DATASETS * PER_DATASET) / 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(served).toBeGreaterThan(0);
    ws[0].kill('SIGKILL');
    const r = await coordinator;
    expect(r.code, r.stderr).toBe(0);

    const want = JSON.parse(await readFile(join(dir, 'local', 'results.json'), 'utf8')) as Result;
    const got = JSON.parse(await readFile(join(dir, 'dist', 'results.json'), 'utf8')) as Result;
    expect(got.datasets).toHaveLength(DATASETS);
    expect(essence(got)).toEqual(essence(want));
    // The planted defects are there (so equality is not two empty audits agreeing).
    expect(want.datasets.filter((d) => d.badge === 'none').length).toBeGreaterThan(5);
    expect(maxInFlight).toBeLessThanOrEqual(PER_HOST);
    // …and the workers did work side by side on it (not one request at a time).
    expect(maxInFlight).toBeGreaterThan(1);

    // The killed worker's jobs were taken over: retried, and each dataset and resource recorded once.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM odbadge_queue.job WHERE name = 'odbadge-dataset' AND retry_count > 0`);
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    const stats = (x: unknown) => (x as { stats: { resources: number; distinctUrls: number } }).stats;
    expect([stats(got).resources, stats(got).distinctUrls]).toEqual([stats(want).resources, stats(want).distinctUrls]);
    expect(stats(got).distinctUrls).toBe(DATASETS * PER_DATASET);

    // The other workers stop cleanly on SIGTERM.
    for (const w of ws.slice(1)) w.kill('SIGTERM');
    const codes = await Promise.all(ws.slice(1).map((w) => new Promise<number | null>((res) => (w.exitCode !== null ? res(w.exitCode) : w.once('exit', (c) => res(c))))));
    expect(codes).toEqual([0, 0]);
  }, 240_000);

  it('the coordinator killed part-way and PostgreSQL restarted under the workers; --resume with PostgreSQL restarted under it again: the same results', async () => {
    served = 0;
    workerLog = '';
    // Slower files, so the resumed run still has work in hand when the database goes away the second time.
    delayMs = 400;
    const args = ['--allow-private-network', '--db', db.url, '--distributed', '--workers', '0', '--per-host', String(PER_HOST), '-q'];
    const env = { ...process.env, ODBADGE_QUEUE_TIMING: TIMING };
    const waitServed = async (n: number) => {
      for (let i = 0; i < 1200 && served < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    const stopWorkers = async (ws: ChildProcess[]) => {
      for (const w of ws) w.kill('SIGTERM');
      return Promise.all(ws.map((w) => new Promise<number | null>((res) => (w.exitCode !== null ? res(w.exitCode) : w.once('exit', (c) => res(c))))));
    };
    const lastRunStatus = async () => {
      const h = await odbadge(['history', '--db', db.url, '--format', 'json']);
      const runs = h.code === 0 ? (JSON.parse(h.stdout) as { runs: { status: string }[] }).runs : [];
      return runs.at(-1)?.status;
    };

    const early = [startWorker(), startWorker()];
    const first = spawn(process.execPath, [CLI, 'audit', '--catalog', portal.exportUrl, '--out', join(dir, 'resumed'), ...args], { env, stdio: 'ignore' });
    await waitServed((DATASETS * PER_DATASET) / 4);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // The database goes away and comes back while the workers are busy with the jobs already queued; then they are
    // stopped (finishing what they hold), leaving the rest of the queue to the resumed run.
    await restartPostgres();
    expect(await stopWorkers(early), workerLog).toEqual([0, 0]);
    // A killed coordinator's run is free at once (its session lock went with it), but not across a restart: the
    // server dropped every lock, so a heartbeat older than the server's start counts until it is 15 s old
    // (store/pg-run-locks.ts); until then history shows the run running, and --resume would refuse it.
    for (let i = 0; i < 40 && (await lastRunStatus()) === 'running'; i++) await new Promise((r) => setTimeout(r, 1_000));
    expect(await lastRunStatus()).toBe('interrupted');

    const resumed = runProgram(process.execPath, [CLI, 'audit', '--resume', '--catalog', portal.exportUrl, '--out', join(dir, 'resumed'), ...args], { timeoutMs: 180_000, env });
    for (let i = 0; i < 100 && (await lastRunStatus()) !== 'running'; i++) await new Promise((r) => setTimeout(r, 200));
    const late = [startWorker(), startWorker()];
    const servedBefore = served;
    // …and once more under the resumed coordinator and its workers, part-way.
    await waitServed(servedBefore + 6);
    const remaining = files - served;
    await restartPostgres();
    const r = await resumed;
    expect(r.code, `${r.stderr}\n${workerLog}`).toBe(0);
    // The second restart did land mid-run (not after the last file was served).
    expect(remaining).toBeGreaterThan(6);
    const want = JSON.parse(await readFile(join(dir, 'local', 'results.json'), 'utf8')) as Result;
    const got = JSON.parse(await readFile(join(dir, 'resumed', 'results.json'), 'utf8')) as Result & { run: { resumed: boolean } };
    expect(got.run.resumed).toBe(true);
    expect(essence(got), workerLog).toEqual(essence(want));
    expect(await stopWorkers(late), workerLog).toEqual([0, 0]);
    delayMs = 120;
  }, 300_000);

  it('history, diff, report --run and awards read the PostgreSQL store the distributed run wrote', async () => {
    const h = await odbadge(['history', '--db', db.url, '--format', 'json']);
    expect(h.code, h.stderr).toBe(0);
    const runs = (JSON.parse(h.stdout) as { runs: { id: number; status: string; datasets: number }[] }).runs;
    expect(runs.map((x) => [x.status, x.datasets])).toContainEqual(['complete', DATASETS]);
    const id = runs.find((x) => x.status === 'complete')!.id;
    const rep = await odbadge(['report', '--run', String(id), '--db', db.url, '--out', join(dir, 'again')]);
    expect(rep.code, rep.stderr).toBe(0);
    const again = JSON.parse(await readFile(join(dir, 'again', 'results.json'), 'utf8')) as Result;
    const dist = JSON.parse(await readFile(join(dir, 'dist', 'results.json'), 'utf8')) as Result;
    expect(essence(again)).toEqual(essence(dist));
    const diff = await odbadge(['diff', String(id), String(id), '--db', db.url, '--format', 'json']);
    expect(diff.code, diff.stderr).toBe(0);
    const aw = await odbadge(['awards', '--results', join(dir, 'dist', 'results.json'), '--db', db.url, '--out', join(dir, 'awards'), '--format', 'json']);
    expect(aw.code, aw.stderr).toBe(0);
  }, 120_000);
  it('ci --distributed with the coordinator auditing jobs itself (no --workers 0): exit 1 and the same failing datasets as a local ci', async () => {
    const common = ['ci', '--catalog', portal.exportUrl, '--allow-private-network', '--per-host', String(PER_HOST), '--format', 'json'];
    const local = await odbadge([...common, '--no-store', '--junit', join(dir, 'ci-local.xml')], { timeoutMs: 120_000 });
    const dist = await runProgram(process.execPath, [CLI, ...common, '--db', db.url, '--distributed', '--junit', join(dir, 'ci-dist.xml')], {
      timeoutMs: 150_000, env: { ...process.env, ODBADGE_QUEUE_TIMING: TIMING },
    });
    const failing = (r: { stdout: string }) => (JSON.parse(r.stdout) as { ci: { failingDatasets: { id: string }[] } }).ci.failingDatasets.map((f) => f.id);
    // The datasets with a missing file (every ninth resource is gone): ds1, ds4, …, ds34 have no bronze.
    const broken = Array.from({ length: 12 }, (_, j) => `ds${1 + 3 * j}`);
    expect([local.code, [...failing(local)].sort()]).toEqual([1, [...broken].sort()]);
    expect(dist.code, dist.stderr).toBe(1);
    expect([...failing(dist)].sort()).toEqual([...broken].sort());
    const failures = (xml: string) => [...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*>\s*<failure/g)].map((m) => m[1]).sort();
    const [lx, dx] = await Promise.all([readFile(join(dir, 'ci-local.xml'), 'utf8'), readFile(join(dir, 'ci-dist.xml'), 'utf8')]);
    expect(failures(dx)).toEqual(failures(lx));
    expect(failures(dx)).toHaveLength(12);
  }, 300_000);
});
