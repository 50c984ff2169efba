// A demo-like run without the 30-second demo audit: the 562 real titles and agencies of seed 004 (勞動部),
// badges spread like the demo portal's, the evidence patterns of test/report/run-builder.ts, and one hostile
// title to prove the reports escape catalogue text.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuditResult } from '../../src/model.ts';
import { scoreAgencies } from '../../src/score/agency-score.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';
import { buildRun, type BadgeCounts } from './run-builder.ts';

export const HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">惡意標題';

export interface SeedRow { no: number; title: string; agency: string; views: number; downloads: number }
export const seedUsage = (): SeedRow[] => JSON.parse(readFileSync(resolve(import.meta.dirname, '../../seeds/mol-usage-2017.json'), 'utf8')).datasets;

/** Badge of the n-th dataset: roughly 82 % gold, 6 % silver, 7 % bronze, 5 % none, as in the demo audit. */
const badgeFor = (no: number, shift: number) => {
  const k = (no * 37 + shift) % 100;
  return k < 82 ? 'gold' : k < 88 ? 'silver' : k < 95 ? 'bronze' : 'none';
};

export function demoLikeRun(startedAt = '2026-11-01T02:00:00.000Z', shift = 0): AuditResult {
  const rows = seedUsage();
  const counts: Record<string, BadgeCounts> = {};
  const queue = new Map<string, string[]>(); // agency|badge → titles, in seed order
  for (const r of rows) {
    const b = badgeFor(r.no, shift) as 'gold' | 'silver' | 'bronze' | 'none';
    const c = (counts[r.agency] ??= {});
    c[b] = (c[b] ?? 0) + 1;
    const key = `${r.agency}|${b}`;
    queue.set(key, [...(queue.get(key) ?? []), r.title]);
  }
  counts['勞動部'].none = (counts['勞動部'].none ?? 0) + 1;
  queue.set('勞動部|none', [...(queue.get('勞動部|none') ?? []), HOSTILE_TITLE]);
  const run = buildRun({ startedAt, agencies: counts, titles: (agency, badge, i) => queue.get(`${agency}|${badge}`)![i] });
  // The platform disagrees on a few, so the agreement table has content.
  run.datasets.forEach((d, i) => {
    if (i % 40 === 7) d.officialBadge = d.badge === 'gold' ? 'silver' : 'gold';
  });
  run.agencies = scoreAgencies(run.datasets, loadRuleset());
  return run;
}
