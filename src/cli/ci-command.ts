// `odbadge ci`: audit a catalogue and pass or fail a pipeline. Exit 1 when a dataset is below --min-badge or an
// agency below --min-score; writes JUnit XML (one suite per agency, one case per dataset) and a Markdown summary
// for a pull-request comment. Every audit option applies — the history store included: a ci run is recorded, and
// can be resumed, like an audit. Exit 3 when the catalogue cannot be read or broke off (reports are still written).
import { join } from 'node:path';
import { loadRuleset } from '../score/ruleset.ts';
import { auditExit, auditSummary, reportExit, reportFiles, runCliAudit, writeCliOutputs, type AuditCommandOptions, type CliAudit, type WrittenPaths } from './audit-command.ts';
import type { CommandSpec } from './command.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { loadUsage } from './report-command.ts';
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

async function finishCi(a: CliAudit, o: CiCliOptions, ctx: CliContext, minBadge: string | undefined): Promise<number> {
  const { store } = a;
  const header = a.results.header;
  const started = performance.now();
  const failOn = o.failOn ?? 'fail';
  // The JUnit XML, the Markdown summary and (with --out) every audit output, in one pass over the results.
  const written = await writeCliOutputs(a, {
    out: a.out, results: true, jsonl: !!o.jsonl, reports: true, usage: loadUsage(o.usage),
    ci: { thresholds: { minBadge, minScore: o.minScore, failOn }, junit: o.junit, markdown: o.markdown },
  });
  const { outcome, markdown: md } = written.ci!;
  const paths: WrittenPaths = {};
  if (o.junit) paths.junit = o.junit;
  if (o.markdown) paths.markdown = o.markdown;
  if (a.out) {
    Object.assign(paths, {
      results: join(a.out, 'results.json'), ...(o.jsonl ? { resultsJsonl: join(a.out, 'results.jsonl') } : {}), summaryCsv: join(a.out, 'summary.csv'), summaryMd: join(a.out, 'summary.md'),
      reports: reportFiles(written.files.filter((f) => f !== o.junit && f !== o.markdown)),
    });
  }
  ctx.text(md);
  if (outcome.unsureOnly) {
    ctx.warning(`${outcome.unsureOnly} dataset(s) are below the minimum badge only because odbadge could not decide (unsure: time-outs, 5xx); they do not fail the pipeline without --fail-on unsure`);
  }
  if (header.run) ctx.detail(`Recorded as run ${header.run.id}${header.run.resumed ? ' (resumed)' : ''} in ${store!.path}.\n`);
  ctx.detail(timingLine([['audit', a.auditMs], ['outputs', performance.now() - started]]));
  const exit = auditExit(a, outcome.passed ? { code: EXIT.ok, reason: 'passed' } : { code: EXIT.checksFailed, reason: 'checks-failed' });
  if (ctx.json) {
    ctx.result(auditSummary('ci', a, written.counts, paths, exit, {
      ci: {
        passed: outcome.passed, minBadge: minBadge ?? null, minScore: o.minScore ?? null, failOn,
        failingDatasets: outcome.failingDatasets.map((f) => ({ id: f.dataset.id, title: f.dataset.title, agency: f.dataset.agency, badge: f.dataset.badge, kind: f.kind === 'failure' ? 'fail' : 'unsure', counted: failOn === 'unsure' || f.kind === 'failure' })),
        failingCount: outcome.failingCount ?? outcome.failingDatasets.length,
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
