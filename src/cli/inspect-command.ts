// `odbadge inspect`: one resource, all facts and verdicts — for an agency checking a file before it publishes.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Fetcher } from '../fetch/index.ts';
import { formatMismatchOf } from '../inspect/format-names.ts';
import { inspectResource } from '../inspect/index.ts';
import { STREAM_FILE_BYTES, inspectFile } from '../inspect/stream.ts';
import { validateOpenApi } from '../inspect/openapi/index.ts';
import type { InspectLimits } from '../inspect/limits.ts';
import { msg } from '../messages/index.ts';
import type { Dataset, FetchOutcome, IndicatorResult } from '../model.ts';
import { evaluateDataset } from '../score/evaluate.ts';
import { loadRuleset, type Ruleset } from '../score/ruleset.ts';
import { notEvaluated, toIndicatorResult } from '../rules/rule.ts';
import type { CommandSpec } from './command.ts';
import { CliContext, errorCodeOf } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { ALLOW_PRIVATE_OPTION, FAIL_ON_OPTION, formatOptions, LIMIT_OPTION, limitsFrom, RULESET_OPTION } from './options.ts';
import { redactDeep, scrubText, urlSecrets } from '../util/redact.ts';
import { byteSize } from './verbose.ts';

export interface InspectCliOptions {
  declaredFormat?: string;
  encoding?: string;
  fields?: string;
  openapi?: boolean;
  json?: boolean;
  ruleset?: string;
  allowPrivateNetwork?: boolean;
  /** Local files at least this large are streamed (default STREAM_FILE_BYTES; tests lower it). */
  streamAbove?: number;
  /** `--limit name=value`, repeatable: inspection limits to raise or lower (src/inspect/limits.ts). */
  limit?: string[];
  /** 'unsure': an undecided verdict exits 1 too. */
  failOn?: 'fail' | 'unsure';
}

/** The inspection limits given with --limit (over ODBADGE_LIMITS and the defaults); throws RangeError on a bad one. */
export function limitsOf(o: InspectCliOptions): Partial<InspectLimits> {
  return limitsFrom(o.limit);
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * A local file read as if it had been downloaded: the same FetchOutcome shape, so the same rules apply. Files of
 * STREAM_FILE_BYTES or more are not read here: `inspectOne` streams them (the body stays empty).
 */
async function readLocal(path: string, streamAbove = STREAM_FILE_BYTES, shownAs = path): Promise<FetchOutcome> {
  const started = Date.now();
  const st = await stat(path);
  const size = st.size;
  if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
  const body = size >= streamAbove ? undefined : new Uint8Array(await readFile(path));
  return { url: shownAs, finalUrl: shownAs, kind: 'ok', transient: false, status: 200, redirects: [], headers: {}, ...(body ? { body } : {}), truncated: false, bytes: size, attempts: 1, elapsedMs: Date.now() - started };
}

async function load(input: string, o: InspectCliOptions, shownAs = input): Promise<FetchOutcome> {
  if (!isUrl(input)) return readLocal(input, o.streamAbove, shownAs);
  // One resource, inspected after the fetcher is closed: keep its body in memory (up to maxBytes), never spilled.
  const fetcher = new Fetcher({ ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}), spillAboveBytes: Infinity, memoryBudgetBytes: Infinity });
  try {
    return await fetcher.fetch(input);
  } finally {
    await fetcher.close();
  }
}

/**
 * Resource verdicts only: timeliness and the OpenAPI bonus need catalogue metadata a single file lacks. `shownAs` is
 * the name reported for `input` (`-` for standard input copied to a file).
 */
