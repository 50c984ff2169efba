// Issue 5 acceptance: an audit killed with SIGKILL (during the catalogue read, mid-fetch, during scoring) or stopped
// with Ctrl-C resumes with `odbadge audit --resume` and ends with exactly the results of an uninterrupted run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsvRow, exportCsvStart } from '../../src/catalog/datagovtw-export.ts';
import { SqliteStore } from '../../src/store/store.ts';
import { CLI, odbadge } from '../helpers/cli.ts';

const CHILD = resolve(__dirname, 'audit-child.ts');
const N = 24;
const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';

/** Stall switches: while set, that response is held until released (or the connection dies with the killed client). */
const stalls: { exportAfterRow?: number; resource?: number } = {};
const held: (() => void)[] = [];
let onStall: () => void = () => {};

function body(i: number): { status: number; type: string; text: string } {
  if (i % 7 === 3) return { status: 404, type: 'text/html', text: '<h1>Not Found</h1>' };
  if (i % 5 === 1) return { status: 200, type: 'text/csv', text: '村名,人口\r\n大安里,1200,多\r\n' };
  if (i % 6 === 2) return { status: 200, type: 'application/json', text: JSON.stringify([{ 村名: '大安里', 人口: i }]) };
  return { status: 200, type: 'text/csv', text: `${CSV}第${i}里,${i}\r\n` };
}

let base = '';
function exportRow(i: number): string {
  return exportCsvRow({
    id: `ds${i}`, title: `資料集${i}`, providerAttribute: '原始資料', category: '求職及就業', formats: i % 6 === 2 ? 'JSON' : 'CSV',
    urls: `${base}/r/${i}`, encodings: 'UTF-8', uploadMethod: '單筆', description: '說明', fields: '村名、人口', agency: `機關${i % 3}`,
    frequency: '不定期', license: '政府資料開放授權條款-第1版', charge: '免費', contactName: '王小明', contactPhone: '02-12345678',
    publishedAt: '2020-01-01 00:00:00.000000', metadataUpdatedAt: '2024-01-01 00:00:00.000000',
  });
}

function hold(res: ServerResponse, finish: () => void) {
  held.push(finish);
  onStall();
  res.on('close', () => undefined);
}

const server: Server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', base);
  if (url.pathname === '/export.csv') {
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    const rows = Array.from({ length: N }, (_, i) => exportRow(i));
    const head = exportCsvStart() + rows.slice(0, stalls.exportAfterRow ?? N).join('');
    if (stalls.exportAfterRow === undefined) return res.end(head);
    res.write(head);
    return hold(res, () => res.end(rows.slice(stalls.exportAfterRow).join('')));
  }
  const m = /^\/r\/(\d+)$/.exec(url.pathname);
  if (m) {
    const i = Number(m[1]);
    const b = body(i);
    const send = () => res.writeHead(b.status, { 'content-type': b.type }).end(b.text);
    return stalls.resource === i ? hold(res, send) : send();
  }
  res.writeHead(404).end();
});

let dir: string;
let exportUrl: string;
let baseline: Normalised;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  exportUrl = `${base}/export.csv`;
  dir = await mkdtemp(join(tmpdir(), 'odbadge-resume-'));
  const r = await odbadge(['audit', '--catalog', exportUrl, '--out', join(dir, 'baseline'), '--db', join(dir, 'baseline.db'), '--allow-private-network', '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  baseline = await normalised(join(dir, 'baseline'));
});

afterAll(async () => {
  for (const f of held.splice(0)) f();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  if (dir) await rm(dir, { recursive: true, force: true });
});


interface Normalised {
  catalog: unknown;
  datasets: unknown[];
  agencies: unknown[];
}

