// Stored runs as AuditResults, for reports that compare with earlier audits (trends, 品質進步獎): the same shape
// a results.json has, so a report cannot tell whether history came from files or from the store.
import type { AuditHeader, AuditResult, AuditResults } from '../model.ts';
import { ODBADGE_VERSION } from '../version.ts';
import type { Bilingual } from '../model.ts';
import { comparableBasis, comparableRuns, runWarnings } from './comparable.ts';
import { StoreError } from './errors.ts';
import type { HistoryStore } from './history-store.ts';

export async function storedAuditResult(store: HistoryStore, runId: number): Promise<AuditResult> {
  const h = await storedHeader(store, runId);
  const { datasets, agencies } = await store.runResults(runId);
  return { odbadge: h.odbadge, ruleset: h.ruleset, catalog: h.catalog, startedAt: h.startedAt, finishedAt: h.finishedAt, datasets, agencies, stats: h.stats, ...(h.run ? { run: h.run } : {}) };
}

/** A stored run's envelope (everything but its datasets), as its results.json has it. */
export async function storedHeader(store: HistoryStore, runId: number): Promise<AuditHeader> {
  const run = await store.getRun(runId);
  if (!run) throw new StoreError('usage', store.path, `no run ${runId} in ${store.path}`);
  const rs = (run.ruleset ?? {}) as { title?: Bilingual; source?: string };
  const st = run.stats ?? {};
  const warnings = runWarnings(Number(st.privateRefused ?? 0), st.resources ?? 0);
  return {
    odbadge: ODBADGE_VERSION,
    ruleset: { id: run.rulesetId, title: rs.title ?? { zh: run.rulesetId, en: run.rulesetId }, source: rs.source ?? '' },
    catalog: {
      source: run.catalog, datasets: run.datasets, findings: run.catalogFindings, complete: run.status === 'complete' && run.catalogComplete !== false,
      ...(run.catalogError ? { error: run.catalogError } : {}),
    },
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? run.startedAt,
    agencies: await store.agencyScores(runId, 'recorded'),
    // As the audit reported them (wireBytes and reusedResources: recorded by runs with a store, i.e. all of them).
    stats: {
      resources: st.resources ?? 0, distinctUrls: st.distinctUrls ?? 0, bytes: run.bytes, requests: st.requests ?? 0, retries: st.retries ?? 0,
      ...(st.wireBytes !== undefined ? { wireBytes: run.wireBytes } : {}), ...(st.reusedResources !== undefined ? { reusedResources: st.reusedResources } : {}),
    },
    run: { id: run.id, resumed: run.resumes > 0, status: run.status === 'complete' ? 'complete' : 'interrupted', ...(run.previousRunId !== undefined ? { previousRunId: run.previousRunId } : {}) },
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * A stored run's results streamed from the store: `header` (default: as stored), the datasets read one at a time.
 * `below`: only datasets at catalogue positions below it (what one session of a resumed run saw).
 */
export async function storedResults(store: HistoryStore, runId: number, o: { header?: AuditHeader; below?: number } = {}): Promise<AuditResults> {
  const header = o.header ?? await storedHeader(store, runId);
  let rowids: Float64Array | undefined;
  const count = o.below === undefined ? header.catalog.datasets : (rowids ??= await store.runResultRowids(runId, o.below)).length;
  return {
    header,
    count,
    async *datasets() {
      yield* store.iterateRunResults(runId, o.below);
    },
    async dataset(n: number) {
      rowids ??= await store.runResultRowids(runId, o.below);
      if (!(n >= 0 && n < rowids.length)) throw new RangeError(`no dataset ${n} in run ${runId}`);
      return store.runResultAt(rowids[n]);
    },
  };
}

/** Earlier runs for a trend: their envelopes only (agency scores), never their datasets. */
export async function storedHeaders(store: HistoryStore, runIds: number[]): Promise<AuditResult[]> {
  const out: AuditResult[] = [];
  for (const id of runIds) out.push({ ...(await storedHeader(store, id)), datasets: [] });
  return out;
}

/**
 * A RunHistory from the store, oldest first: the runs run `comparableTo` is compared with (see comparable.ts),
 * saying so; without it, every complete run.
 */
export async function storeHistory(store: HistoryStore, o: { comparableTo?: number } = {}): Promise<{ runs(): Promise<AuditResult[]>; basis?: Bilingual }> {
  const run = o.comparableTo === undefined ? undefined : await store.getRun(o.comparableTo);
  if (o.comparableTo !== undefined && !run) throw new StoreError('usage', store.path, `no run ${o.comparableTo} in ${store.path}`);
  return {
    ...(run ? { basis: comparableBasis(run) } : {}),
    // Trends and the 品質進步獎 baseline read agency scores only: a portal's earlier runs are not loaded whole.
    runs: async () => storedHeaders(store, (await (run ? comparableRuns(store, run) : store.completeRuns())).map((r) => r.id)),
  };
}
