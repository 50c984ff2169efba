// `odbadge awards`: the 資料開放金質獎 award tables of a run — 金質獎 by group, 品質進步獎 against a previous run,
// 人氣獎 from usage counts, and the 應用獎 public-vote scale. Prints Markdown (or JSON) and writes awards.json/.md.
import { existsSync } from 'node:fs';
import { baselineOf } from '../store/comparable.ts';
import { defaultDbPath } from '../store/paths.ts';
import { Store } from '../store/store.ts';
import { storedAuditResult } from '../store/run-history.ts';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { AuditResult } from '../model.ts';
import { readResultsFile } from '../report/html/history.ts';
import { awardsMarkdown } from '../report/markdown-report.ts';
import { awardConfig, computeAwards, type UsageRecord } from '../score/awards.ts';
import { positiveInt, type RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { loadUsage } from './report-command.ts';
import { print, warn } from './terminal.ts';
import { jsonText } from '../util/json-text.ts';
import { OutputError, writeFileAtomic } from '../util/atomic-write.ts';

interface AwardsCliOptions {
  results: string;
  previous?: string;
  threshold?: number;
  json?: boolean;
  out?: string;
  usage?: string;
  rollUp?: string;
  localPattern?: string;
  entries?: number;
  previousWinners?: string;
  db?: string;
}

function regex(v: string): string {
  try {
    new RegExp(v, 'u');
    return v;
  } catch (e) {
    throw new InvalidArgumentError(`not a valid regular expression: ${(e as Error).message}`);
  }
}

/** The stored run's baseline (the newest comparable run: see store/comparable.ts), when the results came from a stored run. */
function previousFromStore(current: AuditResult, db: string | undefined): AuditResult | undefined {
  const runId = current.run?.id;
  const path = db ?? defaultDbPath();
  if (!runId || (!db && !existsSync(path))) return undefined;
  const store = Store.open(path, { create: false });
  try {
    const run = store.getRun(runId);
    const prev = run && baselineOf(store, run);
    return prev ? storedAuditResult(store, prev.id) : undefined;
  } finally {
    store.close();
  }
}

export async function awardsCommand(o: AwardsCliOptions): Promise<number> {
  let current: AuditResult;
  let previous: AuditResult | undefined;
  let usage: UsageRecord[];
  let previousWinners: string[][] | undefined;
  try {
    current = await readResultsFile(o.results);
    previous = o.previous ? await readResultsFile(o.previous) : previousFromStore(current, o.db);
    usage = loadUsage(o.usage);
    if (o.previousWinners) {
      const { readFile } = await import('node:fs/promises');
      const json = JSON.parse(await readFile(o.previousWinners, 'utf8'));
      if (!Array.isArray(json) || !json.every((e) => Array.isArray(e))) throw new Error(`${o.previousWinners}: expected [[ids of the last edition's winners], [the one before], …]`);
      previousWinners = json;
    }
  } catch (e) {
    // A StoreError (foreign or corrupt store) is as much an unreadable input as a bad results file.
    warn(`odbadge: ${(e as Error).message}\n`);
    return EXIT.input;
  }
  const cfg = awardConfig({
    groups: { ...(o.threshold ? { threshold: o.threshold } : {}), ...(o.localPattern ? { localPattern: o.localPattern } : {}) },
    ...(o.rollUp ? { rollUp: o.rollUp } : {}),
  });
  const tables = computeAwards(current, { previous, usage, previousPopularityWinners: previousWinners, publicVoteEntries: o.entries }, cfg);
  const md = awardsMarkdown(tables);
  const json = jsonText(tables, 2) + '\n';
  const out = o.out ?? dirname(o.results);
  try {
    await writeFileAtomic(join(out, 'awards.json'), json);
    await writeFileAtomic(join(out, 'awards.md'), md);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    warn(`odbadge: ${e.message}\n`);
    return EXIT.input;
  }
  print(o.json ? json : md);
  warn(`Wrote ${join(out, 'awards.json')} and awards.md\n`);
  return EXIT.ok;
}

export const registerAwards: RegisterCommand = (program, setExit) => {
  program
    .command('awards')
    .description('資料開放金質獎 award tables: 金質獎 by group, 品質進步獎, 人氣獎, 應用獎 public-vote scale')
    .requiredOption('--results <file>', 'results.json of the run being judged')
    .option('--previous <file>', 'results.json of the previous assessment (for 品質進步獎; default: the newest complete run of the same catalogue and ruleset in the history store)')
    .option('--db <file>', 'history store to read the previous run from (default: see odbadge history)')
    .option('--threshold <n>', '第一組 from this many datasets (set yearly by NDC; default 100)', positiveInt)
    .option('--json', 'print JSON instead of Markdown')
    .option('--out <dir>', 'where to write awards.json and awards.md (default: beside --results)')
    .option('--usage <file>', 'this catalogue\'s views/downloads/ratings (JSON) for 人氣獎; without it, and without usage in the results, 人氣獎 is not awarded')
    .option('--previous-winners <file>', 'JSON [[ids or "agency|title" of last edition\'s 人氣獎 winners], …], newest first')
    .option('--roll-up <regex>', 'merge sub-agencies into the parent named by the first capture, e.g. "^(.+?部)"', regex)
    .option('--local-pattern <regex>', 'names matching this are local governments (besides the 22 counties and cities)', regex)
    .option('--entries <n>', '應用獎 entries N for the public-vote scale (default 5)', positiveInt)
    .action(async (o) => setExit(await awardsCommand(o)));
};
