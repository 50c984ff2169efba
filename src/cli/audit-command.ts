// `odbadge audit`: read a catalogue, fetch and inspect every resource, write results.json, summary.csv and
// summary.md to --out, and print the Markdown summary.
import type { Command } from 'commander';
import type { FetchOptions } from '../fetch/index.ts';
import { join } from 'node:path';
import { startAudit, type AuditOptions } from '../audit.ts';
import type { AuditResult } from '../model.ts';
import { writeAuditOutputs } from '../report/outputs.ts';
import { resultsOf } from '../report/results-stream.ts';
import { loadRuleset, parseRuleset, type Ruleset } from '../score/ruleset.ts';
import { catalogKeyOf } from '../store/audit-history.ts';
import { hasSecrets, redactUrl } from '../util/redact.ts';
import { StoreError } from '../store/errors.ts';
import type { RunInfo, Store } from '../store/store.ts';
import { emptyHistory } from '../report/html/history.ts';
import { storeHistory } from '../store/run-history.ts';
import { loadUsage, regenerateHint } from './report-command.ts';
import { openStoreForCli, resumeHint } from './store-cli.ts';
import { nonNegativeInt, positiveInt, type RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { startProgress } from './progress.ts';
import { print, warn } from './terminal.ts';
import { OutputError } from '../util/atomic-write.ts';
import { checkOutputs } from './output-paths.ts';
import { leanHeap } from '../util/lean-heap.ts';

export interface AuditCliOptions {
  catalog: string;
  out: string;
  ruleset?: string;
  agency?: string;
  concurrency?: number;
  perHost?: number;
  allowPrivateNetwork?: boolean;
  enrich?: string | boolean;
  timeout?: number;
  maxBytes?: number;
  /** --min-speed: bytes per second below which a download is cut (0 = no minimum). */
  minSpeed?: number;
  quiet?: boolean;
  /** Usage counts of this catalogue (JSON), for the reports. */
  usage?: string;
  /** History store file (default: see defaultDbPath). */
  db?: string;
  /** false with --no-store: record nothing, no conditional requests. */
  store?: boolean;
  /** --resume [runId]: true = the newest interrupted run (of --catalog, when given). */
  resume?: string | boolean;
  /** false with --no-incremental: download and inspect everything again even when unchanged. */
  incremental?: boolean;
  /** --workers: inspection threads (default one per core; 0 = on the main thread). */
  workers?: number;
  /** --jsonl: also results.jsonl, one dataset per line. */
  jsonl?: boolean;
}

/** What `odbadge audit` accepts: --catalog and --out may be left out with --resume (the run recorded them). */
export type AuditCommandOptions = Omit<AuditCliOptions, 'catalog' | 'out'> & { catalog?: string; out?: string };

interface ResumePlan {
  run: RunInfo;
  catalog: string;
  out: string;
  agency?: string;
  enrich?: string;
  fetch: Record<string, unknown>;
}

/**
 * Works out which run --resume means and the options it was started with. Throws StoreError (usage) when none,
 * except with --catalog and --out: nothing of that catalogue to resume (killed before anything was recorded, or
 * never started) means start it, so a scheduled `audit --resume --catalog X --out D` always makes progress.
 */
function planResume(store: Store, o: AuditCommandOptions): ResumePlan | undefined {
  let run: RunInfo | undefined;
  if (typeof o.resume === 'string') {
    const id = Number(o.resume);
    if (!Number.isInteger(id) || id < 1) throw new StoreError('usage', store.path, `--resume expects a run id (see odbadge history), got "${o.resume}"`);
    run = store.getRun(id);
    if (!run) throw new StoreError('usage', store.path, `no run ${id} in ${store.path} (see odbadge history)`);
  } else {
    const key = o.catalog ? catalogKeyOf(redactUrl(o.catalog), o.agency, undefined) : undefined;
    run = store.resumable(key);
    if (!run) {
      const live = store.listRuns().reverse().find((r) => r.status === 'running' && (key === undefined || r.catalogKey === key));
      if (live) throw new StoreError('usage', store.path, `run ${live.id} of ${live.catalog} is still running in another process; wait for it, or stop it (Ctrl-C) and resume then`);
    }
    if (!run && o.catalog && o.out) {
      warn(`odbadge: no interrupted audit of ${redactUrl(o.catalog)} to resume in ${store.path}; starting a new audit\n`);
      return undefined;
    }
    if (!run) throw new StoreError('usage', store.path, `no interrupted audit${o.catalog ? ` of ${redactUrl(o.catalog)}` : ''} to resume in ${store.path}${o.catalog ? '; give --out as well to start one' : ''} (see odbadge history)`);
  }
  const ro = run.options as { catalog?: string; out?: string; agency?: string; enrichApiBase?: string; fetch?: Record<string, unknown>; redacted?: string[] };
  const out = o.out ?? ro.out;
  if (!ro.catalog) throw new StoreError('usage', store.path, `run ${run.id} did not record its catalogue; it cannot be resumed`);
  if (!out) throw new StoreError('usage', store.path, `run ${run.id} did not record an output directory; give --out`);
  // Secrets in the catalogue (or API) URL were never stored: the resume needs the real URL again.
  if (ro.redacted?.includes('catalog') && !o.catalog) throw new StoreError('usage', store.path, `run ${run.id}'s catalogue URL held credentials, which are not stored; give it again: odbadge audit --resume ${run.id} --catalog <url>`);
  if (ro.redacted?.includes('enrichApiBase') && typeof o.enrich !== 'string') throw new StoreError('usage', store.path, `run ${run.id}'s --enrich URL held credentials, which are not stored; give it again: odbadge audit --resume ${run.id} --enrich <url>`);
  const enrich = ro.redacted?.includes('enrichApiBase') ? enrichBase(o.enrich, o.catalog ?? ro.catalog) : ro.enrichApiBase;
  return { run, catalog: ro.redacted?.includes('catalog') ? o.catalog! : ro.catalog, out, agency: ro.agency, enrich, fetch: ro.fetch ?? {} };
}

/** The API v2 base for enrichment: given explicitly, or the origin of a data.gov.tw-style export URL. */
export function enrichBase(opt: string | boolean | undefined, catalog: string): string | undefined {
  if (typeof opt === 'string') return opt.replace(/\/+$/, '');
  if (opt !== true) return undefined;
  try {
    return new URL(catalog).origin;
  } catch {
    throw new Error('--enrich without a URL needs the catalogue to be a URL; give the API base: --enrich https://data.gov.tw');
  }
}

/** results.json, summary.csv and summary.md of results held in memory; returns summary.md's text. */
export async function writeOutputs(results: AuditResult, rs: Ruleset, out: string): Promise<string> {
  return (await writeAuditOutputs(resultsOf(results), { ruleset: rs, out, results: true })).summaryMd!;
}

export async function auditCommand(o: AuditCommandOptions, auditOverrides: Partial<AuditOptions> = {}): Promise<number> {
  if (o.resume && o.store === false) {
    warn('odbadge: --resume needs the history store; drop --no-store\n');
    return EXIT.usage;
  }
  if (!o.resume && (!o.catalog || !o.out)) {
    warn(`odbadge: audit needs ${!o.catalog ? '--catalog <url|file>' : '--out <dir>'} (or --resume to continue an interrupted audit)\n`);
    return EXIT.usage;
  }
  const opened = openStoreForCli(o.db, o.store !== false);
  if ('code' in opened) return opened.code;
  const store = opened.store;
  try {
    let plan: ResumePlan | undefined;
    try {
      plan = store && o.resume ? planResume(store, o) : undefined;
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      warn(`odbadge: ${e.message}\n`);
      return e.kind === 'usage' ? EXIT.usage : EXIT.input;
    }
    return await auditWith(o, store, plan, auditOverrides);
  } finally {
    store?.close();
  }
}

async function auditWith(o: AuditCommandOptions, store: Store | undefined, plan: ResumePlan | undefined, auditOverrides: Partial<AuditOptions>): Promise<number> {
  const rs = plan ? parseRuleset(plan.run.ruleset, `ruleset stored with run ${plan.run.id}`) : loadRuleset(o.ruleset);
  const catalog = plan?.catalog ?? o.catalog!;
  const out = plan?.out ?? o.out!;
  const bad = await checkOutputs([['--out', out]]);
  if (bad) {
    warn(`odbadge: ${bad.message}\n`);
    return bad.code;
  }
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    warn('\nStopping: finishing the datasets in flight and writing what was audited (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = startProgress({ quiet: !!o.quiet, rss: () => process.memoryUsage.rss() });
  leanHeap();
  let run: Awaited<ReturnType<typeof startAudit>> | undefined;
  try {
    run = await startAudit({
      catalog,
      ruleset: rs,
      agency: plan ? plan.agency : o.agency,
      enrichApiBase: plan ? plan.enrich : enrichBase(o.enrich, catalog),
      signal: controller.signal,
      onProgress: progress.update,
      ...(store ? { store, runOptions: { out }, incremental: o.incremental !== false } : {}),
      ...(plan ? { resumeRunId: plan.run.id } : {}),
      fetch: { ...plan?.fetch, ...fetchOptionsFrom(o) },
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
      ...auditOverrides,
    });
    progress.done();
    const results = run.results;
    const header = results.header;
    const hint = header.run && header.run.status !== 'complete' ? resumeHint(header.run.id, store!.path, o.db, hasSecrets(catalog)) : '';
    if (results.count === 0 && header.catalog.error) {
      warn(`odbadge: cannot read the catalogue ${header.catalog.source}: ${header.catalog.error}\n${hint}`);
      return EXIT.input;
    }
    // Every output from the results as they stream out of the store (or the spill file): one pass, bounded memory.
    // The dashboard's trend reads the earlier runs this one is comparable with (complete, same catalogue and
    // ruleset: store/comparable.ts) from the history store.
    const history = store && header.run ? storeHistory(store, { comparableTo: header.run.id }) : emptyHistory;
    let written;
    try {
      written = await writeAuditOutputs(results, { ruleset: run.ruleset, out, results: true, jsonl: !!o.jsonl, reports: true, history, usage: loadUsage(o.usage) });
    } catch (e) {
      if (e instanceof OutputError && store && header.run) throw new OutputError(e.path, e.cause, regenerateHint(header.run.id, store.path, out));
      throw e;
    }
    if (!o.quiet) {
      print(written.summaryMd!);
      warn(`Wrote ${join(out, 'results.json')}, summary.csv, summary.md, index.html and the reports (${results.count} datasets).\n`);
    }
    const refused = run.privateRefused;
    if (refused > 0 && 2 * refused > header.stats.resources) {
      // Same rule as store/comparable.ts: such a run is kept out of trends, 品質進步獎 baselines and diff.
      warn(`odbadge: warning: ${refused} of ${header.stats.resources} resources were refused as private, loopback or link-local addresses; if this portal is on your own network, audit it with --allow-private-network. This run is not used as a baseline for trends, 品質進步獎 or diff.\n`);
    }
    if (header.run && !o.quiet) {
      const s = header.stats;
      warn(`Recorded as run ${header.run.id}${header.run.resumed ? ' (resumed)' : ''} in ${store!.path}: ${s.reusedResources ?? 0} of ${s.distinctUrls} resources unchanged since the last audit, ${s.bytes} bytes downloaded.\n`);
    }
    if (interrupted) {
      warn(hint);
      return EXIT.interrupted;
    }
    if (!header.catalog.complete) {
      warn(`odbadge: the catalogue broke off: ${header.catalog.error}; results cover the datasets read before that.\n${hint}`);
      return EXIT.input;
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof OutputError) {
      // Checked before the audit; still possible (disk full, directory removed meanwhile): one line, not a trace.
      warn(`odbadge: ${e.message}\n`);
      return EXIT.input;
    }
    if (!(e instanceof StoreError)) throw e;
    warn(`odbadge: ${e.message}\n`);
    return e.kind === 'usage' ? EXIT.usage : EXIT.input;
  } finally {
    progress.done();
    await run?.dispose();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The options every auditing command (audit, ci) shares. */
export function addAuditOptions(cmd: Command): Command {
  return cmd
    .option('--ruleset <file>', 'ruleset JSON (default: rules/tw-ndc-2017.json)')
    .option('--agency <name>', 'only this agency (exact name; a trailing * matches by prefix, e.g. "勞動部*")')
    .option('--concurrency <n>', 'downloads in flight at once (default 32)', positiveInt)
    .option('--per-host <n>', 'downloads in flight per host (default 4)', positiveInt)
    .option('--allow-private-network', 'allow resource URLs on private, loopback and link-local addresses (tests, on-premises portals)')
    .option('--enrich [apiBase]', 'read per-resource metadata from the data.gov.tw API v2 (base URL; default: the catalogue URL\'s origin)')
    .option('--timeout <ms>', 'total time allowed per download attempt in ms (default 300000; not retried)', positiveInt)
    .option('--max-bytes <n>', 'bytes read per resource at most (default 50 MiB)', positiveInt)
    .option('--min-speed <bytes/s>', 'cut a download slower than this over 30 s (default 1024; 0 = no minimum)', nonNegativeInt)
    .option('--usage <file>', 'this catalogue\'s views/downloads (JSON) to weight what to fix first')
    .option('--workers <n>', 'inspection threads (default: one per core; 0 = inspect on the main thread)', nonNegativeInt);
}

/** Fetcher options from the shared audit options: only what the user set, so the fetcher's defaults stand. */
export function fetchOptionsFrom(o: Pick<AuditCliOptions, 'concurrency' | 'perHost' | 'allowPrivateNetwork' | 'timeout' | 'maxBytes' | 'minSpeed'>): Partial<FetchOptions> {
  return {
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    ...(o.perHost ? { perHost: o.perHost } : {}),
    ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
    ...(o.timeout ? { totalTimeoutMs: o.timeout } : {}),
    ...(o.maxBytes ? { maxBytes: o.maxBytes } : {}),
    ...(o.minSpeed !== undefined ? { minSpeedBytesPerSec: o.minSpeed } : {}),
  };
}

export const registerAudit: RegisterCommand = (program, setExit) => {
  addAuditOptions(program
    .command('audit')
    .description('audit a data.gov.tw catalogue export: every dataset\'s badge with evidence, every agency\'s score')
    .option('--catalog <url|file>', 'data.gov.tw bulk export (URL or local CSV file); required unless --resume')
    .option('--out <dir>', 'directory for results.json, summary.csv and summary.md; required unless --resume'))
    .option('--quiet', 'no progress and no summary on stdout')
    .option('--db <file>', 'history store (default $ODBADGE_HOME/odbadge.db, else $XDG_DATA_HOME/odbadge/odbadge.db, else ~/.local/share/odbadge/odbadge.db)')
    .option('--no-store', 'record nothing in the history store (and download everything)')
    .option('--resume [runId]', 'continue an interrupted audit (default: the newest one, of --catalog when given)')
    .option('--no-incremental', 'download and inspect every resource again, even when unchanged since the last audit')
    .option('--jsonl', 'also write results.jsonl: one dataset per line')
    .action(async (o) => setExit(await auditCommand(o)));
};
