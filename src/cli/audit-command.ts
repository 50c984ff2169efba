// `odbadge audit`: read a catalogue, fetch and inspect every resource, write results.json, summary.csv and
// summary.md to --out, and print the Markdown summary. `ci` runs the same audit (runCliAudit) and judges it.
import type { FetchOptions } from '../fetch/index.ts';
import { join } from 'node:path';
import { startAudit, type AuditOptions, type AuditRun } from '../audit.ts';
import type { InspectLimits } from '../inspect/limits.ts';
import type { AuditResult, AuditResults } from '../model.ts';
import { writeAuditOutputs, type OutputOptions, type Outputs } from '../report/outputs.ts';
import { resultsOf } from '../report/results-stream.ts';
import type { BadgeCounts } from '../report/summary-md.ts';
import { loadRuleset, parseRuleset, type Ruleset } from '../score/ruleset.ts';
import { catalogKeyOf } from '../store/audit-history.ts';
import { hasSecrets, redactUrl } from '../util/redact.ts';
import { StoreError } from '../store/errors.ts';
import type { HistoryStore, RunInfo } from '../store/history-store.ts';
import { emptyHistory } from '../report/html/history.ts';
import { storeHistory } from '../store/run-history.ts';
import { loadUsage, regenerateHint } from './report-command.ts';
import { openStoreForCli, resumeHint, storeSpec } from './store-cli.ts';
import { DatasetQueue } from '../pipeline/distributed/queue.ts';
import { DistributedWorker } from '../pipeline/distributed/worker.ts';
import type { CommandSpec } from './command.ts';
import { CliContext, errorCodeOf } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { startProgress } from './progress.ts';
import { OutputError } from '../util/atomic-write.ts';
import { leanHeap } from '../util/lean-heap.ts';
import { checkOutputs } from './output-paths.ts';
import { AUDIT_OPTIONS, formatOptions, limitsFrom, type OptionDef } from './options.ts';
import { datasetLines, timingLine } from './verbose.ts';

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
  verbose?: boolean;
  /** Usage counts of this catalogue (JSON), for the reports. */
  usage?: string;
  /** History store file (default: see defaultDbPath). */
  db?: string;
  /** false with --no-store: record nothing, no conditional requests. */
  store?: boolean;
  /** --resume [runId]: true = the newest interrupted run (of --catalog when given). */
  resume?: string | boolean;
  /** false with --no-incremental: download and inspect everything again even when unchanged. */
  incremental?: boolean;
  /** `--limit name=value`, repeatable: inspection limits (over ODBADGE_LIMITS). */
  limit?: string[];
  /** --workers: inspection threads (default one per core; 0 = on the main thread). */
  workers?: number;
  /** --jsonl: also results.jsonl, one dataset per line. */
  jsonl?: boolean;
  /** --distributed: datasets audited by workers through the PostgreSQL queue. */
  distributed?: boolean;
}

/** What `odbadge audit` accepts: --catalog and --out may be left out with --resume (the run recorded them). */
export type AuditCommandOptions = Omit<AuditCliOptions, 'catalog' | 'out'> & { catalog?: string; out?: string };

interface ResumePlan {
  run: RunInfo;
  catalog: string;
  out?: string;
  agency?: string;
  enrich?: string;
  fetch: Record<string, unknown>;
  /** The run was started with --distributed: its resume is too. */
  distributed: boolean;
}

/**
 * Works out which run --resume means and the options it was started with. Throws StoreError (usage) when none,
 * except with --catalog and --out: nothing of that catalogue to resume (killed before anything was recorded, or
 * never started) means start it, so a scheduled `audit --resume --catalog X --out D` always makes progress.
 * `needOut`: the command writes to --out (audit); `ci` writes there only when given one.
 */
