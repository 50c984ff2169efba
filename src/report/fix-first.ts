// What to fix first: per agency, one actionable fix per dataset below the top tier, ranked by the score points the
// agency gains when that dataset is fixed, weighted by the dataset's usage where usage counts are known.
//
//   points   = (weight(to) − weight(from)) / #datasets × scale      e.g. bronze → gold in an agency of N: 70/N
//   priority = points × (1 + usage), usage ∈ [0, 1] = (30·views/maxViews + 40·downloads/maxDownloads) / 70 over
//              the agency's datasets (the 人氣獎 weights), so at equal points the most used dataset comes first and
//              usage can at most double a fix's priority.
//
// The fix is the set of indicators that stand between the dataset and the next tier. Indicators not evaluated
// (an earlier gate failed) are part of that set: they must be checked after the gate is fixed. The target tier is
// the highest one every other indicator already passes; `mayGoFurther` says higher tiers were not evaluated yet.
import type { AuditResult } from '../model.ts';
import type { Bilingual, DatasetResult, Verdict } from '../model.ts';
import { usageLookup, type UsageRecord } from '../score/awards.ts';
import type { Ruleset } from '../score/ruleset.ts';

export type TierSpec = Pick<Ruleset, 'tiers' | 'scoring'>;

export interface FixStep {
  indicator: string;
  verdict: Verdict;
  evidence: string;
  /** The evidence for a reader, { zh, en }, where the result carries a message. */
  message?: Bilingual;
  hint?: Bilingual;
}

export interface FixItem {
  agency: string;
  datasetId: string;
  title: string;
  from: string;
  to: string;
  fixes: FixStep[];
  points: number;
  usage?: { views?: number; downloads?: number };
  priority: number;
  mayGoFurther: boolean;
}

export interface AgencyFixes {
  agency: string;
  datasets: number;
  score: number;
  /** The score once every listed fix is made (a floor: fixes that may go further are counted to their target only). */
  potential: number;
  fixes: FixItem[];
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

/** The fix for one dataset, or undefined when it already holds the top tier, is whitelisted or nothing can be said. */
export function fixForDataset(d: DatasetResult, rs: TierSpec): Omit<FixItem, 'points' | 'priority' | 'usage' | 'agency'> | undefined {
  if (d.whitelisted) return undefined;
  const tiers = rs.tiers;
  const cumulative = tiers.map((_, k) => tiers.slice(0, k + 1).flatMap((t) => t.indicators));
  const current = tiers.findIndex((t) => t.id === d.badge);
  const next = current + 1;
  if (next >= tiers.length) return undefined;
  const blocking = (k: number) => cumulative[k].filter((id) => d.indicators[id]?.verdict !== 'pass');
  const fixSet = new Set(blocking(next));
  if (!fixSet.size) return undefined; // badge below what its verdicts allow: nothing to fix here
  let to = next;
  while (to + 1 < tiers.length && blocking(to + 1).every((id) => fixSet.has(id))) to++;
  const higher = to + 1 < tiers.length ? blocking(tiers.length - 1).filter((id) => !fixSet.has(id)) : [];
  return {
    datasetId: d.id,
    title: d.title,
    from: d.badge,
    to: tiers[to].id,
    fixes: [...fixSet].map((id) => {
      const r = d.indicators[id];
      return { indicator: id, verdict: r?.verdict ?? 'not-evaluated', evidence: r?.evidence ?? 'no verdict recorded', ...(r?.message ? { message: r.message } : {}), ...(r?.hint ? { hint: r.hint } : {}) };
    }),
    mayGoFurther: higher.some((id) => d.indicators[id]?.verdict === 'not-evaluated'),
  };
}

export function fixFirst(results: AuditResult, rs: TierSpec, opts: { usage?: UsageRecord[] } = {}): AgencyFixes[] {
  const weight = (b: string) => rs.tiers.find((t) => t.id === b)?.weight ?? 0;
  const findUsage = usageLookup(opts.usage ?? []);
  const byAgency = new Map<string, DatasetResult[]>();
  for (const d of results.datasets) byAgency.set(d.agency, [...(byAgency.get(d.agency) ?? []), d]);
  const out: AgencyFixes[] = [];
  for (const a of results.agencies) {
    const ds = byAgency.get(a.agency) ?? [];
    const denominator = rs.scoring.whitelistedInDenominator === false ? ds.filter((d) => !d.whitelisted).length : ds.length;
    const usageOf = (d: DatasetResult) => {
      const x = (d as DatasetResult & { usage?: { views?: number; downloads?: number } }).usage ?? findUsage(d);
      return x && (x.views !== undefined || x.downloads !== undefined) ? { views: x.views, downloads: x.downloads } : undefined;
    };
    const usages = ds.map(usageOf);
    const maxViews = Math.max(0, ...usages.map((u) => u?.views ?? 0));
    const maxDownloads = Math.max(0, ...usages.map((u) => u?.downloads ?? 0));
    const fixes: FixItem[] = [];
    ds.forEach((d, i) => {
      const f = fixForDataset(d, rs);
      if (!f || !denominator) return;
      const points = round(((weight(f.to) - weight(f.from)) / denominator) * rs.scoring.scale);
      const u = usages[i];
      const share = u ? ((maxViews ? (30 * (u.views ?? 0)) / maxViews : 0) + (maxDownloads ? (40 * (u.downloads ?? 0)) / maxDownloads : 0)) / 70 : 0;
      fixes.push({ agency: a.agency, ...f, points, ...(u ? { usage: u } : {}), priority: round(points * (1 + share)) });
    });
    fixes.sort((x, y) => y.priority - x.priority || y.points - x.points || x.title.localeCompare(y.title, 'zh-Hant'));
    out.push({ agency: a.agency, datasets: a.datasets, score: a.score, potential: round(a.score + fixes.reduce((s, f) => s + f.points, 0)), fixes });
  }
  return out;
}
