// `odbadge inspect`: one resource, all facts and verdicts — for an agency checking a file before it publishes.
import { readFile, stat } from 'node:fs/promises';
import { Fetcher } from '../fetch/index.ts';
import { formatMismatchOf } from '../inspect/format-names.ts';
import { inspectResource } from '../inspect/index.ts';
import { STREAM_FILE_BYTES, inspectFile } from '../inspect/stream.ts';
import { validateOpenApi } from '../inspect/openapi/index.ts';
import { parseLimitAssignments, resolveLimits, type InspectLimits } from '../inspect/limits.ts';
import { msg } from '../messages/index.ts';
import type { Dataset, FetchOutcome, IndicatorResult } from '../model.ts';
import { evaluateDataset } from '../score/evaluate.ts';
import { loadRuleset, type Ruleset } from '../score/ruleset.ts';
import { notEvaluated, toIndicatorResult } from '../rules/rule.ts';
import type { RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { print, warn } from './terminal.ts';
import { jsonText } from '../util/json-text.ts';
import { redactDeep, scrubText, urlSecrets } from '../util/redact.ts';

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
}

/** The inspection limits given with --limit (over ODBADGE_LIMITS and the defaults); throws RangeError on a bad one. */
export function limitsOf(o: InspectCliOptions): Partial<InspectLimits> {
  const given = parseLimitAssignments((o.limit ?? []).join(','), '--limit');
  resolveLimits(given); // validates the environment variable and the values now, before anything is read
  return given;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * A local file read as if it had been downloaded: the same FetchOutcome shape, so the same rules apply. Files of
 * STREAM_FILE_BYTES or more are not read here: `inspectOne` streams them (the body stays empty).
 */
async function readLocal(path: string, streamAbove = STREAM_FILE_BYTES): Promise<FetchOutcome> {
  const started = Date.now();
  const st = await stat(path);
  const size = st.size;
  if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
  const body = size >= streamAbove ? undefined : new Uint8Array(await readFile(path));
  return { url: path, finalUrl: path, kind: 'ok', transient: false, status: 200, redirects: [], headers: {}, ...(body ? { body } : {}), truncated: false, bytes: size, attempts: 1, elapsedMs: Date.now() - started };
}

async function load(input: string, o: InspectCliOptions): Promise<FetchOutcome> {
  if (!isUrl(input)) return readLocal(input, o.streamAbove);
  // One resource, inspected after the fetcher is closed: keep its body in memory (up to maxBytes), never spilled.
  const fetcher = new Fetcher({ ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}), spillAboveBytes: Infinity, memoryBudgetBytes: Infinity });
  try {
    return await fetcher.fetch(input);
  } finally {
    await fetcher.close();
  }
}

/** Resource verdicts only: timeliness and the OpenAPI bonus need catalogue metadata a single file lacks. */
export async function inspectOne(input: string, o: InspectCliOptions, rs: Ruleset = loadRuleset(o.ruleset)) {
  const limits = limitsOf(o);
  const fetched = await load(input, o);
  const streamed = !isUrl(input) && fetched.kind === 'ok' && !fetched.body && fetched.bytes > 0;
  const facts = streamed
    ? await inspectFile(input, { declaredFormat: o.declaredFormat }, { streamAbove: 0, limits })
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
    fetch: result.resources[0].fetch,
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
export async function inspectOpenApi(input: string, o: InspectCliOptions) {
  const f = await load(input, o);
  if (f.kind !== 'ok' || !f.body) throw new Error(f.error ?? (f.kind === 'ok' ? 'the file is too large to validate as one document' : `HTTP ${f.status}`));
  const text = new TextDecoder().decode(f.body);
  return { input, openapi: await validateOpenApi(text, { filename: input, limits: limitsOf(o) }) };
}

export async function inspectCommand(input: string, o: InspectCliOptions): Promise<number> {
  try {
    limitsOf(o);
  } catch (e) {
    process.stderr.write(`odbadge: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  if (o.openapi) {
    let r: Awaited<ReturnType<typeof inspectOpenApi>>;
    try {
      // What is printed quotes the document and the URL: never the URL's secrets, even echoed by the server.
      r = redactDeep(await inspectOpenApi(input, o), urlSecrets(input));
    } catch (e) {
      warn(scrubText(`odbadge: cannot read ${input}: ${(e as Error).message}\n`, urlSecrets(input)));
      return EXIT.input;
    }
    const report = r.openapi;
    if (o.json) print(jsonText(r, 2) + '\n');
    else {
      print(`${input}: ${report.valid ? 'valid' : 'INVALID'} OpenAPI ${report.version ?? '(version unknown)'}\n`);
      for (const e of report.errors) print(`  ${e.pointer || '/'}: ${e.message}\n`);
    }
    return report.valid ? EXIT.ok : EXIT.checksFailed;
  }
  let r: Awaited<ReturnType<typeof inspectOne>>;
  try {
    r = redactDeep(await inspectOne(input, o), urlSecrets(input));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES') {
      warn(scrubText(`odbadge: cannot read ${input}: ${err.message}\n`, urlSecrets(input)));
      return EXIT.input;
    }
    throw e;
  }
  if (o.json) print(jsonText(r, 2) + '\n');
  else print(renderInspect(r));
  if (r.fetch.kind !== 'ok' && r.fetch.kind !== 'too-large' && !isUrl(input)) return EXIT.input;
  return Object.values(r.verdicts).some((v) => v.verdict === 'fail') ? EXIT.checksFailed : EXIT.ok;
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

export const registerInspect: RegisterCommand = (program, setExit) => {
  program
    .command('inspect')
    .description('inspect one resource (file or URL): detected format, encoding, fields, structural errors and verdicts')
    .argument('<file|url>')
    .option('--declared-format <f>', 'the declared 檔案格式')
    .option('--encoding <e>', 'the declared 編碼格式')
    .option('--fields <list>', 'the declared 主要欄位說明, e.g. "村名(name)、人口(population)"')
    .option('--openapi', 'validate the input as an OpenAPI document instead')
    .option('--json', 'print one JSON object')
    .option('--ruleset <file>', 'ruleset JSON (default: rules/tw-ndc-2017.json)')
    .option('--allow-private-network', 'allow a URL on a private or loopback address')
    .option('--limit <name=value>', 'raise or lower an inspection limit, e.g. maxCellChars=4000000 (repeatable; see src/inspect/limits.ts)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (input, o) => setExit(await inspectCommand(input, o)));
};