export async function inspectOne(path: string, o: InspectCliOptions, rs: Ruleset = loadRuleset(o.ruleset), shownAs = path) {
  const input = shownAs;
  const limits = limitsOf(o);
  const fetched = await load(path, o, shownAs);
  const streamed = !isUrl(path) && fetched.kind === 'ok' && !fetched.body && fetched.bytes > 0;
  const facts = streamed
    ? await inspectFile(path, { declaredFormat: o.declaredFormat }, { streamAbove: 0, limits })
    : fetched.kind === 'ok' || fetched.kind === 'too-large'
      ? await inspectResource({ body: fetched.body ?? new Uint8Array(0), contentType: fetched.contentType, url: fetched.finalUrl, declaredFormat: o.declaredFormat, truncated: fetched.truncated, limits })
      : undefined;
  const dataset: Dataset = {
    id: 'inspect', title: input, agency: '', source: 'local', whitelisted: false, findings: [],
    declared: { encoding: o.encoding, fields: o.fields },
    resources: [{ id: 'inspect#0', url: input, declared: { format: o.declaredFormat, encoding: o.encoding, fields: o.fields } }],
  };
  const { body: _b, ...fetch } = fetched;
  const result = evaluateDataset({ dataset, resources: [{ resource: dataset.resources[0], fetch, facts }], oas: [] }, rs, new Date());
  const verdicts: Record<string, IndicatorResult> = {};
  for (const [id, r] of Object.entries(result.resources[0].indicators)) {
    // Without a declaration there is nothing to match: say so rather than fail the file.
    if (id === 'encoding-match' && !o.encoding) verdicts[id] = toIndicatorResult(notEvaluated(msg('encoding-match.not-asked', { ...(facts?.encoding ? { detected: facts.encoding.detected } : {}) })));
    else if (id === 'fields-match' && !o.fields) verdicts[id] = toIndicatorResult(notEvaluated(msg('fields-match.not-asked', { fields: facts?.fields?.length ?? 0 })));
    else verdicts[id] = r;
  }
  return {
    input,
    // `transient`: the failure may pass (time-out, refused or reset connection, 5xx, 429).
    fetch: { ...result.resources[0].fetch, transient: fetched.transient },
    format: facts?.format ?? null,
    formatEvidence: facts?.formatEvidence ?? null,
    declaredFormat: o.declaredFormat ?? null,
    formatMismatch: facts ? (facts.formatMismatch ?? formatMismatchOf(o.declaredFormat, facts.format) ?? null) : null,
    encoding: facts?.encoding ?? null,
    fields: facts?.fields ?? [],
    recordCount: facts?.recordCount ?? null,
    possiblyTruncated: facts?.possiblyTruncated ?? false,
    notData: facts?.notData ?? null,
    structured: facts?.structured ?? null,
    structuralErrors: facts?.structuralErrors ?? [],
    limits: facts?.limits ?? [],
    parts: facts?.parts ?? [],
    notes: facts?.notes ?? [],
    verdicts,
  };
}

/** Kept for callers of the old location; the table lives in src/inspect/format-names.ts. */
export { sameFormat } from '../inspect/format-names.ts';

/** `--openapi`: the input validated as an OpenAPI document (the object `--json` prints). Rejects when unreadable. */
export async function inspectOpenApi(path: string, o: InspectCliOptions, input = path) {
  const f = await load(path, o, input);
  if (f.kind !== 'ok' || !f.body) throw new Error(f.error ?? (f.kind === 'ok' ? 'the file is too large to validate as one document' : `HTTP ${f.status}`));
  const text = new TextDecoder().decode(f.body);
  return { input, openapi: await validateOpenApi(text, { filename: input, limits: limitsOf(o) }) };
}

/** A scheme odbadge never fetches ("ftp:", "file:", "data:"), when `input` is not an existing local path. */
export function unsupportedScheme(input: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]+):/i.exec(input);
  if (!m || /^https?$/i.test(m[1]) || existsSync(input)) return undefined;
  return `${m[1].toLowerCase()}:`;
}

/**
 * Standard input copied to a private temporary file (mode 0600 in a 0700 directory), so it is inspected as a local
 * file is — streamed when large — whatever its size. The caller removes `dir`.
 */
async function spoolStdin(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'odbadge-stdin-'));
  const file = join(dir, 'stdin');
  await pipeline(process.stdin, createWriteStream(file, { mode: 0o600 }));
  return { dir, file };
}

/** Exit 1 for a failed verdict, or with --fail-on unsure for an undecided one. */
function verdictExit(verdicts: Record<string, IndicatorResult>, failOn: string | undefined): number {
  const bad = Object.values(verdicts).some((v) => v.verdict === 'fail' || (failOn === 'unsure' && v.verdict === 'unsure'));
  return bad ? EXIT.checksFailed : EXIT.ok;
}

export async function inspectCommand(input: string, o: InspectCliOptions, ctx = new CliContext('odbadge inspect', { format: o.json ? 'json' : 'text' })): Promise<number> {
  try {
    limitsOf(o);
  } catch (e) {
    return ctx.usage((e as Error).message);
  }
  const scheme = unsupportedScheme(input);
  if (scheme) return ctx.usage(`scheme ${scheme} is not fetched; odbadge fetches http and https${scheme === 'file:' ? ' (for a local file, give its path)' : ''}`);
  let stdin: { dir: string; file: string } | undefined;
  if (input === '-') {
    if (process.stdin.isTTY) return ctx.usage('inspect - reads the file from standard input: pipe or redirect one in (odbadge inspect - < data.csv)');
    stdin = await spoolStdin();
  }
  try {
    return await inspectInput(input, stdin?.file ?? input, o, ctx);
  } finally {
    if (stdin) await rm(stdin.dir, { recursive: true, force: true });
  }
}

