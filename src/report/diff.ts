// What changed between two audits: datasets whose badge rose or fell (and which indicators moved), datasets that
// appeared or disappeared, and every agency's score delta. Pure; the `diff` command feeds it two stored runs.
import type { AgencyScore, DatasetResult, Verdict } from '../model.ts';

export interface DiffSide {
  id: number;
  startedAt: string;
  rulesetId: string;
  /** Tier ids lowest first (from the run's ruleset), to order badges. */
  tiers: string[];
  datasets: DatasetResult[];
  agencies: AgencyScore[];
}

export interface IndicatorChange {
  indicator: string;
  from: Verdict | null;
  to: Verdict | null;
  /** The newer run's evidence for this indicator. */
  evidence?: string;
}

export interface BadgeChange {
  id: string;
  title: string;
  agency: string;
  from: string;
  to: string;
  indicators: IndicatorChange[];
}

export interface DatasetRef {
  id: string;
  title: string;
  agency: string;
  badge: string;
}

export interface AgencyDelta {
  agency: string;
  before: number | null;
  after: number | null;
  /** after − before at 2 decimals; null when the agency is in one run only. */
  delta: number | null;
}

export interface RunDiff {
  runA: { id: number; startedAt: string; rulesetId: string };
  runB: { id: number; startedAt: string; rulesetId: string };
  /** How the two runs were chosen, when the caller chose them (`diff` without run ids). */
  basis?: string;
  rose: BadgeChange[];
  fell: BadgeChange[];
  /** Same badge, but some indicator verdict changed. */
  indicatorChangesOnly: number;
  added: DatasetRef[];
  removed: DatasetRef[];
  agencies: AgencyDelta[];
}

/** Key per dataset: its id, numbered when a catalogue lists the same id more than once. */
function keyed(datasets: DatasetResult[]): Map<string, DatasetResult> {
  const seen = new Map<string, number>();
  const out = new Map<string, DatasetResult>();
  for (const d of datasets) {
    const n = seen.get(d.id) ?? 0;
    seen.set(d.id, n + 1);
    out.set(n ? `${d.id}#${n + 1}` : d.id, d);
  }
  return out;
}

const ref = (d: DatasetResult): DatasetRef => ({ id: d.id, title: d.title, agency: d.agency, badge: d.badge });
const byAgencyThenId = (a: { agency: string; id: string }, b: { agency: string; id: string }) =>
  a.agency.localeCompare(b.agency, 'zh-Hant') || a.id.localeCompare(b.id);

function indicatorChanges(a: DatasetResult, b: DatasetResult): IndicatorChange[] {
  const ids = [...new Set([...Object.keys(a.indicators), ...Object.keys(b.indicators)])];
  return ids.flatMap((id) => {
    const from = a.indicators[id]?.verdict ?? null;
    const to = b.indicators[id]?.verdict ?? null;
    if (from === to) return [];
    const evidence = b.indicators[id]?.evidence;
    return [{ indicator: id, from, to, ...(evidence ? { evidence } : {}) }];
  });
}

export function diffRuns(a: DiffSide, b: DiffSide): RunDiff {
  const order = ['none', ...b.tiers];
  for (const t of a.tiers) if (!order.includes(t)) order.push(t);
  const rank = (badge: string) => order.indexOf(badge);
  const A = keyed(a.datasets);
  const B = keyed(b.datasets);
  const rose: BadgeChange[] = [];
  const fell: BadgeChange[] = [];
  let indicatorChangesOnly = 0;
  for (const [k, db] of B) {
    const da = A.get(k);
    if (!da) continue;
    const indicators = indicatorChanges(da, db);
    const change = { id: db.id, title: db.title, agency: db.agency, from: da.badge, to: db.badge, indicators };
    if (rank(db.badge) > rank(da.badge)) rose.push(change);
    else if (rank(db.badge) < rank(da.badge)) fell.push(change);
    else if (indicators.length) indicatorChangesOnly++;
  }
  const added = [...B].filter(([k]) => !A.has(k)).map(([, d]) => ref(d)).sort(byAgencyThenId);
  const removed = [...A].filter(([k]) => !B.has(k)).map(([, d]) => ref(d)).sort(byAgencyThenId);
  const before = new Map(a.agencies.map((x) => [x.agency, x.score]));
  const after = new Map(b.agencies.map((x) => [x.agency, x.score]));
  const agencies: AgencyDelta[] = [...new Set([...before.keys(), ...after.keys()])].map((agency) => {
    const x = before.get(agency) ?? null;
    const y = after.get(agency) ?? null;
    return { agency, before: x, after: y, delta: x === null || y === null ? null : Math.round((y - x) * 100) / 100 };
  });
  // Largest movements first; agencies present in one run only last.
  agencies.sort((p, q) => (q.delta === null ? -1 : 0) - (p.delta === null ? -1 : 0) || Math.abs(q.delta ?? 0) - Math.abs(p.delta ?? 0) || p.agency.localeCompare(q.agency, 'zh-Hant'));
  return {
    runA: { id: a.id, startedAt: a.startedAt, rulesetId: a.rulesetId },
    runB: { id: b.id, startedAt: b.startedAt, rulesetId: b.rulesetId },
    rose: rose.sort(byAgencyThenId),
    fell: fell.sort(byAgencyThenId),
    indicatorChangesOnly,
    added,
    removed,
    agencies,
  };
}
