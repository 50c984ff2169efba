// Acceptance for issue 3: every file of the shared corpora with table-structure or OpenAPI expectations gives,
// through `odbadge inspect --json`, the outcome its MANIFEST.json expects. In-process through inspectOne /
// inspectOpenApi (the functions the command prints), plus the real CLI spawned for a handful of files.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { inspectOne, inspectOpenApi } from '../../src/cli/inspect-command.ts';
import { normaliseEncodingName } from '../../src/inspect/encoding/index.ts';
import type { StructuralError } from '../../src/model.ts';
import { OAS_PROSE_RULE_VIOLATIONS, corporaDir, readManifest, repoRoot } from './corpora.ts';

/** The error types frictionless reports (ours add subtotal-row, title-row … which the manifests do not list). */
const FRICTIONLESS = new Set(['blank-label', 'duplicate-label', 'missing-cell', 'extra-cell', 'blank-row', 'source-error']);
const triples = (errors: StructuralError[]) => errors.filter((e) => FRICTIONLESS.has(e.type)).map((e) => [e.row, e.field, e.type]);
const isTable = (file: string) => /\.(csv|txt|xlsx)$/i.test(file);
const OUR_ENCODINGS: Record<string, string> = { cp950: 'cp950', big5: 'big5', 'utf-16le with BOM': 'utf-16le', 'utf-8 with BOM': 'utf-8-bom' };

type Outcome = Awaited<ReturnType<typeof inspectOne>>;

/** The table expectation of one manifest entry, checked against what `inspect --json` prints. */
function checkTable(corpus: string, file: string, exp: any, r: Outcome): void {
  const expected: unknown[][] | undefined = exp.structuralErrors ?? exp.errors;
  if (corpus === 'goodtables-py') {
    if (file.endsWith('.xlsx')) {
      expect(r.format).toBe('xlsx');
      expect(r.parts.map((p) => p.name)).toEqual(exp.sheets.map((s: any) => s.name));
      expect(r.fields).toHaveLength(exp.sheets[0].columns);
      // frictionless v5 reads the empty B2 goodtables called missing-value as a blank cell: no structural error
      expect(triples(r.structuralErrors)).toEqual([]);
      return;
    }
    expect(r.fields).toHaveLength(exp.fields);
    const total = Object.values<number>(exp.errorCounts).reduce((a, b) => a + b, 0);
    if (exp.structuralErrors) expect(triples(r.structuralErrors)).toEqual(exp.structuralErrors);
    if (exp.structuralErrorsFirst50) expect(triples(r.structuralErrors).slice(0, 50)).toEqual(exp.structuralErrorsFirst50);
    if (total > r.structuralErrors.length) {
      const counts = Object.entries<number>(exp.errorCounts).map(([t, n]) => `${n} ${t}`).join(', ');
      expect(r.notes.join('\n')).toContain(`${total} structural errors in total, ${r.structuralErrors.length} listed: ${counts}`);
    }
    expect(r.structured).toBe(total === 0);
    return;
  }
  if (corpus === 'tw-encodings') {
    expect(r.fields).toEqual(exp.rfc4180.header);
    expect(r.encoding?.detected).toBe(OUR_ENCODINGS[exp.encoding]);
    if (Object.keys(exp.rfc4180.fieldsPerRow).length === 1) expect(r.structuralErrors).toEqual([]);
    return;
  }
  const want = (expected ?? []).filter((e) => FRICTIONLESS.has(e[2] as string));
  expect(triples(r.structuralErrors)).toEqual(want);
  if (exp.valid && want.length === 0) expect(r.structuralErrors.filter((e) => FRICTIONLESS.has(e.type))).toEqual([]);
  const declared = exp.declaredEncoding as string | undefined;
  if (declared && normaliseEncodingName(declared) !== 'unknown') {
    const encodingError = ((exp.errors ?? []) as unknown[][]).some((e) => e[2] === 'encoding-error');
    expect(r.verdicts['encoding-match']?.verdict).toBe(encodingError ? 'fail' : 'pass');
  }
}

for (const corpus of ['frictionless', 'frictionless-py', 'goodtables-py', 'tw-encodings']) {
  const dir = path.join(corporaDir, corpus);
  describe(`${corpus} through inspect --json`, () => {
    for (const [file, exp] of Object.entries<any>(readManifest(dir).files)) {
      if (!isTable(file)) continue;
      it(file, async () => {
        const declared = exp.declaredEncoding as string | undefined;
        const r = await inspectOne(path.join(dir, file), declared ? { encoding: declared, json: true } : { json: true });
        checkTable(corpus, file, exp, r);
        // the printed object round-trips through JSON unchanged
        expect(JSON.parse(JSON.stringify(r))).toEqual(JSON.parse(JSON.stringify(r)));
      });
    }
  });
}

for (const corpus of ['openapi', 'openapi-suites']) {
  const dir = path.join(corporaDir, corpus);
  describe(`${corpus} through inspect --openapi --json`, () => {
    it.each(Object.entries<any>(readManifest(dir).files))('%s', async (file, exp) => {
      const r = await inspectOpenApi(path.join(dir, file), { openapi: true, json: true });
      const prose = OAS_PROSE_RULE_VIOLATIONS[file];
      if (prose) {
        expect(r.openapi).toMatchObject({ valid: false, schemaValid: true });
        expect(r.openapi.errors[0]).toEqual(prose);
        return;
      }
      expect(r.openapi.valid, JSON.stringify(r.openapi.errors.slice(0, 3))).toBe(exp.valid);
      if (!exp.valid) expect(r.openapi.errors.length).toBeGreaterThan(0);
    });
  });
}

describe('the real CLI on a handful of corpus files', () => {
  const run = promisify(execFile);
  const CLI = path.join(repoRoot, 'src/cli/main.ts');
  async function odbadge(args: string[]) {
    try {
      const { stdout } = await run(process.execPath, [CLI, ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, json: JSON.parse(stdout) };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, json: JSON.parse(err.stdout) };
    }
  }
  const cases: [string, string][] = [
    ['frictionless', 'invalid.csv'],
    ['goodtables-py', 'gla-250-report-2013-14-P07.csv'],
    ['tw-encodings', 'taipei-catalogue-2018.csv'],
  ];
  it.each(cases)('%s/%s', async (corpus, file) => {
    const dir = path.join(corporaDir, corpus);
    const exp = readManifest(dir).files[file];
    const { code, json } = await odbadge(['inspect', path.join(dir, file), '--json']);
    checkTable(corpus, file, exp, json as Outcome);
    expect(code).toBe(json.structured ? 0 : 1);
  }, 60_000);

  it.each([
    ['openapi', Object.entries<any>(readManifest(path.join(corporaDir, 'openapi')).files).find(([, e]) => e.valid)![0]],
    ['openapi', Object.entries<any>(readManifest(path.join(corporaDir, 'openapi')).files).find(([, e]) => !e.valid)![0]],
  ])('--openapi %s/%s', async (corpus, file) => {
    const exp = readManifest(path.join(corporaDir, corpus)).files[file];
    const { code, json } = await odbadge(['inspect', path.join(corporaDir, corpus, file), '--openapi', '--json']);
    expect(json.openapi.valid).toBe(exp.valid);
    expect(code).toBe(exp.valid ? 0 : 1);
  }, 60_000);
});
