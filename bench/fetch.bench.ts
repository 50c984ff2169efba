// Fetch throughput: odbadge audits a simulated portal (≥ 20,000 resources on ≥ 50 loopback hosts, L ms per
// response) through runAudit with concurrency C, and linkinator checks the same URLs with the same concurrency,
// side by side in one run, each in its own child process (peak RSS is per process).
//   limit = min(C / L, Σ_hosts min(perHost / L, 1000 / spacing))   resources per second
// Env overrides: BENCH_RESOURCES, BENCH_HOSTS, BENCH_LATENCY_MS, BENCH_CONCURRENCY, BENCH_PER_HOST, BENCH_SPACING_MS,
// BENCH_SKIP_LINKINATOR=1.
import { here, runChild, startChild } from './lib/child.ts';

interface PortalInfo { exportUrl: string; pageUrl: string; urls: number; hosts: number }
interface AuditRun { resources: number; requests: number; elapsedMs: number; kinds: Record<string, number>; gold: number; peakRssMB: number }
interface LinkinatorRun { links: number; ok: number; elapsedMs: number; peakRssMB: number }

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export default async function fetchBench() {
  const resources = num('BENCH_RESOURCES', 20_000);
  const hosts = num('BENCH_HOSTS', 50);
  const latencyMs = num('BENCH_LATENCY_MS', 50);
  const concurrency = num('BENCH_CONCURRENCY', 32);
  const perHost = num('BENCH_PER_HOST', 4);
  // Spacing 0 by default: linkinator has none, and the point is what the scheduler achieves within C and perHost.
  const spacingMs = Number(process.env.BENCH_SPACING_MS ?? 0);
  const perHostPerSec = Math.min(perHost / (latencyMs / 1000), spacingMs > 0 ? 1000 / spacingMs : Infinity);
  const limitPerSec = Math.min(concurrency / (latencyMs / 1000), hosts * perHostPerSec);

  const portal = await startChild<PortalInfo>(here('./sim-portal.ts'), {
    SIM_RESOURCES: String(resources), SIM_HOSTS: String(hosts), SIM_LATENCY_MS: String(latencyMs),
  });
  const budget = Math.max(120_000, (resources / limitPerSec) * 1000 * 10);
  try {
    process.stderr.write(`fetch bench: ${resources} resources on ${hosts} hosts, L=${latencyMs} ms, C=${concurrency}, perHost=${perHost}, limit ${limitPerSec.toFixed(0)}/s\n`);
    const audit = await runChild<AuditRun>(here('./audit-worker.ts'), {
      BENCH_CATALOG: portal.info.exportUrl, BENCH_CONCURRENCY: String(concurrency), BENCH_PER_HOST: String(perHost),
      BENCH_SPACING_MS: String(spacingMs),
    }, budget);
    process.stderr.write(`  odbadge: ${JSON.stringify(audit)}\n`);
    if ((audit.kinds.ok ?? 0) !== resources) throw new Error(`odbadge fetched ${audit.kinds.ok ?? 0} of ${resources} resources: ${JSON.stringify(audit.kinds)}`);
    let link: LinkinatorRun | undefined;
    if (process.env.BENCH_SKIP_LINKINATOR !== '1') {
      link = await runChild<LinkinatorRun>(here('./linkinator-worker.ts'), {
        BENCH_PAGE: portal.info.pageUrl, BENCH_CONCURRENCY: String(concurrency),
      }, budget);
      process.stderr.write(`  linkinator: ${JSON.stringify(link)}\n`);
    }
    const resourcesPerSec = audit.resources / (audit.elapsedMs / 1000);
    const linkinatorPerSec = link ? link.links / (link.elapsedMs / 1000) : undefined;
    const round = (x: number | undefined, d = 3) => (x === undefined ? undefined : Math.round(x * 10 ** d) / 10 ** d);
    return {
      'fetch-throughput': {
        ratio: round(resourcesPerSec / limitPerSec)!,
        ratioToLinkinator: round(linkinatorPerSec ? resourcesPerSec / linkinatorPerSec : undefined),
        resourcesPerSec: round(resourcesPerSec, 1),
        limitPerSec: round(limitPerSec, 1),
        linkinatorPerSec: round(linkinatorPerSec, 1),
        peakRssMB: audit.peakRssMB,
        linkinatorPeakRssMB: link?.peakRssMB,
        resources, hosts, concurrency, perHost, spacingMs, latencyMs,
        odbadgeSeconds: round(audit.elapsedMs / 1000, 2),
        linkinatorSeconds: round(link ? link.elapsedMs / 1000 : undefined, 2),
        linkinatorLinksOk: link?.ok,
      },
    };
  } finally {
    await portal.stop();
  }
}
