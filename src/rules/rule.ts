// The shape of a rule module, after ESLint's `meta` + `create`: an id, bilingual title, where its docs are, and a
// pure check from facts to a verdict. Rules never do I/O: the pipeline fetches and inspects first.
import type { Bilingual, Dataset, FetchOutcome, IndicatorResult, Resource, ResourceFacts } from '../model.ts';

/** What an OpenAPI validation produced for one declared document (fetched by the pipeline). */
export interface OasCheck {
  url: string;
  fetch: FetchOutcome;
  report?: { valid: boolean; version?: string; errors: { pointer: string; message: string }[] };
}

export interface ResourceRuleContext {
  dataset: Dataset;
  resource: Resource;
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  options: Record<string, unknown>;
  now: Date;
}

export interface ResourceEvidence {
  resource: Resource;
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  /** When the content hash of this resource last changed, from audit history (ISO). */
  contentChangedAt?: string;
}

export interface DatasetRuleContext {
  dataset: Dataset;
  resources: ResourceEvidence[];
  oas: OasCheck[];
  options: Record<string, unknown>;
  now: Date;
}

interface RuleMeta {
  id: string;
  title: Bilingual;
  /** Path of the rule's documentation, relative to the repository root. */
  docs: string;
  /** Where the rule comes from. */
  source: string;
}

export interface ResourceRule extends RuleMeta {
  scope: 'resource';
  check(ctx: ResourceRuleContext): IndicatorResult;
}

export interface DatasetRule extends RuleMeta {
  scope: 'dataset';
  check(ctx: DatasetRuleContext): IndicatorResult;
}

export type Rule = ResourceRule | DatasetRule;

export function pass(evidence: string, detail?: Record<string, unknown>): IndicatorResult {
  return detail ? { verdict: 'pass', evidence, detail } : { verdict: 'pass', evidence };
}

export function fail(evidence: string, hint: Bilingual, detail?: Record<string, unknown>): IndicatorResult {
  return detail ? { verdict: 'fail', evidence, hint, detail } : { verdict: 'fail', evidence, hint };
}

export function unsure(evidence: string, hint: Bilingual, detail?: Record<string, unknown>): IndicatorResult {
  return detail ? { verdict: 'unsure', evidence, hint, detail } : { verdict: 'unsure', evidence, hint };
}

export function notEvaluated(evidence: string): IndicatorResult {
  return { verdict: 'not-evaluated', evidence };
}

/** Reads a typed option with a default, so rules stay usable with a ruleset that omits it. */
export function opt<T>(options: Record<string, unknown>, key: string, fallback: T): T {
  const v = options[key];
  return v === undefined ? fallback : (v as T);
}
