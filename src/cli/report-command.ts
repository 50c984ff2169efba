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
import type { Store } from '../store/store.ts';
import { packagePath } from '../paths.ts';
import { positiveInt, type RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { openExistingStore } from './store-cli.ts';
import { warn } from './terminal.ts';
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

export async function reportCommand(o: ReportCliOptions): Promise<number> {
  if (!o.results === !o.run) {
    warn(`odbadge: report needs ${o.results ? 'either --results or --run, not both' : '--results <file> or --run <id>'}\n`);
    return EXIT.usage;
  }
  if (o.run !== undefined && o.previous?.length) {
    warn('odbadge: --previous is for --results; with --run the trend comes from the history store\n');
    return EXIT.usage;
  }
  let store: Store | undefined;
  let file: ResultsFile | undefined;
  try {
    let results: AuditResults;
    let history: RunHistory;
    let usage: UsageRecord[];
    let rs: Ruleset;
    try {
      if (o.run !== undefined) {
        const id = Number(o.run);
        if (!Number.isInteger(id) || id < 1) {
          warn(`odbadge: --run expects a run id (see odbadge history), got "${o.run}"\n`);
          return EXIT.usage;
        }
        const opened = openExistingStore(o.db);
        if ('code' in opened) return opened.code;
        store = opened.store;
        const run = store.getRun(id);
        if (!run) throw new StoreError('usage', store.path, `no run ${id} in ${store.path} (see odbadge history)`);
        // The run's own ruleset, as the audit reported with it, unless another is asked for.
        rs = o.ruleset ? loadRuleset(o.ruleset) : parseRuleset(run.ruleset, `ruleset stored with run ${id}`);
        results = storedResults(store, id);
        history = storeHistory(store, { comparableTo: id });
      } else {
        rs = loadRuleset(o.ruleset);
        file = await openResultsFile(o.results!);
        results = file;
        history = o.previous?.length ? await historyFromPaths(o.previous, { ...results.header, datasets: [] }) : emptyHistory;
      }
      usage = loadUsage(o.usage);
    } catch (e) {
      if (e instanceof StoreError) {
        warn(`odbadge: ${e.message}\n`);
        return e.kind === 'usage' ? EXIT.usage : EXIT.input;
      }
      if (!(e instanceof HistoryFileError) && !(e instanceof ResultsFileError)) throw e;
      warn(`odbadge: ${e.message}\n`);
      return EXIT.input;
    }
    const header = results.header;
    if (header.ruleset?.id && header.ruleset.id !== rs.id) warn(`odbadge: warning: results were audited with ruleset ${header.ruleset.id}, reporting with ${rs.id}\n`);
    const bad = await checkOutputs([['--out', o.out]]);
    if (bad) {
      warn(`odbadge: ${bad.message}\n`);
      return bad.code;
    }
    leanHeap();
    let files: string[];
    try {
      ({ files } = await writeAuditOutputs(results, {
        ruleset: rs, out: o.out, reports: true, results: o.run !== undefined, jsonl: !!o.jsonl, history, usage,
        groups: { ...DEFAULT_GROUP_CONFIG, ...(o.threshold ? { threshold: o.threshold } : {}) },
      }));
    } catch (e) {
      if (e instanceof ResultsFileError) {
        warn(`odbadge: ${e.message}\n`);
        return EXIT.input;
      }
      if (!(e instanceof OutputError)) throw e;
      warn(`odbadge: ${e.message}\n`);
      return EXIT.input;
    }
    warn(`Wrote ${files.join(', ')}\n`);
    return EXIT.ok;
  } finally {
    await file?.close();
    store?.close();
  }
}

export const registerReport: RegisterCommand = (program, setExit) => {
  program
    .command('report')
    .description('write the HTML dashboard, CSV tables and a Markdown report from a results.json, or every output of a stored run')
    .option('--results <file>', 'results.json of an audit (any size: it is read as a stream)')
    .option('--run <id>', 'a run in the history store (see odbadge history): writes every output of that audit again, results.json included')
    .option('--db <file>', 'history store for --run (default: as for audit)')
    .requiredOption('--out <dir>', 'directory for index.html, agencies.csv, datasets.csv, fix-first.csv and report.md')
    .option('--previous <files...>', 'earlier results.json files (or directories of runs) for the score trend (with --results)')
    .option('--ruleset <file>', 'ruleset JSON (default: rules/tw-ndc-2017.json; with --run, the run\'s own)')
    .option('--usage <file>', 'this catalogue\'s views/downloads (JSON), to weight fixes (none by default; seeds/mol-usage-2017.json is the demo portal\'s)')
    .option('--threshold <n>', '第一組 from this many datasets (default 100)', positiveInt)
    .option('--jsonl', 'with --run: also write results.jsonl, one dataset per line')
    .action(async (o) => setExit(await reportCommand(o)));
};
