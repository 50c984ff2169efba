// Facts → verdicts → badge for one dataset. Resource rules run in the ruleset's gating order; an indicator whose
// earlier gate did not pass is "not-evaluated", which reports keep apart from "fail" as the official outputs do.
import { finding, legacyText, msg, renderBoth, type MessageRef } from '../messages/index.ts';
import type { DatasetResult, IndicatorResult, ResourceResult, Verdict } from '../model.ts';
import { redactUrl } from '../util/redact.ts';
import { RULES } from '../rules/index.ts';
import { notEvaluated, pass, ruleOptions, toIndicatorResult, fail, type DatasetRuleContext, type OasCheck, type ResourceEvidence } from '../rules/rule.ts';
import { officialCodes, publishedCodes } from './official-codes.ts';
import { indicatorIds, officialProfileOf, type Ruleset } from './ruleset.ts';

export interface DatasetEvidence {
  dataset: DatasetRuleContext['dataset'];
  resources: ResourceEvidence[];
  oas: OasCheck[];
}

// Per-ruleset lists and each rule's options (defaults + the ruleset's values) computed once, not per resource
// (they sit on the hot path of a 150,000-resource audit).
interface Plan {
  ids: string[];
  gated: Set<string>;
  nonBlocking: Set<string>;
  options: Map<string, Readonly<Record<string, unknown>>>;
}
const plans = new WeakMap<Ruleset, Plan>();
function planOf(rs: Ruleset): Plan {
  let p = plans.get(rs);
  if (!p) {
    const ids = indicatorIds(rs);
    const options = new Map(ids.flatMap((id) => {
      const rule = RULES.get(id);
      return rule ? [[id, ruleOptions(rule, rs.options?.[id])] as const] : [];
    }));
    plans.set(rs, (p = { ids, gated: new Set(rs.gating.flat()), nonBlocking: new Set(rs.nonBlocking ?? []), options }));
  }
  return p;
}

const SEVERITY: Record<Verdict, number> = { pass: 0, 'not-evaluated': 1, unsure: 2, fail: 3 };

function resourceIndicators(ev: ResourceEvidence, d: DatasetEvidence, rs: Ruleset, now: Date): Record<string, IndicatorResult> {
  const out: Record<string, IndicatorResult> = {};
  let blockedBy: string | undefined;
  const { ids, gated, nonBlocking, options } = planOf(rs);
  const zone = d.dataset.timeZone;
  const run = (id: string) => {
    const rule = RULES.get(id);
    if (!rule || rule.scope !== 'resource') return;
    out[id] = toIndicatorResult(rule.check({ dataset: d.dataset, resource: ev.resource, fetch: ev.fetch, facts: ev.facts, options: options.get(id)!, now }), zone);
  };
  for (const step of rs.gating) {
    for (const id of step) {
      if (blockedBy) out[id] = toIndicatorResult(notEvaluated(msg('gated', { after: blockedBy })), zone);
      else run(id);
    }
    blockedBy ??= step.find((id) => !nonBlocking.has(id) && out[id]?.verdict !== 'pass');
  }
  for (const id of ids) if (!gated.has(id)) run(id);
  return out;
}

/**
 * One verdict for the dataset from its resources' verdicts: the worst wins (fail > unsure > not-evaluated > pass).
 * It carries the deciding resource's code and parameters; its message says which resource that is.
 */
function combine(id: string, per: { url: string; r: IndicatorResult }[], timeZone: string | undefined): IndicatorResult {
  if (per.length === 1) return per[0].r;
  const worst = per.reduce((a, b) => (SEVERITY[b.r.verdict] > SEVERITY[a.r.verdict] ? b : a));
  const passed = per.filter((p) => p.r.verdict === 'pass').length;
  if (worst.r.verdict === 'pass') return toIndicatorResult(pass(msg('all-resources-pass', { resources: per.length })), timeZone);
  const index = per.indexOf(worst) + 1;
  const url = redactUrl(worst.url);
  const framed = (inner: MessageRef) => msg('worst-resource', { passed, resources: per.length, indicator: id, index, url, inner });
  // Every resource result made here has a code; one without (recorded by an older odbadge) keeps its text.
  const inner = worst.r.code ? ({ code: worst.r.code, params: worst.r.params ?? {} } as MessageRef) : undefined;
  return {
    verdict: worst.r.verdict,
    evidence: inner ? legacyText(framed(inner)) : `${passed} of ${per.length} resources pass ${id}; resource ${index} (${url}): ${worst.r.evidence}`,
    ...(worst.r.hint ? { hint: worst.r.hint } : {}),
    detail: { resource: index, ...(worst.r.detail ?? {}) },
    ...(inner ? { code: worst.r.code, params: worst.r.params, message: renderBoth(framed(inner), { timeZone }) } : {}),
  };
}

