// Hand-made datasets, fetch outcomes and facts for the rules' case tables.
import type { Dataset, FetchOutcome, IndicatorResult, ResourceFacts } from '../../src/model.ts';
import { RULES } from '../../src/rules/index.ts';
import { runRule, type OasCheck, type ResourceEvidence } from '../../src/rules/rule.ts';

export const NOW = new Date('2026-11-25T00:00:00Z');

export const dataset = (over: Partial<Dataset> = {}): Dataset => ({
  id: 'd', title: 't', agency: 'a', source: 'local', whitelisted: false, findings: [], declared: {}, resources: [{ id: 'd#0', url: 'http://x/f', declared: {} }], ...over,
});

export const fetchOk = (over: Partial<FetchOutcome> = {}): FetchOutcome => ({
  url: 'http://x/f', finalUrl: 'http://x/f', kind: 'ok', transient: false, status: 200, redirects: [], headers: {}, truncated: false, bytes: 100, attempts: 1, elapsedMs: 5, ...over,
});

export const facts = (over: Partial<ResourceFacts> = {}): ResourceFacts => ({
  format: 'csv', formatEvidence: 'sniffed', structured: true, structuredEvidence: 'one header, equal widths', structuralErrors: [], notes: [], ...over,
});

/** A resource rule on one resource: `f` the fetch, `fx` the facts (none: nothing was inspected), `options` the ruleset's. */
export function resourceCheck(id: string, c: { fetch?: Partial<FetchOutcome>; facts?: Partial<ResourceFacts>; dataset?: Dataset; options?: Record<string, unknown> }): IndicatorResult {
  const d = c.dataset ?? dataset();
  return runRule(RULES.get(id)!, { dataset: d, resource: d.resources[0], fetch: fetchOk(c.fetch), facts: c.facts ? facts(c.facts) : undefined, options: c.options ?? {}, now: NOW });
}

/** A dataset rule on a dataset, its resources' evidence and declared OpenAPI documents. */
export function datasetCheck(id: string, c: { dataset: Dataset; resources?: ResourceEvidence[]; oas?: OasCheck[]; options?: Record<string, unknown> }): IndicatorResult {
  return runRule(RULES.get(id)!, {
    dataset: c.dataset, resources: c.resources ?? c.dataset.resources.map((r) => ({ resource: r, fetch: fetchOk() })), oas: c.oas ?? [], options: c.options ?? {}, now: NOW,
  });
}

/** What a case table compares: the verdict and the code (and the hint's presence). */
export const outcome = (r: IndicatorResult) => ({ verdict: r.verdict, code: r.code, hint: r.hint !== undefined });
