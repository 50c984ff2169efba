// Distributed audit (issue 15): the portal benchmark's simulated data.gov.tw (bench/lib/portal-shape.ts; default
// 5,000 datasets — a national portal takes the portal benchmark's 9 minutes per contender) audited
//   - by one process on SQLite (`odbadge audit --db file`), the baseline, and
//   - on PostgreSQL by a coordinator (`audit --distributed --workers 0`) and 1, 2 and 4 worker processes
//     (`odbadge worker`), each contender on a fresh database,
// side by side in one run, through the CLI as installed (the built package). For each: resources per second and
// its ratio to the SQLite audit, wall time, the coordinator's and the workers' peak RSS (getrusage at exit), and
// the queue's overhead per resource: the extra wall time of the one-worker run over the SQLite run, per resource
// (jobs, leases and PostgreSQL writes with nothing to parallelise them).
// On a 2-core machine the workers share the cores with the simulator and PostgreSQL: the figures say what the queue
// costs and that more workers do not lose throughput, not how a fleet of machines scales.
// Env: BENCH_DIST_DATASETS (5000), BENCH_DIST_WORKERS ("1,2,4"), BENCH_PORTAL_HOSTS, BENCH_PORTAL_LATENCY_MS.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { havePostgres, startPostgres } from '../scripts/local-postgres.ts';
import { builtCli } from './lib/built-cli.ts';
import { here, spawnNode, startChild } from './lib/child.ts';

interface PortalInfo { exportUrl: string; statsUrl: string; datasets: number; resources: number }

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Runs a CLI child to its end; its exit code and peak RSS (MB) from getrusage at exit. */
async function runCli(cli: string, args: string[], env: Record<string, string>, usageFile: string): Promise<{ code: number | null; peakMB: number }> {
  const child = spawnNode(cli, { ...env, BENCH_EXIT_USAGE_FILE: usageFile }, args, ['--import', pathToFileURL(here('./exit-usage.mjs')).href]);
  child.stdin!.end();
  child.stdout!.resume();
  const [code] = await once(child, 'exit') as [number | null];
  return { code, peakMB: await peakOf(usageFile) };
}

async function peakOf(usageFile: string): Promise<number> {
  if (!existsSync(usageFile)) return NaN;
  return round((JSON.parse(await readFile(usageFile, 'utf8')) as { maxRssKB: number }).maxRssKB / 1024);
}

export default async function distributedBench() {
  if (!havePostgres) {
    process.stderr.write('distributed bench: PostgreSQL is not installed (apt-get install postgresql); skipped\n');
    return {};
  }
  const datasets = num('BENCH_DIST_DATASETS', 5_000);
  const counts = (process.env.BENCH_DIST_WORKERS ?? '1,2,4').split(',').map(Number).filter((n) => n > 0);
  const cli = await builtCli();
  const portal = await startChild<PortalInfo>(here('./sim-portal.ts'), {
    SIM_SHAPE: 'datagovtw', SIM_DATASETS: String(datasets), SIM_HOSTS: String(num('BENCH_PORTAL_HOSTS', 400)),
    SIM_LATENCY_MS: String(num('BENCH_PORTAL_LATENCY_MS', 80)), SIM_SEED: '53000',
  }, 600_000);
  const info = portal.info;
  const dir = await mkdtemp(join(tmpdir(), 'odbadge-dist-bench-'));
  const loadBefore = loadavg();
  const auditArgs = (out: string) => ['audit', '--catalog', info.exportUrl, '--out', out, '--allow-private-network', '--quiet'];
  try {
    process.stderr.write(`distributed bench: ${info.datasets} datasets, ${info.resources} resources\n`);
    let t = performance.now();
    const local = await runCli(cli, [...auditArgs(join(dir, 'local')), '--db', join(dir, 'local.db')], {}, join(dir, 'local-usage.json'));
    const localSec = (performance.now() - t) / 1000;
    if (local.code !== 0) throw new Error(`the SQLite audit exited with ${local.code}`);
    const localRate = info.resources / localSec;
    process.stderr.write(`  SQLite, one process: ${round(localSec)} s, ${round(localRate)} resources/s, peak ${local.peakMB} MB\n`);

    const figures: Record<string, unknown> = {};
    let oneWorkerSec = NaN;
    for (const n of counts) {
      const pg = startPostgres();
      const workers: ChildProcess[] = [];
      try {
        const env = { ODBADGE_DB: pg.url };
        const usage = (k: number) => join(dir, `w${n}-${k}.json`);
        for (let k = 0; k < n; k++) {
          const w = spawnNode(cli, { ...env, BENCH_EXIT_USAGE_FILE: usage(k) }, ['worker', '--concurrency', '16'], ['--import', pathToFileURL(here('./exit-usage.mjs')).href]);
          w.stdin!.end();
          w.stdout!.resume();
          workers.push(w);
        }
        t = performance.now();
        const coord = await runCli(cli, [...auditArgs(join(dir, `dist${n}`)), '--distributed', '--workers', '0'], env, join(dir, `coord${n}.json`));
        const sec = (performance.now() - t) / 1000;
        if (coord.code !== 0) throw new Error(`the distributed audit with ${n} worker(s) exited with ${coord.code}`);
        for (const w of workers) w.kill('SIGTERM');
        await Promise.all(workers.map((w) => (w.exitCode !== null ? Promise.resolve() : once(w, 'exit'))));
        const workerPeaks = await Promise.all(workers.map((_, k) => peakOf(usage(k))));
        if (n === 1) oneWorkerSec = sec;
        const rate = info.resources / sec;
        figures[`distributed-${n}`] = {
          ratio: round(rate / localRate, 3), workers: n, resourcesPerSec: round(rate), wallSec: round(sec),
          coordinatorPeakRssMB: coord.peakMB, workerPeakRssMB: workerPeaks, peakRssMB: Math.max(coord.peakMB, ...workerPeaks),
        };
        process.stderr.write(`  PostgreSQL, ${n} worker(s): ${round(sec)} s, ${round(rate)} resources/s (×${round(rate / localRate, 2)} of SQLite)\n`);
      } finally {
        for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
        pg.destroy();
      }
    }
    const summary = {
      ratio: (figures[`distributed-${counts.at(-1)}`] as { ratio: number } | undefined)?.ratio ?? NaN,
      datasets: info.datasets, resources: info.resources,
      localSec: round(localSec), localResourcesPerSec: round(localRate), localPeakRssMB: local.peakMB,
      queueOverheadMsPerResource: Number.isFinite(oneWorkerSec) ? round(((oneWorkerSec - localSec) * 1000) / info.resources, 2) : null,
      loadAvgBefore: loadBefore.map((x) => round(x, 2)), loadAvgAfter: loadavg().map((x) => round(x, 2)),
      contenders: figures,
    };
    process.stderr.write(`  ${JSON.stringify(summary)}\n`);
    return { distributed: summary };
  } finally {
    await portal.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
