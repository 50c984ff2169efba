// The shape of a rule module, after ESLint's: `meta` (id, bilingual title, docs, source, option schema with
// defaults) and a pure `check` from facts to an outcome — a verdict and a message of the catalogue with its
// parameters, as an ESLint rule reports a messageId with data. Rules never do I/O and never build text: the
// pipeline fetches and inspects first, and `toIndicatorResult` renders the outcome in both languages.
import { fixOf, legacyText, renderBoth, type IndicatorCode, type Ref } from '../messages/index.ts';
import type { Bilingual, Dataset, FetchOutcome, IndicatorResult, Resource, ResourceFacts, Verdict } from '../model.ts';
import { resolveOptions, type OptionSpecs, type OptionsOf } from './options.ts';

/** What an OpenAPI validation produced for one declared document (fetched by the pipeline). */
export interface OasCheck {
  url: string;
  fetch: FetchOutcome;
  report?: { valid: boolean; version?: string; errors: { pointer: string; message: string }[] };
}

export interface ResourceRuleContext<O = Readonly<Record<string, unknown>>> {
  dataset: Dataset;
  resource: Resource;
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  options: O;
  now: Date;
}

export interface ResourceEvidence {
  resource: Resource;
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  /** When the content hash of this resource last changed, from audit history (ISO). */
  contentChangedAt?: string;
}

export interface DatasetRuleContext<O = Readonly<Record<string, unknown>>> {
  dataset: Dataset;
  resources: ResourceEvidence[];
  oas: OasCheck[];
  options: O;
  now: Date;
}

/** What a rule concludes: a verdict and the message saying why (docs/codes.md lists every code). */
export interface Outcome {
  verdict: Verdict;
  message: Ref<IndicatorCode>;
  /** Machine-readable details (missing field names, the status …). */
  detail?: Record<string, unknown>;
  /** Attach the code's fix hint even to a pass (a pass with a caveat: link-valid's incomplete TLS chain). */
  hintOnPass?: boolean;
}

interface RuleMeta<S extends OptionSpecs> {
  id: string;
  title: Bilingual;
  /** Path of the rule's documentation, relative to the repository root (test/rules/contract.test.ts checks it). */
  docs: string;
  /** Where the rule comes from. */
  source: string;
  /** The options the rule reads, each with its schema and default (src/rules/options.ts). */
  options: S;
}

export interface ResourceRule<S extends OptionSpecs = OptionSpecs> extends RuleMeta<S> {
  scope: 'resource';
  check(ctx: ResourceRuleContext<OptionsOf<S>>): Outcome;
}

export interface DatasetRule<S extends OptionSpecs = OptionSpecs> extends RuleMeta<S> {
  scope: 'dataset';
  check(ctx: DatasetRuleContext<OptionsOf<S>>): Outcome;
}

export type Rule = ResourceRule | DatasetRule;

/** Declares a rule (the identity: it ties `check`'s option types to the rule's own declarations). */
export function resourceRule<S extends OptionSpecs>(r: ResourceRule<S>): ResourceRule<S> {
  return r;
}
export function datasetRule<S extends OptionSpecs>(r: DatasetRule<S>): DatasetRule<S> {
  return r;
}

export const pass = (message: Ref<IndicatorCode>, detail?: Record<string, unknown>): Outcome => ({ verdict: 'pass', message, ...(detail ? { detail } : {}) });
export const fail = (message: Ref<IndicatorCode>, detail?: Record<string, unknown>): Outcome => ({ verdict: 'fail', message, ...(detail ? { detail } : {}) });
export const unsure = (message: Ref<IndicatorCode>, detail?: Record<string, unknown>): Outcome => ({ verdict: 'unsure', message, ...(detail ? { detail } : {}) });
export const notEvaluated = (message: Ref<IndicatorCode>, detail?: Record<string, unknown>): Outcome => ({ verdict: 'not-evaluated', message, ...(detail ? { detail } : {}) });
/** A verdict chosen by a ruleset option. */
export const verdict = (v: Verdict, message: Ref<IndicatorCode>, detail?: Record<string, unknown>): Outcome => ({ verdict: v, message, ...(detail ? { detail } : {}) });

/**
 * The outcome as results carry it: `evidence` (English, as always), the fix `hint` for what did not pass, `detail`,
 * and the catalogue's `code`, `params` and `message` ({ zh, en }, times in the portal's time zone).
 */
export function toIndicatorResult(o: Outcome, timeZone?: string): IndicatorResult {
  const hint = o.verdict === 'fail' || o.verdict === 'unsure' || (o.verdict === 'pass' && o.hintOnPass) ? fixOf(o.message, { timeZone }) : undefined;
  return {
    verdict: o.verdict,
    evidence: legacyText(o.message),
    ...(hint ? { hint } : {}),
    ...(o.detail ? { detail: o.detail } : {}),
    code: o.message.code,
    params: o.message.params as Record<string, unknown>,
    message: renderBoth(o.message, { timeZone }),
  };
}

/** Options as a ruleset gives them (possibly partial) → the rule's resolved options. */
export function ruleOptions<S extends OptionSpecs>(rule: { options: S }, given?: Readonly<Record<string, unknown>>): OptionsOf<S> {
  return resolveOptions(rule.options, given);
}

type GivenOptions = { options?: Readonly<Record<string, unknown>> };

/** Runs one rule on its context with the ruleset's (possibly partial) options: the indicator result. */
export function runRule(rule: Rule, ctx: (Omit<ResourceRuleContext, 'options'> | Omit<DatasetRuleContext, 'options'>) & GivenOptions): IndicatorResult {
  const options = ruleOptions(rule, ctx.options);
  const outcome = rule.scope === 'resource'
    ? rule.check({ ...(ctx as ResourceRuleContext), options })
    : rule.check({ ...(ctx as DatasetRuleContext), options });
  return toIndicatorResult(outcome, ctx.dataset?.timeZone);
}
