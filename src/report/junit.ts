// CI verdicts and their JUnit XML: one <testsuite> per agency, one <testcase> per dataset, a <failure> carrying the
// evidence for every dataset below the minimum badge (an <error> when only transient trouble — `unsure` — stands
// in the way, so a re-run may fix it), plus one testcase per agency for the minimum score when one is set.
// The document follows the common Ant/Windy Road JUnit schema (schemas/junit.xsd): <testsuites> without
// attributes, each suite with properties, system-out and system-err, timestamps without a zone.
import type { AuditResult } from '../model.ts';
import type { DatasetResult, IndicatorResult } from '../model.ts';
import type { TierSpec } from './fix-first.ts';

export interface CiThresholds {
  /** Every dataset must hold at least this tier ("none" disables the check). */
  minBadge?: string;
  /** Every agency must score at least this. */
  minScore?: number;
  /**
   * 'fail' (default): a dataset held below the minimum badge only by `unsure` verdicts (time-outs, 5xx — a JUnit
   * <error>) does not fail the check; 'unsure': it does.
   */
  failOn?: 'fail' | 'unsure';
}

export interface CiDatasetFailure {
  dataset: DatasetResult;
  kind: 'failure' | 'error';
  blocking: { indicator: string; result: IndicatorResult }[];
}

export interface CiOutcome {
  thresholds: CiThresholds;
  datasets: number;
  failingDatasets: CiDatasetFailure[];
  failingAgencies: { agency: string; score: number }[];
  passed: boolean;
  /** Datasets below the minimum badge only by `unsure` verdicts that did not fail the check (failOn 'fail'). */
  unsureOnly: number;
  /** When failingDatasets lists only the first ones (a whole portal): how many fail, and how many per agency. */
  failingCount?: number;
  failingByAgency?: Map<string, number>;
}

/** The tiers and indicators a minimum badge requires (-1: no minimum). */
function required(rs: TierSpec, t: CiThresholds): { order: string[]; min: number; indicators: string[] } {
  const order = rs.tiers.map((x) => x.id);
  const min = t.minBadge && t.minBadge !== 'none' ? order.indexOf(t.minBadge) : -1;
  if (t.minBadge && t.minBadge !== 'none' && min < 0) throw new RangeError(`unknown badge "${t.minBadge}" (this ruleset has: ${order.join(', ')}, none)`);
  return { order, min, indicators: rs.tiers.slice(0, min + 1).flatMap((x) => x.indicators) };
}

/** Why a dataset is below the minimum badge, or undefined when it is not (or is whitelisted). */
export function ciDatasetFailure(d: DatasetResult, rs: TierSpec, t: CiThresholds): CiDatasetFailure | undefined {
  const { order, min, indicators } = required(rs, t);
  if (min < 0 || d.whitelisted || order.indexOf(d.badge) >= min) return undefined;
  const blocking = indicators.filter((id) => d.indicators[id]?.verdict !== 'pass')
    .map((id) => ({ indicator: id, result: d.indicators[id] ?? { verdict: 'not-evaluated' as const, evidence: 'no verdict recorded' } }));
  return { dataset: d, kind: blocking.some((b) => b.result.verdict === 'fail') || !blocking.length ? 'failure' : 'error', blocking };
}

/** CI verdicts one dataset at a time; `keep` bounds the failing datasets listed (counts stay exact). */
export class CiCollector {
  readonly #rs: TierSpec;
  readonly #t: CiThresholds;
  readonly #keep: number;
  datasets = 0;
  readonly failing: CiDatasetFailure[] = [];
  failingCount = 0;
  /** Failing datasets that fail the check (under failOn). */
  counted = 0;
  readonly failingByAgency = new Map<string, number>();

  constructor(rs: TierSpec, t: CiThresholds, o: { keep?: number } = {}) {
    required(rs, t); // an unknown badge is an error before any dataset
    this.#rs = rs;
    this.#t = t;
    this.#keep = o.keep ?? Infinity;
  }

