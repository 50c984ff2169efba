// `odbadge ci`: audit a catalogue and pass or fail a pipeline. Exit 1 when a dataset is below --min-badge or an
// agency below --min-score; writes JUnit XML (one suite per agency, one case per dataset) and a Markdown summary
// for a pull-request comment. Every audit option applies — the history store included: a ci run is recorded, and
// can be resumed, like an audit. Exit 3 when the catalogue cannot be read or broke off (reports are still written).
import { join } from 'node:path';
import { ciCheck, junitXml, type CiOutcome } from '../report/junit.ts';
import { ciMarkdown } from '../report/markdown-report.ts';
import { loadRuleset } from '../score/ruleset.ts';
import { storeHistory } from '../store/run-history.ts';
import { emptyHistory } from '../report/html/history.ts';
import { auditExit, auditSummary, reportExit, runCliAudit, writeOutputs, type AuditCommandOptions, type CliAudit, type WrittenPaths } from './audit-command.ts';
import type { CommandSpec } from './command.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { loadUsage, writeReports } from './report-command.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { AUDIT_OPTIONS, FAIL_ON_OPTION, formatOptions, nonNegativeNumber } from './options.ts';
import { timingLine } from './verbose.ts';

export interface CiCliOptions extends AuditCommandOptions {
  minBadge?: string;
  minScore?: number;
  junit?: string;
  markdown?: string;
  /** 'unsure': a dataset held below --min-badge only by unsure verdicts fails the pipeline too. */
  failOn?: 'fail' | 'unsure';
}

/**
 * ciCheck's outcome under --fail-on: by default a dataset held below the minimum badge only by `unsure` verdicts
 * (time-outs, 5xx — JUnit <error>) does not fail the pipeline; with --fail-on unsure it does.
 */
export function failingUnder(outcome: CiOutcome, failOn: 'fail' | 'unsure', catalogComplete: boolean): { passed: boolean; unsureOnly: number } {
  const counted = outcome.failingDatasets.filter((f) => failOn === 'unsure' || f.kind === 'failure');
  return { passed: !counted.length && !outcome.failingAgencies.length && catalogComplete, unsureOnly: outcome.failingDatasets.length - counted.length };
}

async function finishCi(a: CliAudit, o: CiCliOptions, ctx: CliContext, minBadge: string | undefined): Promise<number> {
  const { results, ruleset: rs, store } = a;
  const started = performance.now();
  const outcome = ciCheck(results, rs, { minBadge, minScore: o.minScore });
  const failOn = o.failOn ?? 'fail';
  const verdict = failingUnder(outcome, failOn, results.catalog.complete);
  const md = ciMarkdown(results, { ...outcome, passed: verdict.passed });
  const paths: WrittenPaths = {};
  if (o.junit) await writeFileAtomic((paths.junit = o.junit), junitXml(results, outcome));
  if (o.markdown) await writeFileAtomic((paths.markdown = o.markdown), md);
  if (a.out) {
    await writeOutputs(results, rs, a.out);
    const history = store && results.run ? storeHistory(store, { comparableTo: results.run.id }) : emptyHistory;
    const { files } = await writeReports(results, a.out, { ruleset: rs, history, usage: loadUsage(o.usage) });
    Object.assign(paths, { results: join(a.out, 'results.json'), summaryCsv: join(a.out, 'summary.csv'), summaryMd: join(a.out, 'summary.md'), reports: files });
  }
  ctx.text(md);
  if (verdict.unsureOnly) {
    ctx.warning(`${verdict.unsureOnly} dataset(s) are below the minimum badge only because odbadge could not decide (unsure: time-outs, 5xx); they do not fail the pipeline without --fail-on unsure`);
  }
  if (results.run) ctx.detail(`Recorded as run ${results.run.id}${results.run.resumed ? ' (resumed)' : ''} in ${store!.path}.\n`);
  ctx.detail(timingLine([['audit', a.auditMs], ['outputs', performance.now() - started]]));
  const exit = auditExit(a, verdict.passed ? { code: EXIT.ok, reason: 'passed' } : { code: EXIT.checksFailed, reason: 'checks-failed' });
  if (ctx.json) {
    ctx.result(auditSummary('ci', a, paths, exit, {
      ci: {
        passed: verdict.passed, minBadge: minBadge ?? null, minScore: o.minScore ?? null, failOn,
        failingDatasets: outcome.failingDatasets.map((f) => ({ id: f.dataset.id, title: f.dataset.title, agency: f.dataset.agency, badge: f.dataset.badge, kind: f.kind === 'failure' ? 'fail' : 'unsure', counted: failOn === 'unsure' || f.kind === 'failure' })),
        failingAgencies: outcome.failingAgencies,
      },
    }));
  }
  reportExit(ctx, a, exit);
  return exit.code;
}

export async function ciCommand(o: CiCliOptions, ctx: CliContext): Promise<number> {
  // The ruleset's tiers are needed to check --min-badge before anything is downloaded; runCliAudit loads it again
  // (cheap) or takes the one a resumed run stored.
  const tierIds = loadRuleset(o.ruleset).tiers.map((t) => t.id);
  // Without any threshold, CI still demands the lowest badge: every link works and gives the data.
  const minBadge = o.minBadge ?? (o.minScore === undefined ? tierIds[0] : undefined);
  if (minBadge && minBadge !== 'none' && !tierIds.includes(minBadge)) {
    return ctx.usage(`unknown --min-badge "${minBadge}" (this ruleset has: ${tierIds.join(', ')}, none)`);
  }
  return runCliAudit(o, ctx, { needOut: false, progress: false, files: [['--junit', o.junit], ['--markdown', o.markdown]] }, (a) => finishCi(a, o, ctx, minBadge));
}

export const ciSpec: CommandSpec = {
  name: 'ci',
  description: 'audit and pass/fail a pipeline: exit 1 below the thresholds, JUnit XML and a Markdown summary; every audit option applies, and the run is recorded in history',
  options: [
    AUDIT_OPTIONS[0],
    { flags: '--min-badge <tier>', kind: 'value', defaultText: 'the lowest tier (bronze)', description: 'every dataset must hold at least this badge ("none" to check no badge)' },
    { flags: '--min-score <score>', kind: 'value', parse: nonNegativeNumber, numeric: true, description: 'every agency must score at least this' },
    FAIL_ON_OPTION,
    { flags: '--junit <file>', kind: 'value', description: 'write JUnit XML here (one testsuite per agency, one testcase per dataset)' },
    { flags: '--markdown <file>', kind: 'value', description: 'write the Markdown summary (for a pull-request comment) here' },
    { flags: '--out <dir>', kind: 'value', description: 'also write results.json, the dashboard and the CSV/Markdown reports here' },
    ...AUDIT_OPTIONS.slice(1),
    ...formatOptions('the Markdown summary'),
  ],
  timesItself: true,
  run: (_args, o, ctx) => ciCommand(o as CiCliOptions, ctx),
};