/** `input` as the user named it (`-` for standard input), read from `path`. */
async function inspectInput(input: string, path: string, o: InspectCliOptions, ctx: CliContext): Promise<number> {
  const secrets = urlSecrets(input);
  if (o.openapi) {
    let r: Awaited<ReturnType<typeof inspectOpenApi>>;
    try {
      // What is printed quotes the document and the URL: never the URL's secrets, even echoed by the server.
      r = redactDeep(await inspectOpenApi(path, o, input), secrets);
    } catch (e) {
      return ctx.fail(EXIT.input, scrubText(`cannot read ${input}: ${(e as Error).message}`, secrets));
    }
    const report = r.openapi;
    if (ctx.json) ctx.result(r);
    else {
      ctx.text(`${input}: ${report.valid ? 'valid' : 'INVALID'} OpenAPI ${report.version ?? '(version unknown)'}\n`);
      for (const e of report.errors) ctx.text(`  ${e.pointer || '/'}: ${e.message}\n`);
    }
    return report.valid ? EXIT.ok : EXIT.checksFailed;
  }
  let r: Awaited<ReturnType<typeof inspectOne>>;
  try {
    r = redactDeep(await inspectOne(path, o, undefined, input), secrets);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      return ctx.fail(EXIT.input, scrubText(`cannot read ${input}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, secrets));
    }
    throw e;
  }
  // A URL that gave no usable answer for a reason that may pass (time-out, refused or reset connection, 5xx, 429)
  // could not be inspected at all: exit 3, as for a local file that cannot be read — never 0 for "unsure".
  const unreachable = isUrl(input) && r.fetch.kind !== 'ok' && r.fetch.kind !== 'too-large' && r.fetch.transient;
  const unreadable = !isUrl(input) && r.fetch.kind !== 'ok' && r.fetch.kind !== 'too-large';
  const problem = unreachable || unreadable ? `could not read ${input}: ${r.fetch.error ?? r.fetch.kind}${unreachable ? ' (may be temporary; try again later)' : ''}` : undefined;
  const f = r.fetch;
  ctx.detail(`fetch: ${f.kind}${f.status !== undefined ? ` ${f.status}` : ''} · ${byteSize(f.bytes)} · ${f.attempts} attempt(s) · ${f.redirects} redirect(s) · ${f.elapsedMs} ms${f.error ? ` — ${f.error}` : ''}\n`);
  if (ctx.json) ctx.result(problem ? { ...r, error: { code: errorCodeOf(EXIT.input), message: problem } } : r);
  else ctx.text(renderInspect(r));
  if (problem) {
    new CliContext(ctx.command).fail(EXIT.input, problem);
    return EXIT.input;
  }
  return verdictExit(r.verdicts, o.failOn);
}
function renderInspect(r: Awaited<ReturnType<typeof inspectOne>>): string {
  const out = [`${r.input}`, `  format:    ${r.format ?? '-'}${r.formatMismatch ? ` (declared ${r.formatMismatch.declared}: MISMATCH)` : ''}`];
  if (r.encoding) out.push(`  encoding:  ${r.encoding.detected} — ${r.encoding.evidence}`);
  if (r.fields.length) out.push(`  fields:    ${r.fields.join('、')}`);
  if (r.recordCount !== null) out.push(`  records:   ${r.recordCount}${r.possiblyTruncated ? ' (a round number: possibly truncated)' : ''}`);
  for (const h of r.limits) out.push(`  limit:     ${h.name} = ${h.limit} reached${h.observed !== undefined ? ` (${h.observed})` : ''}: ${h.message}`);
  if (r.structuralErrors.length) {
    out.push(`  structural errors (${r.structuralErrors.length}):`);
    for (const e of r.structuralErrors.slice(0, 20)) out.push(`    ${e.type}${e.row !== null ? ` row ${e.row}` : ''}${e.field !== null ? ` field ${e.field}` : ''}${e.cell ? ` ${e.cell}` : ''}: ${e.message}`);
  }
  out.push('  verdicts:');
  for (const [id, v] of Object.entries(r.verdicts)) {
    out.push(`    ${v.verdict.padEnd(13)} ${id}: ${v.evidence}`);
    if (v.hint && v.verdict !== 'pass') out.push(`${' '.repeat(18)}→ ${v.hint.zh}\n${' '.repeat(18)}→ ${v.hint.en}`);
  }
  return out.join('\n') + '\n';
}

export const inspectSpec: CommandSpec = {
  name: 'inspect',
  description: 'inspect one resource (file, URL, or - for standard input): detected format, encoding, fields, structural errors and verdicts',
  args: [{ syntax: '<file|url|->', description: 'a local file, an http(s) URL, or - to read standard input' }],
  options: [
    { flags: '--declared-format <f>', kind: 'value', description: 'the declared 檔案格式 (e.g. CSV), compared with what the file is' },
    { flags: '--encoding <e>', kind: 'value', description: 'the declared 編碼格式 (e.g. UTF-8, BIG5); without it encoding-match is not evaluated' },
    { flags: '--fields <list>', kind: 'value', description: 'the declared 主要欄位說明, e.g. "村名(name)、人口(population)"; without it fields-match is not evaluated' },
    { flags: '--openapi', kind: 'flag', description: 'validate the input as an OpenAPI document instead (Swagger 2.0, OAS 3.0/3.1, JSON or YAML)' },
    ...formatOptions('facts and verdicts', { json: true }),
    FAIL_ON_OPTION,
    RULESET_OPTION,
    ALLOW_PRIVATE_OPTION,
    LIMIT_OPTION,
  ],
  run: (args, o, ctx) => inspectCommand(args[0], { ...(o as InspectCliOptions), json: ctx.json }, ctx),
};