  add(d: DatasetResult): void {
    this.datasets++;
    const f = ciDatasetFailure(d, this.#rs, this.#t);
    if (!f) return;
    this.failingCount++;
    if (f.kind === 'failure' || this.#t.failOn === 'unsure') this.counted++;
    this.failingByAgency.set(d.agency, (this.failingByAgency.get(d.agency) ?? 0) + 1);
    if (this.failing.length < this.#keep) this.failing.push(f);
  }

  outcome(results: Pick<AuditResult, 'agencies' | 'catalog'>): CiOutcome {
    const t = this.#t;
    const failingAgencies = t.minScore === undefined ? [] : results.agencies.filter((a) => a.score < t.minScore!).map((a) => ({ agency: a.agency, score: a.score }));
    return {
      thresholds: t, datasets: this.datasets, failingDatasets: this.failing, failingAgencies,
      passed: !this.counted && !failingAgencies.length && results.catalog.complete, unsureOnly: this.failingCount - this.counted,
      ...(this.failing.length < this.failingCount ? { failingCount: this.failingCount, failingByAgency: this.failingByAgency } : {}),
    };
  }
}

export function ciCheck(results: AuditResult, rs: TierSpec, t: CiThresholds): CiOutcome {
  const c = new CiCollector(rs, t);
  for (const d of results.datasets) c.add(d);
  return c.outcome(results);
}

/**
 * Escapes text for XML 1.0 and replaces what XML cannot carry (C0 controls, lone surrogates) or should not (DEL and
 * C1 controls: an 8-bit CSI would reach the terminal of whoever views the report).
 */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** xs:token: no line breaks or tabs, no leading/trailing or doubled spaces. */
const token = (s: string) => s.replace(/\s+/g, ' ').trim() || '(unnamed)';

export function failureText(f: CiDatasetFailure): string {
  const lines = f.blocking.map((b) => `${b.indicator}: ${b.result.verdict} — ${b.result.evidence}${b.result.hint ? `\n  fix: ${b.result.hint.en} / ${b.result.hint.zh}` : ''}`);
  for (const r of f.dataset.resources) {
    const bad = Object.entries(r.indicators).filter(([, v]) => v.verdict === 'fail' || v.verdict === 'unsure');
    if (bad.length) lines.push(`resource ${r.url}`, ...bad.map(([id, v]) => `  ${id}: ${v.verdict} — ${v.evidence}`));
  }
  for (const x of f.dataset.findings) lines.push(`catalogue: ${x.code} — ${x.message}`);
  return lines.join('\n');
}

export function junitXml(results: AuditResult, outcome: CiOutcome, opts: { hostname?: string } = {}): string {
  const failing = new Map(outcome.failingDatasets.map((f) => [f.dataset, f]));
  const byAgency = new Map<string, DatasetResult[]>();
  for (const d of results.datasets) byAgency.set(d.agency, [...(byAgency.get(d.agency) ?? []), d]);
  const out = [junitStart()];
  let id = 0;
  for (const [agency, ds] of byAgency) out.push(junitSuite(results, outcome, agency, ds, (d) => failing.get(d), id++, opts));
  out.push(junitEnd());
  return out.join('');
}

export function junitStart(): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n';
}

export function junitEnd(): string {
  return '</testsuites>\n';
}

/** One agency's <testsuite> (its lines, each ending in a newline). */
export function junitSuite(
  results: Pick<AuditResult, 'agencies' | 'ruleset' | 'startedAt'>, outcome: CiOutcome, agency: string, ds: DatasetResult[],
  failureOf: (d: DatasetResult) => CiDatasetFailure | undefined, id: number, opts: { hostname?: string } = {},
): string {
  const belowScore = new Map(outcome.failingAgencies.map((a) => [a.agency, a.score]));
  const timestamp = (results.startedAt || new Date().toISOString()).slice(0, 19);
  const host = xmlEscape(token(opts.hostname ?? 'odbadge'));
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let suiteTime = 0;
  for (const d of ds) {
    const time = d.resources.reduce((s, r) => s + r.fetch.elapsedMs, 0) / 1000;
    suiteTime += time;
    const attrs = `name="${xmlEscape(token(`${d.title} (${d.id})`))}" classname="${xmlEscape(token(agency))}" time="${time.toFixed(3)}"`;
    const f = failureOf(d);
    if (!f) {
      cases.push(`    <testcase ${attrs}/>`);
      continue;
    }
    if (f.kind === 'failure') failures++;
    else errors++;
    const first = f.blocking[0];
    const message = `badge ${d.badge} is below ${outcome.thresholds.minBadge}${first ? `: ${first.indicator} ${first.result.verdict} — ${first.result.evidence}` : ''}`;
    cases.push(`    <testcase ${attrs}>`, `      <${f.kind} message="${xmlEscape(message.slice(0, 500))}" type="${xmlEscape(first?.indicator ?? 'badge')}">${xmlEscape(failureText(f))}</${f.kind}>`, '    </testcase>');
  }
  if (outcome.thresholds.minScore !== undefined) {
    const score = results.agencies.find((a) => a.agency === agency)?.score ?? 0;
    const attrs = `name="${xmlEscape(token(`agency score ≥ ${outcome.thresholds.minScore}`))}" classname="${xmlEscape(token(agency))}" time="0"`;
    if (belowScore.has(agency)) {
      failures++;
      cases.push(`    <testcase ${attrs}>`, `      <failure message="score ${score.toFixed(2)} is below ${outcome.thresholds.minScore}" type="min-score">${xmlEscape(`score ${score.toFixed(2)} < ${outcome.thresholds.minScore}`)}</failure>`, '    </testcase>');
    } else cases.push(`    <testcase ${attrs}/>`);
  }
  const tests = ds.length + (outcome.thresholds.minScore !== undefined ? 1 : 0);
  const name = xmlEscape(token(agency));
  return [
    `  <testsuite name="${name}" package="${name}" id="${id}" timestamp="${timestamp}" hostname="${host}" tests="${tests}" failures="${failures}" errors="${errors}" time="${suiteTime.toFixed(3)}">`,
    '    <properties>',
    `      <property name="ruleset" value="${xmlEscape(results.ruleset.id)}"/>`,
    `      <property name="min-badge" value="${xmlEscape(outcome.thresholds.minBadge ?? 'none')}"/>`,
    ...(outcome.thresholds.minScore !== undefined ? [`      <property name="min-score" value="${outcome.thresholds.minScore}"/>`] : []),
    '    </properties>',
    ...cases,
    '    <system-out></system-out>',
    '    <system-err></system-err>',
    '  </testsuite>',
  ].join('\n') + '\n';
}
