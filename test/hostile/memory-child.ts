// Child process for memory.test.ts: audits one catalogue through runAudit with the default fetch options except
// loopback and the per-host limit, then prints its own peak RSS and what the audit found as one JSON line.
import { runAudit } from '../../src/audit.ts';

const [catalog, perHost, extra] = process.argv.slice(2);
const r = await runAudit({ catalog: catalog!, fetch: { allowPrivateNetwork: true, perHost: Number(perHost), ...(extra ? JSON.parse(extra) : {}) } });
const kinds: Record<string, number> = {};
for (const d of r.datasets) for (const res of d.resources) kinds[res.fetch.kind] = (kinds[res.fetch.kind] ?? 0) + 1;
process.stdout.write(`${JSON.stringify({
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  badges: r.datasets.map((d) => d.badge),
  kinds,
  bytes: r.datasets.map((d) => d.resources[0]?.fetch.bytes),
  records: r.datasets.map((d) => d.resources[0]?.facts?.recordCount ?? null),
  encodings: r.datasets.map((d) => d.resources[0]?.facts?.encoding?.detected ?? null),
  complete: r.catalog.complete,
})}\n`);
