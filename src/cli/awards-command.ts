// `odbadge awards`: the 資料開放金質獎 award tables of a run — 金質獎 by group, 品質進步獎 against a previous run,
// 人氣獎 from usage counts, and the 應用獎 public-vote scale. Prints Markdown (or JSON) and writes awards.json/.md.
import { existsSync } from 'node:fs';
import { baselineOf } from '../store/comparable.ts';
import { openStore } from '../store/open-store.ts';
import { defaultDbPath } from '../store/paths.ts';
import { storedAuditResult } from '../store/run-history.ts';
import { dirname, join } from 'node:path';
import type { AuditResult } from '../model.ts';
import { readResultsFile } from '../report/html/history.ts';
import { awardsMarkdown } from '../report/markdown-report.ts';
import { awardConfig, computeAwards, type UsageRecord } from '../score/awards.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { DB_OPTION, formatOptions, positiveInt, regex } from './options.ts';
import { loadUsage } from './report-command.ts';
import { chosenDb } from './store-cli.ts';
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

/** The stored run's baseline (the newest comparable run: see store/comparable.ts), when the results came from a stored run. */
async function previousFromStore(current: AuditResult, db: string | undefined): Promise<AuditResult | undefined> {
  const runId = current.run?.id;
  const chosen = chosenDb(db);
  const path = chosen ?? defaultDbPath();
  if (!runId || (!chosen && !existsSync(path))) return undefined;
  const store = await openStore(path, { create: false });
  try {
    const run = await store.getRun(runId);
    const prev = run && await baselineOf(store, run);
    return prev ? await storedAuditResult(store, prev.id) : undefined;
  } finally {
    await store.close();
  }
}

export async function awardsCommand(o: AwardsCliOptions, ctx = new CliContext('odbadge awards', { format: o.json ? 'json' : 'text' })): Promise<number> {
  let current: AuditResult;
  let previous: AuditResult | undefined;
  let usage: UsageRecord[];
  let previousWinners: string[][] | undefined;
  try {
    current = await readResultsFile(o.results);
    previous = o.previous ? await readResultsFile(o.previous) : await previousFromStore(current, o.db);
    usage = loadUsage(o.usage);
    if (o.previousWinners) {
      const { readFile } = await import('node:fs/promises');
      const json = JSON.parse(await readFile(o.previousWinners, 'utf8'));
      if (!Array.isArray(json) || !json.every((e) => Array.isArray(e))) throw new Error(`${o.previousWinners}: expected [[ids of the last edition's winners], [the one before], …]`);
      previousWinners = json;
    }
  } catch (e) {
    // A StoreError (foreign or corrupt store) is as much an unreadable input as a bad results file.
    return ctx.fail(EXIT.input, (e as Error).message);
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
    return ctx.fail(EXIT.input, e.message);
  }
  if (ctx.json) ctx.result(tables);
  else ctx.text(md);
  ctx.info(`Wrote ${join(out, 'awards.json')} and awards.md\n`);
  return EXIT.ok;
}

export const awardsSpec: CommandSpec = {
  name: 'awards',
  description: '資料開放金質獎 award tables: 金質獎 by group, 品質進步獎, 人氣獎, 應用獎 public-vote scale; prints them and writes awards.json and awards.md',
  options: [
    { flags: '--results <file>', kind: 'value', required: true, description: 'results.json of the run being judged' },
    { flags: '--previous <file>', kind: 'value', defaultText: 'the newest complete run of the same catalogue and ruleset in the history store', description: 'results.json of the previous assessment, for 品質進步獎' },
    { ...DB_OPTION, description: 'the history store the previous run is read from (an SQLite file or a PostgreSQL URL)' },
    { flags: '--threshold <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '100', description: '第一組 (group 1) from this many datasets (set yearly by NDC)' },
    ...formatOptions('Markdown', { json: true }),
    { flags: '--out <dir>', kind: 'value', defaultText: 'beside --results', description: 'where to write awards.json and awards.md' },
    { flags: '--usage <file>', kind: 'value', defaultText: 'none', description: 'this catalogue\'s views/downloads/ratings (JSON) for 人氣獎; without it, and without usage in the results, 人氣獎 is not awarded' },
    { flags: '--previous-winners <file>', kind: 'value', description: 'JSON [[ids or "agency|title" of last edition\'s 人氣獎 winners], …], newest first' },
    { flags: '--roll-up <regex>', kind: 'value', parse: regex, description: 'merge sub-agencies into the parent named by the first capture, e.g. "^(.+?部)"' },
    { flags: '--local-pattern <regex>', kind: 'value', parse: regex, description: 'names matching this are local governments (besides the 22 counties and cities)' },
    { flags: '--entries <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '5', description: '應用獎 entries N for the public-vote scale' },
  ],
  run: (_args, o, ctx) => awardsCommand(o as unknown as AwardsCliOptions, ctx),
};
