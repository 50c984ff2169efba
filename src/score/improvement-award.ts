// 品質進步獎 from stored history: agencies whose 金質獎 score rose by at least `minGain` points (5 in the 2017 rule)
// over the previous run of the same ruleset, excluding agencies that won a group prize this time. Pure: the caller
// passes both runs' scores and the prize winners. Scores are compared at the published precision (2 decimals), so
// +4.99 does not qualify and +5.00 does.
import type { AgencyScore } from '../model.ts';

export interface ImprovementOptions {
  /** Agencies that won a 金質獎 group prize in the current run: not eligible. */
  groupPrizeWinners: ReadonlySet<string>;
  /** Points gained at least (default 5). */
  minGain?: number;
  /** Precision the scores are compared at (default 2 decimals). */
  decimals?: number;
}

export interface ImprovementRow {
  agency: string;
  previous: number;
  current: number;
  gain: number;
}

export interface ImprovementResult {
  /** Qualifying and eligible, largest gain first (ties by name). */
  winners: ImprovementRow[];
  /** Qualifying but excluded because they won a group prize. */
  excludedPrizeWinners: ImprovementRow[];
  /** In the current run only: nothing to compare with. */
  newAgencies: string[];
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

export function improvementAward(current: AgencyScore[], previous: AgencyScore[], o: ImprovementOptions): ImprovementResult {
  const minGain = o.minGain ?? 5;
  const decimals = o.decimals ?? 2;
  const before = new Map(previous.map((a) => [a.agency, a.score]));
  const qualifying: ImprovementRow[] = [];
  const newAgencies: string[] = [];
  for (const a of current) {
    const p = before.get(a.agency);
    if (p === undefined) {
      newAgencies.push(a.agency);
      continue;
    }
    // Round each score first, then the difference: 80.004 → 85.004 is +5.00, as the published tables would show.
    const gain = round(round(a.score, decimals) - round(p, decimals), decimals);
    if (gain >= minGain) qualifying.push({ agency: a.agency, previous: p, current: a.score, gain });
  }
  qualifying.sort((x, y) => y.gain - x.gain || x.agency.localeCompare(y.agency, 'zh-Hant'));
  return {
    winners: qualifying.filter((q) => !o.groupPrizeWinners.has(q.agency)),
    excludedPrizeWinners: qualifying.filter((q) => o.groupPrizeWinners.has(q.agency)),
    newAgencies: newAgencies.sort((x, y) => x.localeCompare(y, 'zh-Hant')),
  };
}
