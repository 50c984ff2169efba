// One dataset, audited: enriched from the portal's API when asked, each resource observed (the observer's unit of
// work: fetched once, inspected, recorded), API documents validated, the rules evaluated, history's findings added,
// and every text scrubbed of the dataset's and the run's secrets. A local audit runs it inside its in-flight window;
// a distributed worker runs it as one job — the same code, so both give the same results.
import type { Dataset, DatasetResult, Finding } from '../model.ts';
import type { OasCheck, ResourceEvidence } from '../rules/rule.ts';
import { evaluateDataset, failedDatasetResult } from '../score/evaluate.ts';
import type { Ruleset } from '../score/ruleset.ts';
import type { Observation } from '../store/observation-store.ts';
import { redactDeep, urlSecrets } from '../util/redact.ts';

type Promisable<T> = T | Promise<T>;

export interface DatasetAuditContext {
  ruleset: Ruleset;
  /** The time verdicts are judged at (a run with history: its start). */
  now: () => Date;
  /** Secrets of the run's own URLs (catalogue, API base). */
  runSecrets: string[];
  /** Per-dataset detail from the portal's API (data.gov.tw API v2), when asked for. */
  enrich?: (d: Dataset) => Promise<Dataset>;
  observer: {
    observe(url: string, declaredFormat: string | undefined): Promise<Observation>;
    checkOas(url: string): Promise<OasCheck>;
  };
  /** History: findings from comparing with the previous run. */
  history?: { historyFindings(d: Dataset, observed: Observation[]): Promisable<{ findings: Finding[]; contentChanged: boolean | null }> };
}

/** A dataset's result and what was observed of its resources (in the dataset's order), ready to record. */
export interface AuditedDataset {
  dataset: Dataset;
  result: DatasetResult;
  contentChanged: boolean | null;
  resources: (Observation & { url: string })[];
}

/** The secrets of a dataset's URLs (resources and API documents), to scrub from everything recorded about it. */
export function datasetSecrets(d: Dataset): string[] {
  const out: string[] = [];
  for (const r of d.resources) {
    out.push(...urlSecrets(r.url));
    if (r.declared.oasUrl) out.push(...urlSecrets(r.declared.oasUrl));
  }
  return out;
}

export async function auditDataset(ctx: DatasetAuditContext, input: Dataset): Promise<AuditedDataset> {
  const d = ctx.enrich ? await ctx.enrich(input) : input;
  const observed = await Promise.all(d.resources.map((r) => ctx.observer.observe(r.url, r.declared.format)));
  const resources: ResourceEvidence[] = d.resources.map((r, i) => ({
    resource: r, fetch: observed[i].fetch, facts: observed[i].facts,
    ...(observed[i].verdict?.changedAt ? { contentChangedAt: observed[i].verdict!.changedAt } : {}),
  }));
  const oasUrls = [...new Set(d.resources.map((r) => r.declared.oasUrl).filter((u): u is string => !!u))];
  const oas = await Promise.all(oasUrls.map((u) => ctx.observer.checkOas(u)));
  // Evidence and findings quote URLs, server messages and catalogue text: recorded and reported only redacted.
  const result = redactDeep(evaluateDataset({ dataset: d, resources, oas }, ctx.ruleset, ctx.now()), [...ctx.runSecrets, ...datasetSecrets(d)]);
  let contentChanged: boolean | null = null;
  if (ctx.history) {
    const h = await ctx.history.historyFindings(d, observed);
    result.findings.push(...h.findings);
    contentChanged = h.contentChanged;
  }
  return { dataset: d, result, contentChanged, resources: d.resources.map((r, i) => ({ url: r.url, ...observed[i] })) };
}

/** A dataset odbadge could not audit, with its internal-error finding (already among the dataset's findings). */
export function failedDataset(ctx: Pick<DatasetAuditContext, 'ruleset' | 'now' | 'runSecrets'>, d: Dataset, message: string): DatasetResult {
  return redactDeep(failedDatasetResult(d, ctx.ruleset, ctx.now(), message), [...ctx.runSecrets, ...datasetSecrets(d)]);
}
