// `odbadge inspect` as issue 11 asks: `-` reads standard input; schemes odbadge does not fetch are named (not
// ENOENT); a URL that cannot be reached exits 3 (it used to exit 0 with `unsure`); --fail-on unsure; --quiet.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fetch/helpers.ts';
import { hasOpenssl, makePki, type TestPki } from '../fetch/tls-certs.ts';
import { CLI, odbadge, runProgram, type CliRun } from '../helpers/cli.ts';

let dir: string;
let site: TestServer;
const CSV = '村名,人口\n大安里,1200\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-inspect-cli-'));
  site = await startServer((req, res) => {
    if (req.url === '/a.csv') return res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
    if (req.url === '/busy.csv') return res.writeHead(503, { 'retry-after': '0' }).end('busy');
    res.writeHead(404).end();
  });
});
afterAll(() => site?.close());

/** odbadge with `input` written to its standard input. */
function withStdin(args: string[], input: Buffer | string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('inspect - reads standard input', () => {
  it('a CSV piped in is inspected like a file, and reported as "-"', async () => {
    const r = await withStdin(['inspect', '-', '--encoding', 'UTF-8', '--fields', '村名、人口', '--format', 'json'], CSV);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ input: '-', format: 'csv', fields: ['村名', '人口'], recordCount: 1 });
    expect(j.fetch.finalUrl).toBe('-');
    expect(Object.values(j.verdicts).map((v) => (v as { verdict: string }).verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('a structural error in piped data fails as it would in a file; empty input is inspected, not an error', async () => {
    const bad = await withStdin(['inspect', '-', '--json'], '村名,人口\n大安里,1200\n,\n');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).structuralErrors).toContainEqual(expect.objectContaining({ type: 'blank-row', row: 3 }));
    const empty = await withStdin(['inspect', '-', '--json'], '');
    expect(JSON.parse(empty.stdout).input).toBe('-');
  });
});

describe('schemes odbadge does not fetch are named, exit 2', () => {
  it.each([
    ['ftp://data.example.gov.tw/x.csv', 'scheme ftp: is not fetched; odbadge fetches http and https'],
    ['file:///etc/hosts', 'scheme file: is not fetched; odbadge fetches http and https (for a local file, give its path)'],
    ['data:text/csv,a%2Cb', 'scheme data: is not fetched; odbadge fetches http and https'],
  ])('%s', async (url, message) => {
    const r = await odbadge(['inspect', url]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`odbadge: ${message}; see odbadge inspect --help\n`);
  });
});

describe('exit codes for a URL', () => {
  it('0 for a good file, 1 for a 404 (a definite failure), 3 for a server that stays overloaded (it used to be 0)', async () => {
    expect((await odbadge(['inspect', `${site.origin}/a.csv`, '--allow-private-network'])).code).toBe(0);
    const gone = await odbadge(['inspect', `${site.origin}/gone.csv`, '--allow-private-network', '--json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout).verdicts['link-valid'].verdict).toBe('fail');
    const busy = await odbadge(['inspect', `${site.origin}/busy.csv`, '--allow-private-network', '--json']);
    expect(busy.code).toBe(3);
    const j = JSON.parse(busy.stdout);
    expect(j.verdicts['link-valid'].verdict).toBe('unsure');
    expect(j.fetch).toMatchObject({ kind: 'http-error', status: 503, transient: true });
    const message = `could not read ${site.origin}/busy.csv: HTTP 503 Service Unavailable after 3 attempt(s) (may be temporary; try again later)`;
    expect(j.error).toEqual({ code: 'input', message });
    expect(busy.stderr).toBe(`odbadge: ${message}\n`);
  });

  it('3 for a connection refused; the text report is still printed', async () => {
    const closed = await startServer((_q, res) => res.end());
    const url = `${closed.origin}/a.csv`;
    await closed.close();
    const r = await odbadge(['inspect', url, '--allow-private-network']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/unsure +link-valid: /);
    expect(r.stderr).toMatch(/^odbadge: could not read http:\/\/127\.0\.0\.1:\d+\/a\.csv: connection failed or was cut: .*ECONNREFUSED.* \(may be temporary; try again later\)\n$/);
  });

  it('-v says how the fetch went and how long the command took, on stderr', async () => {
    const r = await odbadge(['inspect', `${site.origin}/a.csv`, '--allow-private-network', '-v']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^fetch: ok 200 · 29 B · 1 attempt\(s\) · 0 redirect\(s\) · \d+ ms\ntiming: inspect \d+\.\d s\n$/);
  });

  it('--quiet prints nothing; the exit code says it all', async () => {
    const r = await odbadge(['inspect', `${site.origin}/gone.csv`, '--allow-private-network', '-q']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });
});

describe.skipIf(!hasOpenssl())('--fail-on unsure', () => {
  let pki: TestPki;
  let leafOnly: TestServer;
  let rootFile: string;
  beforeAll(async () => {
    pki = makePki();
    rootFile = join(dir, 'root.pem');
    await writeFile(rootFile, pki.root);
    // The server forgets its intermediate certificate: link-valid is `unsure` by the default ruleset.
    leafOnly = await startServer((_q, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV), { tls: pki.good });
  });
  afterAll(async () => {
    await leafOnly?.close();
    pki?.cleanup();
  });
  const inspect = (extra: string[]) => runProgram(process.execPath, [CLI, 'inspect', `${leafOnly.origin}/a.csv`, '--allow-private-network', '--json', ...extra], { env: { ...process.env, NODE_EXTRA_CA_CERTS: rootFile } });

  it('an undecided verdict exits 0 by default and 1 with --fail-on unsure', async () => {
    const lenient = await inspect([]);
    expect(lenient.code, lenient.stderr).toBe(0);
    const j = JSON.parse(lenient.stdout);
    expect(j.verdicts['link-valid'].verdict).toBe('unsure');
    expect(j.fetch).toMatchObject({ kind: 'tls', transient: false });
    expect((await inspect(['--fail-on', 'unsure'])).code).toBe(1);
  });
});
