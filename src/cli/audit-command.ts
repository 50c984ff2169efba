// `odbadge audit`: read a catalogue, fetch and inspect every resource, write results.json, summary.csv and
// summary.md to --out, and print the Markdown summary. `ci` runs the same audit (runCliAudit) and judges it.
import type { FetchOptions } from '../fetch/index.ts';
import { join } from 'node:path';
import { runAudit, type AuditOptions } from '../audit.ts';
import type { InspectLimits } from '../inspect/limits.ts';
import type { AuditResult } from '../model.ts';
import { resultsJson, validateResults } from '../report/results-json.ts';
import { summaryCsv } from '../report/summary-csv.ts';
import { summaryMarkdown } from '../report/summary-md.ts';
import { indicatorIds, loadRuleset, parseRuleset, type Ruleset } from '../score/ruleset.ts';
import { catalogKeyOf } from '../store/audit-history.ts';
import { hasSecrets, redactUrl } from '../util/redact.ts';
import { StoreError } from '../store/errors.ts';
import type { RunInfo, Store } from '../store/store.ts';
import { emptyHistory } from '../report/html/history.ts';
import { storeHistory } from '../store/run-history.ts';
import { loadUsage, writeReports } from './report-command.ts';
import { openStoreForCli, resumeHint } from './store-cli.ts';
import type { CommandSpec } from './command.ts';
import { CliContext, errorCodeOf } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { startProgress } from './progress.ts';
import { OutputError, writeFileAtomic } from '../util/atomic-write.ts';
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
}

/**
 * Works out which run --resume means and the options it was started with. Throws StoreError (usage) when none,
 * except with --catalog and --out: nothing of that catalogue to resume (killed before anything was recorded, or
 * never started) means start it, so a scheduled `audit --resume --catalog X --out D` always makes progress.
 * `needOut`: the command writes to --out (audit); `ci` writes there only when given one.
 */
function planResume(store: Store, o: AuditCommandOptions, ctx: CliContext, needOut: boolean): ResumePlan | undefined {
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
    if (!run && o.catalog && (o.out || !needOut)) {
      ctx.notice(`odbadge: no interrupted audit of ${redactUrl(o.catalog)} to resume in ${store.path}; starting a new audit\n`);
      return undefined;
    }
    if (!run) throw new StoreError('usage', store.path, `no interrupted audit${o.catalog ? ` of ${redactUrl(o.catalog)}` : ''} to resume in ${store.path}${o.catalog ? '; give --out as well to start one' : ''} (see odbadge history)`);
  }
  const ro = run.options as { catalog?: string; out?: string; agency?: string; enrichApiBase?: string; fetch?: Record<string, unknown>; redacted?: string[] };
  const out = o.out ?? ro.out;
  if (!ro.catalog) throw new StoreError('usage', store.path, `run ${run.id} did not record its catalogue; it cannot be resumed`);
  if (!out && needOut) throw new StoreError('usage', store.path, `run ${run.id} did not record an output directory; give --out`);
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

export async function writeOutputs(results: AuditResult, rs: Ruleset, out: string): Promise<string> {
  const problems = validateResults(results);
  if (problems.length) throw new Error(`results do not match schemas/results.schema.json (a bug): ${problems.join('; ')}`);
  const md = summaryMarkdown(results, rs);
  await writeFileAtomic(join(out, 'results.json'), resultsJson(results));
  await writeFileAtomic(join(out, 'summary.csv'), summaryCsv(results, indicatorIds(rs)));
  await writeFileAtomic(join(out, 'summary.md'), md);
  return md;
}

/** An audit as the CLI runs it, handed to the command that asked for it (audit, ci) once it is done. */
export interface CliAudit {
  results: AuditResult;
  ruleset: Ruleset;
  store?: Store;
  /** The output directory: --out, or the one the resumed run recorded. */
  out?: string;
  /** Stopped by Ctrl-C / SIGTERM: partial results. */
  interrupted: boolean;
  /** How to continue the run ('' when it finished). */
  hint: string;
  /** ms spent in runAudit (catalogue, downloads, inspection, scoring). */
  auditMs: number;
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
  const opened = openStoreForCli(ctx, o.db, o.store !== false);
  if ('code' in opened) return opened.code;
  const store = opened.store;
  try {
    let plan: ResumePlan | undefined;
    try {
      plan = store && o.resume ? planResume(store, o, ctx, setup.needOut) : undefined;
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      return ctx.fail(e.kind === 'usage' ? EXIT.usage : EXIT.input, e.message);
    }
    return await auditWith(o, ctx, setup, store, plan, limits, then);
  } finally {
    store?.close();
  }
}

