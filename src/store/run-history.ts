// Stored runs as AuditResults, for reports that compare with earlier audits (trends, 品質進步獎): the same shape
// a results.json has, so a report cannot tell whether history came from files or from the store.
import type { AuditResult } from '../model.ts';
import { ODBADGE_VERSION } from '../version.ts';
import type { Bilingual } from '../model.ts';
import { comparableBasis, comparableRuns } from './comparable.ts';
import { StoreError } from './errors.ts';
import type { Store } from './store.ts';

export function storedAuditResult(store: Store, runId: number): AuditResult {
  const run = store.getRun(runId);
  if (!run) throw new StoreError('usage', store.path, `no run ${runId} in ${store.path}`);
  const rs = (run.ruleset ?? {}) as { title?: Bilingual; source?: string };
  const { datasets, agencies } = store.runResults(runId);
  const st = run.stats ?? {};
  return {
    odbadge: ODBADGE_VERSION,
    ruleset: { id: run.rulesetId, title: rs.title ?? { zh: run.rulesetId, en: run.rulesetId }, source: rs.source ?? '' },
    catalog: {
      source: run.catalog, datasets: datasets.length, findings: run.catalogFindings, complete: run.status === 'complete' && run.catalogComplete !== false,
      ...(run.catalogError ? { error: run.catalogError } : {}),
    },
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? run.startedAt,
    datasets,
    agencies,
    stats: { resources: st.resources ?? 0, distinctUrls: st.distinctUrls ?? 0, bytes: run.bytes, requests: st.requests ?? 0, retries: st.retries ?? 0 },
    run: { id: run.id, resumed: run.resumes > 0, status: run.status === 'complete' ? 'complete' : 'interrupted', ...(run.previousRunId !== undefined ? { previousRunId: run.previousRunId } : {}) },
  };
}

/**
 * A RunHistory from the store, oldest first: the runs run `comparableTo` is compared with (see comparable.ts),
 * saying so; without it, every complete run.
 */
export function storeHistory(store: Store, o: { comparableTo?: number } = {}): { runs(): Promise<AuditResult[]>; basis?: Bilingual } {
  const run = o.comparableTo === undefined ? undefined : store.getRun(o.comparableTo);
  if (o.comparableTo !== undefined && !run) throw new StoreError('usage', store.path, `no run ${o.comparableTo} in ${store.path}`);
  return {
    ...(run ? { basis: comparableBasis(run) } : {}),
    runs: async () => (run ? comparableRuns(store, run) : store.completeRuns()).map((r) => storedAuditResult(store, r.id)),
  };
}
