// Child process: audits the simulated portal through runAudit and prints throughput and peak RSS as one JSON line.
import { runAudit } from '../../src/audit.ts';
import { peakRssMB } from './child.ts';

const started = performance.now();
const result = await runAudit({
  catalog: process.env.BENCH_CATALOG!,
  fetch: {
    allowPrivateNetwork: true, // the simulated portal lives on loopback
    concurrency: Number(process.env.BENCH_CONCURRENCY),
    perHost: Number(process.env.BENCH_PER_HOST),
    perHostMinSpacingMs: Number(process.env.BENCH_SPACING_MS),
  },
});
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage();
const kinds: Record<string, number> = {};
for (const d of result.datasets) for (const r of d.resources) kinds[r.fetch.kind] = (kinds[r.fetch.kind] ?? 0) + 1;
process.stdout.write(`${JSON.stringify({
  resources: result.stats.resources, requests: result.stats.requests, elapsedMs, kinds,
  gold: result.datasets.filter((d) => d.badge === 'gold').length, peakRssMB: peakRssMB(),
  cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
})}\n`);
