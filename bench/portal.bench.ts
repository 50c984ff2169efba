// Portal scale: a simulated data.gov.tw (default 53,000 datasets, ≈ 2.8 resources each, 400 loopback hosts, per-host
// latency log-normal around 80 ms; bench/lib/portal-shape.ts) audited end to end through the CLI — `odbadge audit
// --catalog <export URL> --out … --db …` in a child process, history store and every report written — while the
// simulator runs in another child process. The CLI is the built package, as installed (tsc into bench/tmp/pkg, with
// rules/, schemas/ and seeds/ beside it): run from source, Node's type stripper costs ~20 MB more in each of the
// audit's threads. BENCH_PORTAL_FROM_SOURCE=1 runs src/cli/main.ts instead.
//   limit = C / mean latency   (C = the audit's concurrency; the mean of the latencies the simulator injected)
//   ratio = (resources / wall time) / limit
// Memory: the audit process's VmRSS is sampled from /proc/<pid>/status every 250 ms together with the simulator's
// count of distinct resources answered; RSS at 25/50/75/100 % is the first sample at or past that share of the
// catalogue's resources (the portal's view of the audit's progress: --quiet prints none, and the plain progress line
// comes only every 5 s). Peak RSS is the process's own getrusage maxRSS, written at exit (bench/lib/exit-usage.mjs).
// Then the audit's own index.html is opened in headless Chromium and timed (bench/lib/dashboard-timing.ts).
// Env: BENCH_PORTAL_DATASETS, BENCH_PORTAL_HOSTS, BENCH_PORTAL_LATENCY_MS, BENCH_PORTAL_CONCURRENCY,
// BENCH_PORTAL_WORKERS (--workers; default: the CLI's, one per core), BENCH_PORTAL_FROM_SOURCE=1,
// BENCH_PORTAL_SKIP_BROWSER=1, BENCH_PORTAL_KEEP=1 (keep the output directory and print where it is).
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { DEFAULT_FETCH_OPTIONS } from '../src/fetch/options.ts';
import { builtCli } from './lib/built-cli.ts';
import { here, procRssMB, spawnNode, startChild } from './lib/child.ts';
import { haveChromium } from './lib/chromium.ts';
import { timeDashboard, type DashboardTiming } from './lib/dashboard-timing.ts';
import { PortalShape } from './lib/portal-shape.ts';
import type { SimStats } from './lib/sim-portal.ts';

interface PortalInfo {
  exportUrl: string;
  statsUrl: string;
  datasets: number;
  resources: number;
  hosts: number;
  agencies: number;
  exportBytes: number;
  hostResources: number[];
  hostMeanLatencyMs: number[];
}

interface Sample { sec: number; rssMB: number; served: number }

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const MB = (bytes: number) => round(bytes / 1048576);
const SEED = 53_000;
const MARKS = [0.25, 0.5, 0.75, 1] as const;

/** Bytes of a file, or of a directory's files. */
async function bytesOf(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return NaN;
  if (!s.isDirectory()) return s.size;
  let n = 0;
  for (const e of await readdir(path)) n += await bytesOf(join(path, e));
  return n;
}

async function simStats(url: string): Promise<SimStats> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as SimStats;
}

