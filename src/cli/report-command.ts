// `odbadge report`: turn a results.json into the reports people read — the HTML dashboard (index.html), CSV tables
// for spreadsheets (agencies.csv, datasets.csv, fix-first.csv) and a Markdown report for mail (report.md).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuditResult } from '../model.ts';
import { agreement } from '../report/agreement.ts';
import { agenciesCsv, datasetsCsv, fixFirstCsv } from '../report/csv-report.ts';
import { fixFirst } from '../report/fix-first.ts';
import { writeDashboard, type ReferenceAgreement } from '../report/html/dashboard.ts';
import { emptyHistory, HistoryFileError, historyFromPaths, readResultsFile, type RunHistory } from '../report/html/history.ts';
import { markdownReport } from '../report/markdown-report.ts';
import type { UsageRecord } from '../score/awards.ts';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from '../score/groups.ts';
import { indicatorIds, loadRuleset, type Ruleset } from '../score/ruleset.ts';
import { packagePath } from '../paths.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { positiveInt, RULESET_OPTION } from './options.ts';
import { OutputError, writeFileAtomic } from '../util/atomic-write.ts';
import { checkOutputs } from './output-paths.ts';

/** 勞動部's 2017 usage counts (seed 004): the demo portal's, and only the demo's — other catalogues give --usage. */
export const DEMO_USAGE = packagePath('seeds/mol-usage-2017.json');

/**
 * Usage counts for 人氣獎 and usage-weighted fixes, from --usage: a JSON array of {title, agency, views, downloads,
 * avgRating?, publishedAt?} or a seed file ({datasets: […]}). None without a file: usage belongs to one catalogue.
 */
export function loadUsage(path: string | undefined): UsageRecord[] {
  if (!path) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HistoryFileError(`cannot read usage counts ${path}: ${(e as Error).message}`);
  }
  const rows = Array.isArray(json) ? json : (json as { datasets?: unknown }).datasets;
  if (!Array.isArray(rows)) throw new HistoryFileError(`${path}: expected an array of {title, agency, views, downloads} or {datasets: […]}`);
  return rows.filter((r): r is UsageRecord => !!r && typeof r.title === 'string' && typeof r.agency === 'string');
}

export interface ReportOutputs {
  files: string[];
}

/** Every human-facing report of one run, written to `out`. The audit and CI commands can call this too. */
export async function writeReports(results: AuditResult, out: string, opts: { ruleset?: Ruleset; history?: RunHistory; usage?: UsageRecord[]; groups?: GroupConfig; reference?: ReferenceAgreement } = {}): Promise<ReportOutputs> {
  const rs = opts.ruleset ?? loadRuleset();
  const groups = opts.groups ?? DEFAULT_GROUP_CONFIG;
  const fixes = fixFirst(results, rs, { usage: opts.usage });
  const ids = indicatorIds(rs);
  const files = [await writeDashboard(results, opts.history ?? emptyHistory, out, { ruleset: rs, usage: opts.usage, groups, ...(opts.reference ? { reference: opts.reference } : {}) })];
  const write = async (name: string, text: string) => {
    await writeFileAtomic(join(out, name), text);
    files.push(join(out, name));
  };
  await write('agencies.csv', agenciesCsv(results, rs.tiers.map((t) => t.id), groups));
  await write('datasets.csv', datasetsCsv(results, ids));
  await write('fix-first.csv', fixFirstCsv(fixes));
  await write('report.md', markdownReport({ results, tierIds: rs.tiers.map((t) => t.id), fixes, agreement: agreement(results, rs), groups }));
  return { files };
}

interface ReportCliOptions {
  results: string;
  out: string;
  previous?: string[];
  ruleset?: string;
  usage?: string;
  threshold?: number;
}

export async function reportCommand(o: ReportCliOptions, ctx = new CliContext('odbadge report')): Promise<number> {
  const rs = loadRuleset(o.ruleset);
  let results: AuditResult;
  let history: RunHistory;
  let usage: UsageRecord[];
  try {
    results = await readResultsFile(o.results);
    history = o.previous?.length ? await historyFromPaths(o.previous, results) : emptyHistory;
    usage = loadUsage(o.usage);
  } catch (e) {
    return ctx.fail(EXIT.input, (e as Error).message);
  }
  if (results.ruleset?.id && results.ruleset.id !== rs.id) ctx.warning(`results were audited with ruleset ${results.ruleset.id}, reporting with ${rs.id}`);
  const bad = await checkOutputs([['--out', o.out]]);
  if (bad) return ctx.fail(bad.code, bad.message);
  let files: string[];
  try {
    ({ files } = await writeReports(results, o.out, { ruleset: rs, history, usage, groups: { ...DEFAULT_GROUP_CONFIG, ...(o.threshold ? { threshold: o.threshold } : {}) } }));
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    return ctx.fail(EXIT.input, e.message);
  }
  ctx.info(`Wrote ${files.join(', ')}\n`);
  return EXIT.ok;
}

export const reportSpec: CommandSpec = {
  name: 'report',
  description: 'write the HTML dashboard, CSV tables and a Markdown report from a results.json',
  options: [
    { flags: '--results <file>', kind: 'value', required: true, description: 'results.json of an audit' },
    { flags: '--out <dir>', kind: 'value', required: true, description: 'directory for index.html, agencies.csv, datasets.csv, fix-first.csv and report.md' },
    { flags: '--previous <files...>', kind: 'variadic', description: 'earlier results.json files (or directories of runs) for the score trend' },
    RULESET_OPTION,
    { flags: '--usage <file>', kind: 'value', defaultText: 'none', description: 'this catalogue\'s views/downloads (JSON), to weight fixes (seeds/mol-usage-2017.json is the demo portal\'s)' },
    { flags: '--threshold <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '100', description: '第一組 (group 1) from this many datasets (set yearly by NDC)' },
  ],
  run: (_args, o, ctx) => reportCommand(o as unknown as ReportCliOptions, ctx),
};
