// 資料開放金質獎 score, exactly as the 2017 rule: weighted badge share × scale, plus a capped per-dataset bonus.
//   score = (0.3·#bronze + 0.6·#silver + 1.0·#gold) / #datasets × 100 + min(5, 0.1 · #datasets with a valid OAS API)
import type { AgencyScore } from '../model.ts';
import type { Ruleset } from './ruleset.ts';

export interface ScoredDataset {
  agency: string;
  badge: string;
  bonus: boolean;
  whitelisted: boolean;
}

// Float sums like 0.3+0.6 drift; scores are published to two decimals, keep four.
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function agencyScore(agency: string, datasets: ScoredDataset[], rs: Ruleset): AgencyScore {
  const badges: Record<string, number> = Object.fromEntries([...rs.tiers.map((t) => [t.id, 0]), ['none', 0]]);
  let weighted = 0;
  let denominator = 0;
  let bonusDatasets = 0;
  for (const d of datasets) {
    badges[d.badge] = (badges[d.badge] ?? 0) + 1;
    weighted += rs.tiers.find((t) => t.id === d.badge)?.weight ?? 0;
    if (!d.whitelisted || rs.scoring.whitelistedInDenominator !== false) denominator++;
    if (d.bonus) bonusDatasets++;
  }
  const bonus = rs.bonus ? Math.min(rs.bonus.cap, round4(bonusDatasets * rs.bonus.perDataset)) : 0;
  const share = denominator ? (weighted / denominator) * rs.scoring.scale : 0;
  return { agency, datasets: datasets.length, badges, bonusDatasets, bonus, score: round4(share + bonus) };
}

/** Per-agency scores, best first (ties by name, so output is deterministic). */
export function scoreAgencies(datasets: ScoredDataset[], rs: Ruleset): AgencyScore[] {
  const by = new Map<string, ScoredDataset[]>();
  for (const d of datasets) {
    const list = by.get(d.agency);
    if (list) list.push(d);
    else by.set(d.agency, [d]);
  }
  return [...by].map(([a, ds]) => agencyScore(a, ds, rs)).sort((x, y) => y.score - x.score || x.agency.localeCompare(y.agency, 'zh-Hant'));
}
