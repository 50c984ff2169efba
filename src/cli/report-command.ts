// `odbadge report`: turn an audit's results into the reports people read — the HTML dashboard (index.html), CSV
// tables for spreadsheets (agencies.csv, datasets.csv, fix-first.csv) and a Markdown report for mail (report.md) —
// from a results.json of any size (read as a stream), or from a run in the history store (--run), which writes
// every output of the audit again: results.json, summary.csv and summary.md too.
import { readFileSync } from 'node:fs';
import type { AuditResult, AuditResults } from '../model.ts';
import type { ReferenceAgreement } from '../report/html/dashboard.ts';
import { emptyHistory, HistoryFileError, historyFromPaths, type RunHistory } from '../report/html/history.ts';
import { writeAuditOutputs } from '../report/outputs.ts';
import { openResultsFile, ResultsFileError, type ResultsFile } from '../report/results-file.ts';
import { resultsOf } from '../report/results-stream.ts';
import type { UsageRecord } from '../score/awards.ts';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from '../score/groups.ts';
import { loadRuleset, parseRuleset, type Ruleset } from '../score/ruleset.ts';
import { StoreError } from '../store/errors.ts';
import { storedResults, storeHistory } from '../store/run-history.ts';
import type { HistoryStore } from '../store/history-store.ts';
import { packagePath } from '../paths.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { DB_OPTION, positiveInt, RULESET_OPTION } from './options.ts';
import { openExistingStore } from './store-cli.ts';
import { OutputError } from '../util/atomic-write.ts';
import { leanHeap } from '../util/lean-heap.ts';
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
  const { files } = await writeAuditOutputs(resultsOf(results), { ruleset: opts.ruleset ?? loadRuleset(), out, reports: true, history: opts.history, usage: opts.usage, groups: opts.groups, reference: opts.reference });
  return { files };
}

/** What to run when an audit's outputs could not be written: its results are in the store, and can be again. */
export function regenerateHint(runId: number, db: string, out: string): string {
  return `the results are recorded in ${db} as run ${runId}; write the outputs again with: odbadge report --run ${runId} --db ${JSON.stringify(db)} --out ${JSON.stringify(out)}`;
}

interface ReportCliOptions {
  results?: string;
  run?: string;
  db?: string;
  out: string;
  previous?: string[];
  ruleset?: string;
  usage?: string;
  threshold?: number;
  jsonl?: boolean;
}

export async function reportCommand(o: ReportCliOptions, ctx = new CliContext('odbadge report')): Promise<number> {
  if (!o.results === !o.run) return ctx.usage(`report needs ${o.results ? 'either --results or --run, not both' : '--results <file> or --run <id>'}`);
  if (o.run !== undefined && o.previous?.length) return ctx.usage('--previous is for --results; with --run the trend comes from the history store');
  let store: HistoryStore | undefined;
  let file: ResultsFile | undefined;
  try {
    let results: AuditResults;
    let history: RunHistory;
    let usage: UsageRecord[];
    let rs: Ruleset;
    try {
      if (o.run !== undefined) {
        const id = Number(o.run);
        if (!Number.isInteger(id) || id < 1) return ctx.usage(`--run expects a run id (see odbadge history), got "${o.run}"`);
        const opened = await openExistingStore(ctx, o.db);
        if ('code' in opened) return opened.code;
        store = opened.store;
        const run = await store.getRun(id);
        if (!run) throw new StoreError('usage', store.path, `no run ${id} in ${store.path} (see odbadge history)`);
        // The run's own ruleset, as the audit reported with it, unless another is asked for.
        rs = o.ruleset ? loadRuleset(o.ruleset) : parseRuleset(run.ruleset, `ruleset stored with run ${id}`);
        results = await storedResults(store, id);
        history = await storeHistory(store, { comparableTo: id });
      } else {
        rs = loadRuleset(o.ruleset);
        file = await openResultsFile(o.results!);
        results = file;
        history = o.previous?.length ? await historyFromPaths(o.previous, { ...results.header, datasets: [] }) : emptyHistory;
      }
      usage = loadUsage(o.usage);
    } catch (e) {
      if (e instanceof StoreError) return e.kind === 'usage' ? ctx.usage(e.message) : ctx.fail(EXIT.input, e.message);
      if (!(e instanceof HistoryFileError) && !(e instanceof ResultsFileError)) throw e;
      return ctx.fail(EXIT.input, e.message);
    }
    const header = results.header;
    if (header.ruleset?.id && header.ruleset.id !== rs.id) ctx.warning(`results were audited with ruleset ${header.ruleset.id}, reporting with ${rs.id}`);
    const bad = await checkOutputs([['--out', o.out]]);
    if (bad) return ctx.fail(bad.code, bad.message);
    leanHeap();
    let files: string[];
    try {
      ({ files } = await writeAuditOutputs(results, {
        ruleset: rs, out: o.out, reports: true, results: o.run !== undefined, jsonl: !!o.jsonl, history, usage,
        groups: { ...DEFAULT_GROUP_CONFIG, ...(o.threshold ? { threshold: o.threshold } : {}) },
      }));
    } catch (e) {
      if (!(e instanceof ResultsFileError) && !(e instanceof OutputError)) throw e;
      return ctx.fail(EXIT.input, e.message);
    }
    ctx.info(`Wrote ${files.join(', ')}\n`);
    return EXIT.ok;
  } finally {
    await file?.close();
    await store?.close();
  }
}

export const reportSpec: CommandSpec = {
  name: 'report',
  description: 'write the HTML dashboard, CSV tables and a Markdown report from a results.json, or every output of a stored run',
  options: [
    { flags: '--results <file>', kind: 'value', description: 'results.json of an audit (any size: it is read as a stream)' },
    { flags: '--run <id>', kind: 'value', description: 'a run in the history store (see odbadge history): writes every output of that audit again, results.json included' },
    { ...DB_OPTION, description: 'the history store, for --run (an SQLite file or a PostgreSQL URL)' },
    { flags: '--out <dir>', kind: 'value', required: true, description: 'directory for index.html, agencies.csv, datasets.csv, fix-first.csv and report.md' },
    { flags: '--previous <files...>', kind: 'variadic', description: 'earlier results.json files (or directories of runs) for the score trend (with --results)' },
    { ...RULESET_OPTION, defaultText: 'rules/tw-ndc-2017.json; with --run, the run\'s own' },
    { flags: '--usage <file>', kind: 'value', defaultText: 'none', description: 'this catalogue\'s views/downloads (JSON), to weight fixes (seeds/mol-usage-2017.json is the demo portal\'s)' },
    { flags: '--threshold <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '100', description: '第一組 (group 1) from this many datasets (set yearly by NDC)' },
    { flags: '--jsonl', kind: 'flag', description: 'with --run: also write results.jsonl, one dataset per line' },
  ],
  run: (_args, o, ctx) => reportCommand(o as unknown as ReportCliOptions, ctx),
};
