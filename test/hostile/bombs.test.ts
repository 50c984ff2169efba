// The spreadsheet bombs of issue 10, generated here (never committed), each inspected in a child process — through
// inspectResource and through `odbadge inspect` as a user runs it — which must finish (hang bound 60 s), stay within
// 400 MB peak RSS (measured in the child, worker threads included), exit 0 or 1, and fail `structured` with the
// limit named. Before the limits: the 300 MB shared string took 24 s and 2.2 GB (or died of V8's heap, exit 134),
// 20 M shared strings 43 s and 1.2 GB, the 300 MB ODS cell 1.7 GB.
// The three bombs as reported inflate ~1000:1; the "noisy" ones compress ~50–100:1, under the ZIP ratio limit, so
// the readers' own limits (cell length, shared-string count) are what stops them, at default limits too.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.ts';
import { longCellOds, longSharedStringXlsx, manySharedStringsXlsx } from './bomb-files.ts';

const HANG_BOUND_MS = 60_000;
const MAX_RSS = 400 * 1024 * 1024;
const CHILD = path.resolve(__dirname, 'bomb-child.ts');

interface Bomb {
  file: string;
  what: string;
  make: () => Buffer;
  format: 'xlsx' | 'ods';
  /** The limit that stops it at the default limits. */
  limit: string;
  /** Evidence the structured verdict must carry (beyond the limit's name). */
  evidence: RegExp;
}

const BOMBS: Bomb[] = [
  { file: 'long-shared-string.xlsx', what: 'one 300 MB shared string (a 299 KB file)', make: () => longSharedStringXlsx(300_000_000), format: 'xlsx', limit: 'maxSharedStringsBytes', evidence: /maxSharedStringsBytes = 268435456 \(the file reaches 300000157\): xl\/sharedStrings\.xml inflates to 300000157 bytes/ },
  { file: 'many-shared-strings.xlsx', what: '20 million tiny shared strings', make: () => manySharedStringsXlsx(20_000_000), format: 'xlsx', limit: 'maxSharedStringsBytes', evidence: /xl\/sharedStrings\.xml inflates to 340000133 bytes/ },
  { file: 'long-cell.ods', what: 'one 300 MB cell', make: () => longCellOds(300_000_000), format: 'ods', limit: 'maxZipRatio', evidence: /maxZipRatio = 200 \(the file reaches 1009\): content\.xml inflates 1009:1/ },
  { file: 'long-shared-string-noisy.xlsx', what: 'one 200 MB shared string compressed 118:1', make: () => longSharedStringXlsx(200_000_000, true), format: 'xlsx', limit: 'maxCellChars', evidence: /maxCellChars = 1048576 .*shared string 1 of xl\/sharedStrings\.xml has more than 1048576 characters/ },
  { file: 'six-million-strings-noisy.xlsx', what: '6 million tiny shared strings (108 MB of XML)', make: () => manySharedStringsXlsx(6_000_000, true), format: 'xlsx', limit: 'maxSharedStrings', evidence: /maxSharedStrings = 5000000 \(the file reaches 5000001\): xl\/sharedStrings\.xml holds more than 5000000 shared strings/ },
  { file: 'long-cell-noisy.ods', what: 'one 300 MB cell compressed 118:1', make: () => longCellOds(300_000_000, true), format: 'ods', limit: 'maxCellChars', evidence: /maxCellChars = 1048576 .*cell Sheet1!A2 of content\.xml has more than 1048576 characters/ },
];

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rss: number;
}

/** Runs node with `args` (bomb-child.ts preloaded to report the RSS, unless it is the script), killed at the hang bound. */
async function child(dir: string, args: string[]): Promise<ChildRun> {
  const rssFile = path.join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, args[0] === CHILD ? args : ['--import', CHILD, ...args], { timeout: HANG_BOUND_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ODBADGE_TEST_RSS_FILE: rssFile } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
  const ms = performance.now() - started;
  const rss = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  return { code, stdout, stderr, ms, rss };
}

describe('spreadsheet bombs: bounded time and memory, fail naming the limit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'odbadge-bombs-'));
    for (const b of BOMBS) await writeFile(path.join(dir, b.file), b.make());
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const b of BOMBS) {
    it(`${b.what}: inspectResource and \`odbadge inspect\` finish within 400 MB and fail on ${b.limit}`, async () => {
      const file = path.join(dir, b.file);

      const lib = await child(dir, [CHILD, file]);
      expect(lib.code, lib.stderr).toBe(0);
      expect(lib.ms).toBeLessThan(HANG_BOUND_MS);
      expect(lib.rss).toBeLessThanOrEqual(MAX_RSS);
      const facts = JSON.parse(lib.stdout);
      expect(facts.format).toBe(b.format);
      expect(facts.structured).toBe(false);
      expect(facts.limits.map((h: { name: string }) => h.name)).toEqual([b.limit]);
      expect(facts.structuredEvidence).toMatch(new RegExp(`^stopped at the inspection limit ${b.limit} = \\d+: `));
      expect(facts.structuralErrors.map((e: { type: string }) => e.type)).toEqual(['limit-exceeded']);

      const cli = await child(dir, [CLI, 'inspect', file, '--json']);
      expect(cli.code, cli.stderr).toBe(1);
      expect(cli.ms).toBeLessThan(HANG_BOUND_MS);
      expect(cli.rss).toBeLessThanOrEqual(MAX_RSS);
      const out = JSON.parse(cli.stdout);
      expect(out.verdicts.structured.verdict).toBe('fail');
      expect(out.verdicts.structured.evidence).toMatch(b.evidence);
      expect(out.verdicts.structured.evidence).toContain(`raise it with --limit ${b.limit}=<n> (inspect) or ODBADGE_LIMITS="${b.limit}=<n>"`);
      expect(out.limits[0]).toMatchObject({ name: b.limit });
      // Measured figures for the report (the assertion above is the bound; the figures are not asserted).
      console.log(`${b.file}: inspectResource ${Math.round(lib.ms)} ms ${Math.round(lib.rss / 2 ** 20)} MB; CLI ${Math.round(cli.ms)} ms ${Math.round(cli.rss / 2 ** 20)} MB`);
    }, 2 * HANG_BOUND_MS + 10_000);
  }

  it('the limit is raised with --limit and with ODBADGE_LIMITS: the next limit then stops the same file', async () => {
    const file = path.join(dir, 'long-shared-string.xlsx');
    const raised = await child(dir, [CLI, 'inspect', file, '--json', '--limit', 'maxSharedStringsBytes=400000000']);
    expect(raised.code).toBe(1);
    expect(JSON.parse(raised.stdout).limits.map((h: { name: string }) => h.name)).toEqual(['maxZipRatio']);
    const env = await new Promise<{ code: number | null; stdout: string }>((resolve) =>
      execFile(process.execPath, [CLI, 'inspect', file, '--json'], { timeout: HANG_BOUND_MS, env: { ...process.env, ODBADGE_LIMITS: 'maxSharedStringsBytes=400000000,maxZipRatio=5000' } }, (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout }),
      ),
    );
    expect(env.code).toBe(1);
    const [hit] = JSON.parse(env.stdout).limits;
    expect(hit.name).toBe('maxCellChars');
    // reading stops within one 64 KiB slice of the limit: the string is never built
    expect(hit.observed).toBeGreaterThan(1048576);
    expect(hit.observed).toBeLessThanOrEqual(1048576 + 128 * 1024);
    const bad = await child(dir, [CLI, 'inspect', file, '--limit', 'maxCells=lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit: "maxCells=lots" is not name=number/);
  }, 3 * HANG_BOUND_MS);
});
