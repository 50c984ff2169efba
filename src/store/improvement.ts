// 品質進步獎 computed from stored runs: a run's agency scores against its baseline, the newest comparable run (a
// complete run of the same catalogue and ruleset; see comparable.ts). The rule itself is src/score/awards.ts's
// improvementAward, shared with `odbadge awards`.
import { awardConfig, improvementAward, type ImprovementEntry } from '../score/awards.ts';
import { baselineOf } from './comparable.ts';
import { StoreError } from './errors.ts';
import type { HistoryStore } from './history-store.ts';

export interface StoredImprovement {
  runId: number;
  /** Undefined when there is no comparable earlier run (then nobody can win). */
  previousRunId?: number;
  winners: ImprovementEntry[];
  excludedPrizeWinners: ImprovementEntry[];
  newAgencies: string[];
}

export async function improvementFromStore(store: HistoryStore, runId: number, groupPrizeWinners: ReadonlySet<string>, minGain = 5): Promise<StoredImprovement> {
  const run = await store.getRun(runId);
  if (!run) throw new StoreError('usage', store.path, `no run ${runId} in ${store.path}`);
  const prev = await baselineOf(store, run);
  const current = await store.agencyScores(runId);
  if (!prev) return { runId, winners: [], excludedPrizeWinners: [], newAgencies: current.map((a) => a.agency) };
  const r = improvementAward(current, await store.agencyScores(prev.id), new Set(groupPrizeWinners), awardConfig({ improvementMinGain: minGain }));
  return { runId, previousRunId: prev.id, winners: r.winners, excludedPrizeWinners: r.excluded, newAgencies: r.newAgencies };
}