async function planResume(store: HistoryStore, o: AuditCommandOptions, ctx: CliContext, needOut: boolean): Promise<ResumePlan | undefined> {
  let run: RunInfo | undefined;
  if (typeof o.resume === 'string') {
    const id = Number(o.resume);
    if (!Number.isInteger(id) || id < 1) throw new StoreError('usage', store.path, `--resume expects a run id (see odbadge history), got "${o.resume}"`);
    run = await store.getRun(id);
    if (!run) throw new StoreError('usage', store.path, `no run ${id} in ${store.path} (see odbadge history)`);
  } else {
    const key = o.catalog ? catalogKeyOf(redactUrl(o.catalog), o.agency, undefined) : undefined;
    run = await store.resumable(key);
    if (!run) {
      const live = (await store.listRuns()).reverse().find((r) => r.status === 'running' && (key === undefined || r.catalogKey === key));
      if (live) throw new StoreError('usage', store.path, `run ${live.id} of ${live.catalog} is still running in another process; wait for it, or stop it (Ctrl-C) and resume then`);
    }
    if (!run && o.catalog && (o.out || !needOut)) {
      ctx.notice(`odbadge: no interrupted audit of ${redactUrl(o.catalog)} to resume in ${store.path}; starting a new audit\n`);
      return undefined;
    }
    if (!run) throw new StoreError('usage', store.path, `no interrupted audit${o.catalog ? ` of ${redactUrl(o.catalog)}` : ''} to resume in ${store.path}${o.catalog ? '; give --out as well to start one' : ''} (see odbadge history)`);
  }
  const ro = run.options as { catalog?: string; out?: string; agency?: string; enrichApiBase?: string; fetch?: Record<string, unknown>; redacted?: string[]; distributed?: boolean };
  const out = o.out ?? ro.out;
  if (!ro.catalog) throw new StoreError('usage', store.path, `run ${run.id} did not record its catalogue; it cannot be resumed`);
  if (!out && needOut) throw new StoreError('usage', store.path, `run ${run.id} did not record an output directory; give --out`);
  // Secrets in the catalogue (or API) URL were never stored: the resume needs the real URL again.
  if (ro.redacted?.includes('catalog') && !o.catalog) throw new StoreError('usage', store.path, `run ${run.id}'s catalogue URL held credentials, which are not stored; give it again: odbadge audit --resume ${run.id} --catalog <url>`);
  if (ro.redacted?.includes('enrichApiBase') && typeof o.enrich !== 'string') throw new StoreError('usage', store.path, `run ${run.id}'s --enrich URL held credentials, which are not stored; give it again: odbadge audit --resume ${run.id} --enrich <url>`);
  const enrich = ro.redacted?.includes('enrichApiBase') ? enrichBase(o.enrich, o.catalog ?? ro.catalog) : ro.enrichApiBase;
  return { run, catalog: ro.redacted?.includes('catalog') ? o.catalog! : ro.catalog, out, agency: ro.agency, enrich, fetch: ro.fetch ?? {}, distributed: !!ro.distributed };
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

/** An audit as the CLI runs it, handed to the command that asked for it (audit, ci) once it is done. */
export interface CliAudit {
  /** The results as a stream: read back from the store (or a spill file) while the outputs are written. */
  results: AuditResults;
  ruleset: Ruleset;
  store?: HistoryStore;
  /** The output directory: --out, or the one the resumed run recorded. */
  out?: string;
  /** Stopped by Ctrl-C / SIGTERM: partial results. */
  interrupted: boolean;
  /** How to continue the run ('' when it finished). */
  hint: string;
  /** ms spent in the audit (catalogue, downloads, inspection, scoring). */
  auditMs: number;
}

/**
 * Every output of a CLI audit in one pass over its results (outputs.ts). When writing fails after the run was
 * recorded, the error says how to write them again from the store (`odbadge report --run`).
 */
export async function writeCliOutputs(a: CliAudit, o: Omit<OutputOptions, 'ruleset' | 'history'>): Promise<Outputs> {
  const run = a.results.header.run;
  // The dashboard's trend reads the earlier runs this one is comparable with (complete, same catalogue and
  // ruleset: store/comparable.ts) from the history store.
  const history = a.store && run ? await storeHistory(a.store, { comparableTo: run.id }) : emptyHistory;
  try {
    return await writeAuditOutputs(a.results, { ruleset: a.ruleset, history, ...o });
  } catch (e) {
    if (e instanceof OutputError && a.store && run && o.out) throw new OutputError(e.path, e.cause, regenerateHint(run.id, a.store.path, o.out));
    throw e;
  }
}

export interface CliAuditSetup {
  /** audit writes to --out (so a resume needs one); ci only when given. */
  needOut: boolean;
  /** Output files checked with --out before anything is downloaded (ci: --junit, --markdown). */
  files?: [string, string | undefined][];
  overrides?: Partial<AuditOptions>;
  /** Draw the progress bar / lines (audit); ci prints only its verdict unless --verbose. */
  progress: boolean;
}

/**
 * Everything audit and ci share: usage checks, the history store and --resume, the ruleset, output paths checked
 * before any download, Ctrl-C, progress (or --verbose lines), the audit itself, and the catalogue that could not be
 * read at all. `then` writes and prints what the command produces; its exit code is the command's.
 */
export async function runCliAudit(o: AuditCommandOptions, ctx: CliContext, setup: CliAuditSetup, then: (a: CliAudit) => Promise<number>): Promise<number> {
  if (o.resume && o.store === false) return ctx.usage('--resume needs the history store; drop --no-store');
  if (!o.resume && !o.catalog) return ctx.usage(`${ctx.command.replace(/^odbadge /, '')} needs --catalog <source> (or --resume to continue an interrupted audit)`);
  if (!o.resume && setup.needOut && !o.out) return ctx.usage(`${ctx.command.replace(/^odbadge /, '')} needs --out <dir> (or --resume to continue an interrupted audit)`);
  let limits: Partial<InspectLimits>;
  try {
    limits = limitsFrom(o.limit);
  } catch (e) {
    return ctx.usage((e as Error).message);
  }
  const opened = await openStoreForCli(ctx, o.db, o.store !== false);
  if ('code' in opened) return opened.code;
  const store = opened.store;
  try {
    let plan: ResumePlan | undefined;
    try {
      plan = store && o.resume ? await planResume(store, o, ctx, setup.needOut) : undefined;
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      return ctx.fail(e.kind === 'usage' ? EXIT.usage : EXIT.input, e.message);
    }
    return await auditWith(o, ctx, setup, store, plan, limits, then);
  } finally {
    await store?.close();
  }
}

async function auditWith(
  o: AuditCommandOptions, ctx: CliContext, setup: CliAuditSetup, store: HistoryStore | undefined, plan: ResumePlan | undefined,
  limits: Partial<InspectLimits>, then: (a: CliAudit) => Promise<number>,
): Promise<number> {
  const rs = plan ? parseRuleset(plan.run.ruleset, `ruleset stored with run ${plan.run.id}`) : loadRuleset(o.ruleset);
  const catalog = plan?.catalog ?? o.catalog!;
  const out = plan?.out ?? o.out;
  const bad = await checkOutputs([['--out', out]], setup.files ?? []);
  if (bad) return ctx.fail(bad.code, bad.message);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    ctx.notice('\nStopping: finishing the datasets in flight and writing what was audited (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // With --verbose the per-dataset lines are the progress trail; a bar redrawn between them would garble both.
  const progress = startProgress({ quiet: !setup.progress || ctx.quiet || ctx.verbose, rss: () => process.memoryUsage.rss() });
  leanHeap();
  let run: AuditRun | undefined;
  const distributed = !!(o.distributed || plan?.distributed);
  let dist: { queue: DatasetQueue; worker?: DistributedWorker } | undefined;
  try {
    if (distributed) {
      if (store?.kind !== 'postgres') return ctx.usage('--distributed needs a PostgreSQL history store: --db postgres://… (or ODBADGE_DB)');
      dist = await startDistributed(ctx, storeSpec(o.db), store, o.workers);
    }
    const started = performance.now();
    run = await startAudit({
      catalog,
      ruleset: rs,
      agency: plan ? plan.agency : o.agency,
      enrichApiBase: plan ? plan.enrich : enrichBase(o.enrich, catalog),
      signal: controller.signal,
      onProgress: progress.update,
      ...(ctx.verbose ? { onDataset: (r, p) => ctx.detail(datasetLines(r, p)) } : {}),
      ...(store ? { store, runOptions: { ...(out ? { out } : {}), ...(distributed ? { distributed: true } : {}) }, incremental: o.incremental !== false } : {}),
      ...(plan ? { resumeRunId: plan.run.id } : {}),
      fetch: { ...plan?.fetch, ...fetchOptionsFrom(o) },
      ...(Object.keys(limits).length ? { limits } : {}),
      ...(o.workers !== undefined ? { workers: o.workers } : {}),
      ...(dist ? { distributed: { queue: dist.queue } } : {}),
      ...setup.overrides,
    });
    const auditMs = performance.now() - started;
    progress.done();
    const results = run.results;
    const header = results.header;
    const hint = header.run && header.run.status !== 'complete' ? resumeHint(header.run.id, store!.path, o.db, hasSecrets(catalog)) : '';
    if (results.count === 0 && header.catalog.error) {
      const code = ctx.fail(EXIT.input, `cannot read the catalogue ${header.catalog.source}: ${header.catalog.error}`);
      if (hint) ctx.notice(hint);
      return code;
    }
    for (const w of header.warnings ?? []) ctx.warning(w.message);
    return await then({ results, ruleset: run.ruleset, store, out, interrupted, hint, auditMs });
  } catch (e) {
    if (e instanceof OutputError) {
      // Checked before the audit; still possible (disk full, directory removed meanwhile): one line, not a trace.
      return ctx.fail(EXIT.input, e.message);
    }
    if (!(e instanceof StoreError)) throw e;
    return ctx.fail(e.kind === 'usage' ? EXIT.usage : EXIT.input, e.message);
  } finally {
    progress.done();
    await run?.dispose();
    if (dist) {
      await dist.worker?.stop();
      await dist.queue.close({ graceful: true });
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * A distributed audit's queue, and unless `--workers 0` a worker in this process (8 datasets at once, `--workers`
 * inspection threads) so a coordinator alone still audits.
 */
async function startDistributed(ctx: CliContext, db: string, store: HistoryStore, workers: number | undefined): Promise<{ queue: DatasetQueue; worker?: DistributedWorker }> {
  const queue = await DatasetQueue.open(db, { onError: (e) => ctx.detail(`queue: ${e.message}\n`) });
  if (workers === 0) return { queue };
  try {
    const worker = await DistributedWorker.start({ store, queue, db, concurrency: 8, ...(workers !== undefined ? { inspectThreads: workers } : {}), onError: (e) => ctx.detail(`database: ${(e as Error).message}\n`) });
    return { queue, worker };
  } catch (e) {
    await queue.close({ graceful: false });
    throw e;
  }
}

/** The files an audit wrote, for the JSON summary. */
export interface WrittenPaths {
  results?: string;
  resultsJsonl?: string;
  summaryCsv?: string;
  summaryMd?: string;
  reports?: string[];
  junit?: string;
  markdown?: string;
}

/** The exit code of an audit that produced results: interrupted, catalogue broken off, or the command's own verdict. */
export function auditExit(a: CliAudit, ok: { code: number; reason: string }): { code: number; reason: string; message?: string } {
  if (a.interrupted) return { code: EXIT.interrupted, reason: 'interrupted', message: `stopped before the end; ${a.hint.trim()}` };
  const catalog = a.results.header.catalog;
  if (!catalog.complete) return { code: EXIT.input, reason: 'catalog-incomplete', message: `the catalogue broke off: ${catalog.error}; results cover the datasets read before that` };
  return ok;
}

/**
 * The JSON `audit --format json` and `ci --format json` print: the run, the files written, per-agency scores,
 * counts and why the command exits as it does (and `error`, as every JSON error has, when that is a failure).
 */
export function auditSummary(command: string, a: CliAudit, counted: BadgeCounts, paths: WrittenPaths, exit: { code: number; reason: string; message?: string }, extra: Record<string, unknown> = {}) {
  const r = a.results.header;
  const badges: Record<string, number> = {};
  for (const t of [...a.ruleset.tiers.map((x) => x.id), 'none']) badges[t] = 0;
  for (const [b, n] of counted.badges) badges[b] = n;
  return {
    command,
    odbadge: r.odbadge,
    ruleset: r.ruleset.id,
    catalog: r.catalog,
    run: r.run && a.store ? { ...r.run, store: a.store.path } : null,
    paths,
    counts: {
      datasets: counted.total,
      resources: r.stats.resources,
      distinctUrls: r.stats.distinctUrls,
      badges,
      resourcesNotOk: counted.resourcesNotOk,
      bytes: r.stats.bytes,
      reusedResources: r.stats.reusedResources ?? null,
    },
    agencies: r.agencies.map((x) => ({ agency: x.agency, datasets: x.datasets, score: x.score, badges: x.badges })),
    warnings: (r.warnings ?? []).map((w) => ({ code: w.code, message: w.message })),
    ...extra,
    exit,
    ...(exit.code !== EXIT.ok && exit.code !== EXIT.checksFailed ? { error: { code: errorCodeOf(exit.code), message: exit.message ?? exit.reason } } : {}),
  };
}

/** The message of an exit auditExit chose (the JSON error, when asked for, is in the summary already). */
export function reportExit(ctx: CliContext, a: CliAudit, exit: { code: number; reason: string; message?: string }): void {
  if (exit.reason === 'interrupted') ctx.notice(a.hint);
  else if (exit.reason === 'catalog-incomplete') {
    new CliContext(ctx.command).fail(exit.code, `${exit.message}.`);
    if (a.hint) ctx.notice(a.hint);
  }
}

/** The reports among the files written (index.html, the CSV tables, report.md), without results and summaries. */
export function reportFiles(files: string[]): string[] {
  return files.filter((f) => !/(^|[\\/])(results\.jsonl?|summary\.(csv|md))$/.test(f));
}

/** audit's own outputs and messages, once the audit is done. */
async function finishAudit(a: CliAudit, o: AuditCommandOptions, ctx: CliContext): Promise<number> {
  const { store } = a;
  const header = a.results.header;
  const out = a.out!;
  const started = performance.now();
  // Every output — results.json, the summaries, the dashboard, the spreadsheet and mail reports — in one pass over
  // the results as they stream out of the store (or the spill file): bounded memory for a whole portal.
  const written = await writeCliOutputs(a, { out, results: true, jsonl: !!o.jsonl, reports: true, usage: loadUsage(o.usage) });
  ctx.text(written.summaryMd!);
  ctx.info(`Wrote ${join(out, 'results.json')}, summary.csv, summary.md, index.html and the reports (${a.results.count} datasets).\n`);
  if (header.run) {
    const s = header.stats;
    ctx.info(`Recorded as run ${header.run.id}${header.run.resumed ? ' (resumed)' : ''} in ${store!.path}: ${s.reusedResources ?? 0} of ${s.distinctUrls} resources unchanged since the last audit, ${s.bytes} bytes downloaded.\n`);
  }
  ctx.detail(timingLine([['audit', a.auditMs], ['outputs', performance.now() - started]]));
  const exit = auditExit(a, { code: EXIT.ok, reason: 'done' });
  if (ctx.json) {
    const paths = { results: join(out, 'results.json'), ...(o.jsonl ? { resultsJsonl: join(out, 'results.jsonl') } : {}), summaryCsv: join(out, 'summary.csv'), summaryMd: join(out, 'summary.md'), reports: reportFiles(written.files) };
    ctx.result(auditSummary('audit', a, written.counts, paths, exit));
  }
  reportExit(ctx, a, exit);
  return exit.code;
}

export async function auditCommand(o: AuditCommandOptions, auditOverrides: Partial<AuditOptions> = {}, ctx = new CliContext('odbadge audit', { quiet: o.quiet, verbose: o.verbose })): Promise<number> {
  return runCliAudit(o, ctx, { needOut: true, progress: true, overrides: auditOverrides }, (a) => finishAudit(a, o, ctx));
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

export const AUDIT_OUT_OPTION: OptionDef = {
  flags: '--out <dir>', kind: 'value', required: 'resume',
  description: 'where results.json, summary.csv, summary.md, index.html, agencies.csv, datasets.csv, fix-first.csv and report.md go — required unless --resume; checked (created, and written to) before anything is downloaded',
};

export const auditSpec: CommandSpec = {
  name: 'audit',
  description: 'audit a catalogue (data.gov.tw export, ckan:<base>, or local:<file>): every dataset\'s badge with evidence, every agency\'s score, the reports, and the run recorded in history',
  options: [AUDIT_OPTIONS[0], AUDIT_OUT_OPTION, ...AUDIT_OPTIONS.slice(1), ...formatOptions('the score table; "Wrote …" on stderr')],
  timesItself: true,
  run: (_args, o, ctx) => auditCommand(o as AuditCommandOptions, {}, ctx),
};
