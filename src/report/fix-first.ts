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
import type { AgencyScore, Bilingual, DatasetResult, Verdict } from '../model.ts';
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
  /** How many fixes there are when `fixes` holds only the first ones (a report shows a few per agency). */
  count?: number;
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

/** A ranked fix before its steps are read back (a whole portal's evidence is not kept in memory for the ranking). */
export interface RankedFix extends Omit<FixItem, 'fixes'> {
  /** The dataset's position in the results (AuditResults.dataset(n)), to read its steps when they are written. */
  n: number;
}

export interface AgencyRanking extends Omit<AgencyFixes, 'fixes'> {
  fixes: RankedFix[];
}

interface Candidate {
  n: number;
  datasetId: string;
  title: string;
  from: string;
  to: string;
  mayGoFurther: boolean;
  usage?: { views?: number; downloads?: number };
}

interface AgencyTally {
  datasets: number;
  counted: number;
  maxViews: number;
  maxDownloads: number;
  candidates: Candidate[];
}

/**
 * Fix-first, one dataset at a time: `add` each dataset in catalogue order, then `ranked` gives every agency's fixes
 * in priority order. Usage maxima and denominators are per agency, so nothing can be ranked before the last dataset;
 * what is kept meanwhile is a few fields per fixable dataset, not the dataset.
 */
export class FixFirstCollector {
  readonly #rs: TierSpec;
  readonly #findUsage: ReturnType<typeof usageLookup>;
  readonly #agencies = new Map<string, AgencyTally>();

  constructor(rs: TierSpec, opts: { usage?: UsageRecord[] } = {}) {
    this.#rs = rs;
    this.#findUsage = usageLookup(opts.usage ?? []);
  }

  add(d: DatasetResult, n: number): void {
    let a = this.#agencies.get(d.agency);
    if (!a) this.#agencies.set(d.agency, (a = { datasets: 0, counted: 0, maxViews: 0, maxDownloads: 0, candidates: [] }));
    a.datasets++;
    if (this.#rs.scoring.whitelistedInDenominator !== false || !d.whitelisted) a.counted++;
    const x = d.usage ?? this.#findUsage(d);
    const u = x && (x.views !== undefined || x.downloads !== undefined) ? { views: x.views, downloads: x.downloads } : undefined;
    a.maxViews = Math.max(a.maxViews, u?.views ?? 0);
    a.maxDownloads = Math.max(a.maxDownloads, u?.downloads ?? 0);
    const f = fixForDataset(d, this.#rs);
    if (f) a.candidates.push({ n, datasetId: f.datasetId, title: f.title, from: f.from, to: f.to, mayGoFurther: f.mayGoFurther, ...(u ? { usage: u } : {}) });
  }

  /** Every agency of `agencies` (in that order) with its fixes ranked. */
  ranked(agencies: AgencyScore[]): AgencyRanking[] {
    const weight = (b: string) => this.#rs.tiers.find((t) => t.id === b)?.weight ?? 0;
    return agencies.map((ag) => {
      const a = this.#agencies.get(ag.agency);
      const denominator = a?.counted ?? 0;
      const fixes: RankedFix[] = [];
      for (const c of a?.candidates ?? []) {
        if (!denominator) break;
        const points = round(((weight(c.to) - weight(c.from)) / denominator) * this.#rs.scoring.scale);
        const u = c.usage;
        const share = u ? ((a!.maxViews ? (30 * (u.views ?? 0)) / a!.maxViews : 0) + (a!.maxDownloads ? (40 * (u.downloads ?? 0)) / a!.maxDownloads : 0)) / 70 : 0;
        fixes.push({ agency: ag.agency, n: c.n, datasetId: c.datasetId, title: c.title, from: c.from, to: c.to, mayGoFurther: c.mayGoFurther, points, ...(u ? { usage: u } : {}), priority: round(points * (1 + share)) });
      }
      fixes.sort((x, y) => y.priority - x.priority || y.points - x.points || x.title.localeCompare(y.title, 'zh-Hant'));
      return { agency: ag.agency, datasets: ag.datasets, score: ag.score, potential: round(ag.score + fixes.reduce((sum, f) => sum + f.points, 0)), fixes };
    });
  }
}

/** A ranked fix with its steps, from its dataset (read back from the results). */
export function withSteps(f: RankedFix, d: DatasetResult, rs: TierSpec): FixItem {
  // Fields in the order fixFirst has always given them.
  return {
    agency: f.agency, datasetId: f.datasetId, title: f.title, from: f.from, to: f.to, fixes: fixForDataset(d, rs)?.fixes ?? [],
    mayGoFurther: f.mayGoFurther, points: f.points, ...(f.usage ? { usage: f.usage } : {}), priority: f.priority,
  };
}

export function fixFirst(results: AuditResult, rs: TierSpec, opts: { usage?: UsageRecord[] } = {}): AgencyFixes[] {
  const c = new FixFirstCollector(rs, opts);
  results.datasets.forEach((d, n) => c.add(d, n));
  return c.ranked(results.agencies).map((a) => ({ ...a, fixes: a.fixes.map((f) => withSteps(f, results.datasets[f.n], rs)) }));
}
