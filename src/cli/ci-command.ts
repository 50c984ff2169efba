// `odbadge ci`: audit a catalogue and pass or fail a pipeline. Exit 1 when a dataset is below --min-badge or an
// agency below --min-score; writes JUnit XML (one suite per agency, one case per dataset) and a Markdown summary
// for a pull-request comment. Exit 3 when the catalogue cannot be read or broke off (reports are still written).
import { InvalidArgumentError } from 'commander';
import { startAudit } from '../audit.ts';
import { writeAuditOutputs } from '../report/outputs.ts';
import { loadRuleset } from '../score/ruleset.ts';
import { addAuditOptions, enrichBase, fetchOptionsFrom, type AuditCliOptions } from './audit-command.ts';
import type { RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { loadUsage } from './report-command.ts';
import { print, warn } from './terminal.ts';
import { OutputError } from '../util/atomic-write.ts';
import { leanHeap } from '../util/lean-heap.ts';
import { checkOutputs } from './output-paths.ts';

export interface CiCliOptions extends Omit<AuditCliOptions, 'out'> {
  out?: string;
  minBadge?: string;
  minScore?: number;
  junit?: string;
  markdown?: string;
}

function score(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0, e.g. 80');
  return n;
}

export async function ciCommand(o: CiCliOptions): Promise<number> {
  const rs = loadRuleset(o.ruleset);
  const tierIds = rs.tiers.map((t) => t.id);
  // Without any threshold, CI still demands the lowest badge: every link works and gives the data.
  const minBadge = o.minBadge ?? (o.minScore === undefined ? tierIds[0] : undefined);
  if (minBadge && minBadge !== 'none' && !tierIds.includes(minBadge)) {
    warn(`odbadge: unknown --min-badge "${minBadge}" (this ruleset has: ${tierIds.join(', ')}, none)\n`);
    return EXIT.usage;
  }
  const bad = await checkOutputs([['--out', o.out]], [['--junit', o.junit], ['--markdown', o.markdown]]);
  if (bad) {
    warn(`odbadge: ${bad.message}\n`);
    return bad.code;
  }
  leanHeap();
  const run = await startAudit({
    catalog: o.catalog,
    ruleset: rs,
    agency: o.agency,
    enrichApiBase: enrichBase(o.enrich, o.catalog),
    fetch: fetchOptionsFrom(o),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
  });
  try {
    const results = run.results;
    const header = results.header;
    if (results.count === 0 && header.catalog.error) {
      warn(`odbadge: cannot read the catalogue ${header.catalog.source}: ${header.catalog.error}\n`);
      return EXIT.input;
    }
    let ci;
    try {
      // The JUnit XML, the Markdown summary and (with --out) every audit output, in one pass over the results.
      ({ ci } = await writeAuditOutputs(results, {
        ruleset: rs, out: o.out, results: true, jsonl: !!o.jsonl, reports: true, usage: loadUsage(o.usage),
        ci: { thresholds: { minBadge, minScore: o.minScore }, junit: o.junit, markdown: o.markdown },
      }));
    } catch (e) {
      // Checked before the audit; still possible (disk full, directory removed meanwhile): one line, not a trace.
      if (!(e instanceof OutputError)) throw e;
      warn(`odbadge: ${e.message}\n`);
      return EXIT.input;
    }
    if (!o.quiet) print(ci!.markdown);
    if (!header.catalog.complete) {
      warn(`odbadge: the catalogue broke off: ${header.catalog.error}; results cover the datasets read before that.\n`);
      return EXIT.input;
    }
    return ci!.outcome.passed ? EXIT.ok : EXIT.checksFailed;
  } finally {
    await run.dispose();
  }
}

export const registerCi: RegisterCommand = (program, setExit) => {
  const cmd = program
    .command('ci')
    .description('audit and pass/fail a pipeline: exit 1 below the thresholds, JUnit XML and a Markdown summary')
    .requiredOption('--catalog <source>', 'a data.gov.tw export (URL or file), ckan:<base>, or a local catalogue')
    .option('--min-badge <tier>', 'every dataset must hold at least this badge (default: the lowest tier; "none" to disable)')
    .option('--min-score <score>', 'every agency must score at least this', score)
    .option('--junit <file>', 'write JUnit XML here')
    .option('--markdown <file>', 'write the Markdown summary (for a PR comment) here')
    .option('--out <dir>', 'also write results.json, the dashboard and the CSV/Markdown reports here')
    .option('--jsonl', 'with --out: also write results.jsonl, one dataset per line')
    .option('--quiet', 'no summary on stdout');
  addAuditOptions(cmd).action(async (o) => setExit(await ciCommand(o)));
};
