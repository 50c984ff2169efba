// Which earlier runs a run is compared with: the one rule behind every history-based view — the dashboard's score
// trend, the 品質進步獎 baseline, `diff` without arguments. Complete runs only (an interrupted run scored part of its
// catalogue), of the same catalogue and agency filter (the catalogue key: another portal's agencies may share
// names) and the same ruleset (other rules score differently). A run whose resources were mostly refused as
// private addresses (an on-premises portal audited without --allow-private-network) measured odbadge's guard,
// not the portal: it is shown in `history` but compared with nothing.
import { finding } from '../messages/index.ts';
import type { Bilingual, Finding } from '../model.ts';
import type { HistoryStore, RunInfo } from './history-store.ts';

/** The one rule: more than half of a run's resources refused as private addresses. */
export function mostlyRefused(refused: number, resources: number): boolean {
  return refused > 0 && 2 * refused > resources;
}

/** The run-level warnings of a run (results.json `warnings`): its resources were mostly refused as private addresses. */
export function runWarnings(refused: number, resources: number): Finding[] {
  return mostlyRefused(refused, resources) ? [finding('mostly-refused-as-private', { refused, resources }, { refused, resources })] : [];
}

/** False for a run whose resources were mostly refused as private addresses (stats recorded by runAudit). */
export function measuredThePortal(run: RunInfo): boolean {
  return !mostlyRefused(run.stats?.privateRefused ?? 0, run.stats?.resources ?? 0);
}

/** The complete runs before `run` it is compared with, oldest first. */
export async function comparableRuns(store: HistoryStore, run: RunInfo): Promise<RunInfo[]> {
  return (await store.completeRuns({ beforeId: run.id, catalogKey: run.catalogKey, rulesetId: run.rulesetId })).filter(measuredThePortal);
}

/** The run `run` is compared with for 品質進步獎 and `diff`: the newest comparable one. */
export async function baselineOf(store: HistoryStore, run: RunInfo): Promise<RunInfo | undefined> {
  return (await comparableRuns(store, run)).at(-1);
}

/** Says which runs comparableRuns chose, for the dashboard and `diff`. */
export function comparableBasis(run: RunInfo): Bilingual {
  const agency = typeof run.options.agency === 'string' && run.options.agency ? run.options.agency : undefined;
  return {
    zh: `僅含同一目錄（${run.catalog}${agency ? `，機關 ${agency}` : ''}）以規則集 ${run.rulesetId} 完成的稽核；中斷的稽核與多數資料資源因私有位址被拒的稽核不列入。`,
    en: `Only complete audits of the same catalogue (${run.catalog}${agency ? `, agency ${agency}` : ''}) with ruleset ${run.rulesetId}; interrupted audits and audits whose resources were mostly refused as private addresses are left out.`,
  };
}