function summariseResource(ev: ResourceEvidence, indicators: Record<string, IndicatorResult>, official: Record<string, IndicatorResult> | undefined): ResourceResult {
  const f = ev.fetch;
  const published = publishedCodes(ev.resource.officialQc);
  const result: ResourceResult = {
    id: ev.resource.id,
    // Catalogue URLs can carry user:pass@ or ?token=…; results are shared, so they never hold them.
    url: redactUrl(ev.resource.url),
    ...(official ? { official: officialCodes(official) } : {}),
    ...(published ? { published } : {}),
    fetch: {
      kind: f.kind, status: f.status, finalUrl: f.finalUrl, contentType: f.contentType, bytes: f.bytes,
      truncated: f.truncated, attempts: f.attempts, redirects: f.redirects.length, elapsedMs: Math.round(f.elapsedMs),
      ...(f.error ? { error: f.error } : {}),
    },
    indicators,
  };
  if (ev.facts) {
    const { structuralErrors, ...rest } = ev.facts;
    result.facts = { ...rest, structuralErrors: structuralErrors.slice(0, 50), structuralErrorCount: structuralErrors.length };
  }
  return result;
}

export function badgeOf(indicators: Record<string, IndicatorResult>, rs: Ruleset, whitelisted: boolean): string {
  if (whitelisted) return 'none';
  let badge = 'none';
  for (const tier of rs.tiers) {
    if (!tier.indicators.every((id) => indicators[id]?.verdict === 'pass')) break;
    badge = tier.id;
  }
  return badge;
}

export function evaluateDataset(d: DatasetEvidence, rs: Ruleset, now: Date): DatasetResult {
  const { ids } = planOf(rs);
  const zone = d.dataset.timeZone;
  const profile = officialProfileOf(rs);
  const perResource = d.resources.map((ev) => {
    const indicators = resourceIndicators(ev, d, rs, now);
    // Under the official profile the same facts give the platform checker's codes (rules are pure: cheap).
    return { ev, indicators, official: profile === rs ? indicators : profile ? resourceIndicators(ev, d, profile, now) : undefined };
  });
  const indicators: Record<string, IndicatorResult> = {};
  for (const id of ids) {
    const rule = RULES.get(id)!;
    if (rule.scope === 'dataset') {
      indicators[id] = toIndicatorResult(rule.check({ dataset: d.dataset, resources: d.resources, oas: d.oas, options: planOf(rs).options.get(id)!, now }), zone);
    } else if (perResource.length === 0) {
      indicators[id] = toIndicatorResult(fail(msg('no-resources', {})), zone);
    } else {
      indicators[id] = combine(id, perResource.map((p) => ({ url: p.ev.resource.url, r: p.indicators[id] })), zone);
    }
  }
  const findings = [...d.dataset.findings];
  for (const [i, ev] of d.resources.entries()) {
    const m = ev.facts?.formatMismatch;
    if (m) {
      findings.push(finding('format-mismatch', { resource: i + 1, declared: m.declared, detected: m.detected, url: redactUrl(ev.resource.url) }, { resource: i + 1, declared: m.declared, detected: m.detected }, { timeZone: zone }));
    }
  }
  return datasetResult(d.dataset, indicators, findings, perResource.map((p) => summariseResource(p.ev, p.indicators, p.official)), rs);
}

/** The one place a DatasetResult is put together, from its indicators, findings and resource results. */
function datasetResult(d: DatasetEvidence['dataset'], indicators: Record<string, IndicatorResult>, findings: DatasetResult['findings'], resources: ResourceResult[], rs: Ruleset): DatasetResult {
  return {
    id: d.id,
    title: d.title,
    agency: d.agency,
    ...(d.publishedAt ? { publishedAt: d.publishedAt } : {}),
    ...(d.usage ? { usage: d.usage } : {}),
    formats: d.resources.map((r) => r.declared.format ?? ''),
    badge: badgeOf(indicators, rs, d.whitelisted),
    officialBadge: d.officialBadge ?? null,
    whitelisted: d.whitelisted,
    bonus: !!rs.bonus && indicators[rs.bonus.indicator]?.verdict === 'pass',
    indicators,
    findings,
    resources,
  };
}

/**
 * The result of a dataset odbadge itself failed on: its resource indicators are `unsure` (we do not know), never
 * "the catalogue lists no resource", and the internal-error finding (already among the dataset's) says why.
 */
export function failedDatasetResult(d: DatasetEvidence['dataset'], rs: Ruleset, now: Date, message: string): DatasetResult {
  const unsure = (): IndicatorResult => toIndicatorResult({ verdict: 'unsure', message: msg('odbadge-failed', { error: message }) }, d.timeZone);
  let base: DatasetResult | undefined;
  try {
    base = evaluateDataset({ dataset: d, resources: [], oas: [] }, rs, now);
  } catch {
    // A dataset rule failed as well: every indicator is unknown.
  }
  const indicators: Record<string, IndicatorResult> = {};
  for (const id of indicatorIds(rs)) {
    const rule = RULES.get(id);
    indicators[id] = rule?.scope === 'dataset' && base?.indicators[id] ? base.indicators[id] : unsure();
  }
  return datasetResult(d, indicators, [...d.findings], [], rs);
}