async function auditWith(
  o: AuditCommandOptions, ctx: CliContext, setup: CliAuditSetup, store: Store | undefined, plan: ResumePlan | undefined,
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
  const progress = startProgress({ quiet: !setup.progress || ctx.quiet || ctx.verbose });
  try {
    const started = performance.now();
    const results = await runAudit({
      catalog,
      ruleset: rs,
      agency: plan ? plan.agency : o.agency,
      enrichApiBase: plan ? plan.enrich : enrichBase(o.enrich, catalog),
      signal: controller.signal,
      onProgress: progress.update,
      ...(ctx.verbose ? { onDataset: (r, p) => ctx.detail(datasetLines(r, p)) } : {}),
      ...(store ? { store, runOptions: { ...(out ? { out } : {}) }, incremental: o.incremental !== false } : {}),
      ...(plan ? { resumeRunId: plan.run.id } : {}),
      fetch: { ...plan?.fetch, ...fetchOptionsFrom(o) },
      ...(Object.keys(limits).length ? { limits } : {}),
      ...setup.overrides,
    });
    const auditMs = performance.now() - started;
    progress.done();
    const hint = results.run && results.run.status !== 'complete' ? resumeHint(results.run.id, store!.path, o.db, hasSecrets(catalog)) : '';
    if (results.datasets.length === 0 && results.catalog.error) {
      const code = ctx.fail(EXIT.input, `cannot read the catalogue ${results.catalog.source}: ${results.catalog.error}`);
      if (hint) ctx.notice(hint);
      return code;
    }
    for (const w of results.warnings ?? []) ctx.warning(w.message);
    return await then({ results, ruleset: rs, store, out, interrupted, hint, auditMs });
  } catch (e) {
    if (e instanceof OutputError) {
      // Checked before the audit; still possible (disk full, directory removed meanwhile): one line, not a trace.
      return ctx.fail(EXIT.input, `${e.message}${store ? `; the results are recorded in ${store.path} (odbadge history)` : ''}`);
    }
    if (!(e instanceof StoreError)) throw e;
    return ctx.fail(e.kind === 'usage' ? EXIT.usage : EXIT.input, e.message);
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The files an audit wrote, for the JSON summary. */
export interface WrittenPaths {
  results?: string;
  summaryCsv?: string;
  summaryMd?: string;
  reports?: string[];
  junit?: string;
  markdown?: string;
}

/** The exit code of an audit that produced results: interrupted, catalogue broken off, or the command's own verdict. */
export function auditExit(a: CliAudit, ok: { code: number; reason: string }): { code: number; reason: string; message?: string } {
  if (a.interrupted) return { code: EXIT.interrupted, reason: 'interrupted', message: `stopped before the end; ${a.hint.trim()}` };
  if (!a.results.catalog.complete) return { code: EXIT.input, reason: 'catalog-incomplete', message: `the catalogue broke off: ${a.results.catalog.error}; results cover the datasets read before that` };
  return ok;
}

/**
 * The JSON `audit --format json` and `ci --format json` print: the run, the files written, per-agency scores,
 * counts and why the command exits as it does (and `error`, as every JSON error has, when that is a failure).
 */
export function auditSummary(command: string, a: CliAudit, paths: WrittenPaths, exit: { code: number; reason: string; message?: string }, extra: Record<string, unknown> = {}) {
  const r = a.results;
  const badges: Record<string, number> = {};
  for (const t of [...a.ruleset.tiers.map((x) => x.id), 'none']) badges[t] = 0;
  for (const d of r.datasets) badges[d.badge] = (badges[d.badge] ?? 0) + 1;
  const resources = r.datasets.flatMap((d) => d.resources);
  return {
    command,
    odbadge: r.odbadge,
    ruleset: r.ruleset.id,
    catalog: r.catalog,
    run: r.run && a.store ? { ...r.run, store: a.store.path } : null,
    paths,
    counts: {
      datasets: r.datasets.length,
      resources: r.stats.resources,
      distinctUrls: r.stats.distinctUrls,
      badges,
      resourcesNotOk: resources.filter((x) => x.fetch.kind !== 'ok').length,
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

/** audit's own outputs and messages, once the audit is done. */
async function finishAudit(a: CliAudit, o: AuditCommandOptions, ctx: CliContext): Promise<number> {
  const { results, store } = a;
  const out = a.out!;
  const started = performance.now();
  const md = await writeOutputs(results, a.ruleset, out);
  // The dashboard and the spreadsheet/mail reports come with every audit; the trend reads the earlier runs this
  // one is comparable with (complete, same catalogue and ruleset: store/comparable.ts) from the history store.
  const history = store && results.run ? storeHistory(store, { comparableTo: results.run.id }) : emptyHistory;
  const { files } = await writeReports(results, out, { ruleset: a.ruleset, history, usage: loadUsage(o.usage) });
  ctx.text(md);
  ctx.info(`Wrote ${join(out, 'results.json')}, summary.csv, summary.md, index.html and the reports (${results.datasets.length} datasets).\n`);
  if (results.run) {
    const s = results.stats;
    ctx.info(`Recorded as run ${results.run.id}${results.run.resumed ? ' (resumed)' : ''} in ${store!.path}: ${s.reusedResources ?? 0} of ${s.distinctUrls} resources unchanged since the last audit, ${s.bytes} bytes downloaded.\n`);
  }
  ctx.detail(timingLine([['audit', a.auditMs], ['outputs', performance.now() - started]]));
  const exit = auditExit(a, { code: EXIT.ok, reason: 'done' });
  if (ctx.json) {
    const paths = { results: join(out, 'results.json'), summaryCsv: join(out, 'summary.csv'), summaryMd: join(out, 'summary.md'), reports: files };
    ctx.result(auditSummary('audit', a, paths, exit));
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