/** results.json without what legitimately differs between two runs: timings and run bookkeeping. */
async function normalised(out: string): Promise<Normalised> {
  const r = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  for (const d of r.datasets) for (const res of d.resources) delete res.fetch.elapsedMs;
  return { catalog: r.catalog, datasets: r.datasets, agencies: r.agencies };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Datasets the child has committed so far, read from the store while it writes (WAL: never blocks it). */
async function storedCount(db: string): Promise<number> {
  if (!existsSync(db)) return 0;
  const s = SqliteStore.open(db, { create: false });
  try {
    return (await s.listRuns()).at(-1)?.datasets ?? 0;
  } finally {
    await s.close();
  }
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
}

async function killedThenResumed(name: string, start: (db: string, out: string) => ChildProcess, killWhen: (db: string, child: ChildProcess) => Promise<void>) {
  const db = join(dir, `${name}.db`);
  const out = join(dir, name);
  let stalled = false;
  onStall = () => (stalled = true);
  const child = start(db, out);
  const gone = exited(child);
  try {
    await killWhen(db, child);
    expect(stalled || name === 'scoring').toBe(true);
    child.kill('SIGKILL');
    expect((await gone).signal).toBe('SIGKILL');
  } finally {
    child.kill('SIGKILL');
    delete stalls.exportAfterRow;
    delete stalls.resource;
    for (const f of held.splice(0)) f();
  }
  const before = await storedCount(db);
  const s = SqliteStore.open(db, { create: false });
  expect((await s.listRuns()).map((r) => r.status)).toEqual(['interrupted']);
  await s.close();
  const r = await odbadge(['audit', '--resume', '--db', db]); // not --quiet: that prints nothing but errors and warnings (issue 11)
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/Recorded as run 1 \(resumed\)/);
  expect(await normalised(out)).toEqual(baseline);
  const after = SqliteStore.open(db, { create: false });
  try {
    expect((await after.listRuns()).map((x) => [x.status, x.datasets, x.resumes])).toEqual([['complete', N, 1]]);
    expect(await after.integrityCheck()).toBe('ok');
  } finally {
    await after.close();
  }
  return before;
}

const cliChild = (db: string, out: string) =>
  spawn(process.execPath, [CLI, 'audit', '--catalog', exportUrl, '--out', out, '--db', db, '--allow-private-network', '--quiet'], { stdio: 'pipe' });

describe('resume after SIGKILL gives the results of an uninterrupted run', () => {
  it('the baseline covers every dataset', () => {
    expect(baseline.datasets).toHaveLength(N);
    expect(new Set(baseline.datasets.map((d) => (d as { badge: string }).badge)).size).toBeGreaterThan(2);
  });

  it('killed during the catalogue read', async () => {
    stalls.exportAfterRow = 10;
    const before = await killedThenResumed('catalogue', cliChild, async (db) => {
      await waitFor('the export to stall and the first rows to be audited', async () => held.length > 0 && await storedCount(db) >= 5);
    });
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThanOrEqual(10);
  });

  it('killed mid-fetch', async () => {
    stalls.resource = 15;
    const before = await killedThenResumed('fetch', cliChild, async (db) => {
      await waitFor('resource 15 to stall with earlier datasets stored', async () => held.length > 0 && await storedCount(db) >= 5);
    });
    expect(before).toBeLessThan(N);
  });

  it('killed during scoring (every dataset stored, the run not yet closed)', async () => {
    const before = await killedThenResumed('scoring', (db, out) => spawn(process.execPath, [CHILD, exportUrl, out, db], { stdio: 'pipe' }), async (_db, child) => {
      let seen = '';
      child.stdout!.on('data', (c: Buffer) => (seen += c.toString()));
      await waitFor('the scoring phase', () => seen.includes('PHASE scoring'));
    });
    expect(before).toBe(N);
  });

  it('Ctrl-C stops cleanly, says how to resume, and the resume completes the run', async () => {
    const db = join(dir, 'sigint.db');
    const out = join(dir, 'sigint');
    stalls.resource = 12;
    let stalled = false;
    onStall = () => (stalled = true);
    const child = cliChild(db, out);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const gone = exited(child);
    try {
      await waitFor('resource 12 to stall', () => stalled);
      child.kill('SIGINT');
      // The stalled download is released once the audit has taken the interrupt, not after a guessed delay.
      await waitFor('the audit to take the interrupt', () => /Stopping: finishing the datasets in flight/.test(stderr));
      delete stalls.resource;
      for (const f of held.splice(0)) f();
      expect((await gone).code).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).toMatch(/continue it with: {2}odbadge audit --resume 1 --db /);
    const r = await odbadge(['audit', '--resume', '1', '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(await normalised(out)).toEqual(baseline);
  });

  it('--resume with nothing to resume is a usage error with a clear message', async () => {
    const r = await odbadge(['audit', '--resume', '--db', join(dir, 'baseline.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no interrupted audit to resume/);
  });
});