export default async function portalBench() {
  const datasets = num('BENCH_PORTAL_DATASETS', 53_000);
  const hosts = num('BENCH_PORTAL_HOSTS', 400);
  const latencyMs = num('BENCH_PORTAL_LATENCY_MS', 80);
  const concurrency = num('BENCH_PORTAL_CONCURRENCY', DEFAULT_FETCH_OPTIONS.concurrency);
  const workers = process.env.BENCH_PORTAL_WORKERS;
  const { perHost, perHostMinSpacingMs } = DEFAULT_FETCH_OPTIONS;
  const fromSource = process.env.BENCH_PORTAL_FROM_SOURCE === '1';
  const cli = fromSource ? fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)) : await builtCli();
  const loadBefore = loadavg();

  process.stderr.write(`portal bench: starting a simulated data.gov.tw of ${datasets} datasets on ${hosts} hosts, median latency ${latencyMs} ms\n`);
  const portal = await startChild<PortalInfo>(here('./sim-portal.ts'), {
    SIM_SHAPE: 'datagovtw', SIM_DATASETS: String(datasets), SIM_HOSTS: String(hosts), SIM_LATENCY_MS: String(latencyMs), SIM_SEED: String(SEED),
  }, 600_000);
  const info = portal.info;
  // The busiest host bounds the audit from below: perHost in flight and ≥ spacing between starts on one host.
  const hostBoundSec = Math.max(...info.hostResources.map((n, h) => n * Math.max(info.hostMeanLatencyMs[h] / perHost, perHostMinSpacingMs) / 1000));
  const nominalLimit = concurrency / (latencyMs / 1000);
  process.stderr.write(`  ${info.datasets} datasets, ${info.resources} resources, ${info.agencies} agencies; export ${MB(info.exportBytes)} MB; `
    + `busiest host needs ≥ ${round(hostBoundSec)} s, C/L alone ≈ ${round(info.resources / nominalLimit)} s\n`);
  if (hostBoundSec > 0.5 * (info.resources / nominalLimit)) {
    process.stderr.write('  note: with this few hosts the per-host limits, not C / latency, bound the audit; the ratio will be low\n');
  }

  const dir = await mkdtemp(join(tmpdir(), 'odbadge-portal-'));
  const out = join(dir, 'out');
  const usageFile = join(dir, 'exit-usage.json');
  try {
    const started = performance.now();
    const audit = spawnNode(cli, { BENCH_EXIT_USAGE_FILE: usageFile }, [
      'audit', '--catalog', info.exportUrl, '--out', out, '--db', join(dir, 'odbadge.db'), '--allow-private-network', '--quiet',
      '--concurrency', String(concurrency), ...(workers ? ['--workers', workers] : []),
    ], ['--import', pathToFileURL(here('./exit-usage.mjs')).href]);
    audit.stdin!.end();
    audit.stdout!.resume();
    let code: number | null | undefined;
    const exited = once(audit, 'exit').then(([c]) => (code = c as number | null));
    const samples: Sample[] = [];
    let sampledPeakMB = 0;
    const budgetMs = Math.max(600_000, (info.resources / nominalLimit) * 1000 * 10);
    while (code === undefined) {
      const mem = procRssMB(audit.pid!);
      if (mem) {
        sampledPeakMB = Math.max(sampledPeakMB, mem.peakMB);
        const served = (await simStats(info.statsUrl)).served;
        samples.push({ sec: (performance.now() - started) / 1000, rssMB: mem.rssMB, served });
      }
      if (performance.now() - started > budgetMs) {
        audit.kill('SIGKILL');
        throw new Error(`the audit did not finish within ${Math.round(budgetMs / 1000)} s`);
      }
      await Promise.race([sleep(250), exited]);
    }
    const wallSec = (performance.now() - started) / 1000;
    // A failed audit still yields the crawl's figures (rate, RSS along the way, peak); what it did not write is
    // left out and auditExitCode says so — the point of a benchmark of a pipeline under change is to see where.
    if (code !== 0) process.stderr.write(`  WARNING: odbadge audit exited with ${code}; recording the figures of the crawl\n`);

    const sim = await simStats(info.statsUrl);
    // Absent only when the process was killed before its exit handler could run.
    const usage = (existsSync(usageFile) ? JSON.parse(await readFile(usageFile, 'utf8')) : { maxRssKB: 0, userMs: NaN, systemMs: NaN }) as { maxRssKB: number; userMs: number; systemMs: number };
    const first = (share: number) => samples.find((s) => s.served >= share * info.resources);
    const at = Object.fromEntries(MARKS.map((m) => [m, first(m)]));
    const crawlSec = at[1]?.sec ?? wallSec;
    const meanLatencyMs = sim.drawnLatencyMs / sim.responses;
    const limitPerSec = concurrency / (meanLatencyMs / 1000);
    const resourcesPerSec = info.resources / wallSec;
    const size = async (f: string) => MB((await stat(f).catch(() => ({ size: NaN }))).size);
    const written = (f: string) => existsSync(join(out, f));

    // What the audit found against what the simulator planted (badges), from the audit's own datasets.csv.
    const shape = new PortalShape({ datasets, hosts, latencyMs, seed: SEED });
    const rows = written('datasets.csv') ? parse(readFileSync(join(out, 'datasets.csv')), { bom: true, columns: true }) as { id: string; badge: string }[] : [];
    const badges: Record<string, number> = {};
    const misses: Record<string, number> = {};
    let agree = 0;
    for (const row of rows) {
      badges[row.badge] = (badges[row.badge] ?? 0) + 1;
      const expected = shape.datasetById(row.id)?.expectedBadge;
      if (expected === row.badge) agree++;
      else misses[`${expected}→${row.badge}`] = (misses[`${expected}→${row.badge}`] ?? 0) + 1;
    }

    let browser: DashboardTiming | undefined;
    if (process.env.BENCH_PORTAL_SKIP_BROWSER !== '1' && haveChromium && written('index.html')) {
      browser = await timeDashboard(join(out, 'index.html'));
      process.stderr.write(`  dashboard in Chromium: ${JSON.stringify(browser)}\n`);
    }
    const rssAt = (m: number) => at[m]?.rssMB;
    const figures = {
      ratio: round(resourcesPerSec / limitPerSec, 3),
      ...(code !== 0 ? { auditExitCode: code } : {}),
      resourcesPerSec: round(resourcesPerSec),
      limitPerSec: round(limitPerSec),
      crawlRatio: round(info.resources / crawlSec / limitPerSec, 3),
      wallSec: round(wallSec),
      crawlSec: round(crawlSec),
      writeSec: round(wallSec - crawlSec),
      hostBoundSec: round(hostBoundSec),
      peakRssMB: round(Math.max(usage.maxRssKB / 1024, sampledPeakMB)),
      rssAt25MB: rssAt(0.25), rssAt50MB: rssAt(0.5), rssAt75MB: rssAt(0.75), rssAt100MB: rssAt(1),
      rssGrowth: at[1] && at[0.25] ? round(at[1].rssMB / at[0.25].rssMB, 2) : undefined,
      rssAtEndMB: samples.at(-1)?.rssMB,
      rssCurveMB: Array.from({ length: 10 }, (_, k) => first((k + 1) / 10)?.rssMB ?? null),
      cpuSec: round((usage.userMs + usage.systemMs) / 1000),
      coresUsed: round((usage.userMs + usage.systemMs) / 1000 / wallSec, 2),
      resultsJsonMB: written('results.json') ? await size(join(out, 'results.json')) : null,
      dashboardMB: written('index.html') ? await size(join(out, 'index.html')) : null,
      // A portal's dashboard keeps its data beside the page (index-data/): all of it, and the page alone.
      dashboardDataMB: written('index-data') ? MB(await bytesOf(join(out, 'index-data'))) : 0,
      storeMB: await size(join(dir, 'odbadge.db')),
      datasets: info.datasets,
      auditedDatasets: rows.length,
      resources: info.resources,
      agencies: info.agencies,
      hosts,
      concurrency,
      workers: workers ? Number(workers) : availableParallelism(),
      cli: fromSource ? 'source' : 'built',
      loadAvgBefore: loadBefore.map((x) => round(x, 2)),
      loadAvgAfter: loadavg().map((x) => round(x, 2)),
      latencyMedianMs: latencyMs,
      meanLatencyMs: round(meanLatencyMs),
      measuredLatencyMs: round(sim.measuredLatencyMs / sim.responses),
      requests: sim.requests,
      byStatus: sim.byStatus,
      downloadedMB: MB(sim.bytes),
      simCpuSec: round(sim.cpuMs / 1000),
      badges,
      badgeAgreement: rows.length ? round(agree / rows.length, 4) : null,
      badgeMisses: misses,
      ...(browser ? {
        browserAgencyTableMs: browser.agencyTableMs, browserDatasetTableMs: browser.datasetTableMs,
        browserFilterAgencyMs: browser.filterAgencyMs, browserFilterSearchMs: browser.filterSearchMs,
      } : {}),
      samples: samples.length,
    };
    process.stderr.write(`  ${JSON.stringify(figures)}\n`);
    return { 'portal-scale': figures };
  } finally {
    await portal.stop();
    if (process.env.BENCH_PORTAL_KEEP === '1') process.stderr.write(`  kept ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}
