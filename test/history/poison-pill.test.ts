// Issue 10, poison-pill resume: a resource whose audit kills the process (here the test SIGKILLs the audit the
// moment it asks for /r/5 — as an out-of-memory abort would end it, with no chance to record anything) must not
// stop every `--resume`. After two deaths with that dataset in flight it is recorded with an internal-error finding
// and unsure resource indicators, and every other dataset is audited as usual.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetResult } from '../../src/model.ts';
import { datasetKey, SqliteStore } from '../../src/store/store.ts';
import { CLI } from '../helpers/cli.ts';
import { startFixturePortal, type FixtureDataset } from '../helpers/portal-fixture.ts';

const N = 12;
const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
const POISON = '/r/5';
// ds9 lists the poison resource as well as its own: it must not need two more deaths of its own.
const datasets: FixtureDataset[] = Array.from({ length: N }, (_, i) => ({
  id: `ds${i}`, title: `資料集${i}`, agency: `機關${i % 3}`, fields: '村名、人口',
  resources: i === 9 ? [{ path: '/r/9', format: 'CSV' }, { path: POISON, format: 'CSV' }] : [{ path: `/r/${i}`, format: 'CSV' }],
}));

let current: ChildProcess | undefined;
let poisonRequests = 0;
const routes = Object.fromEntries(Array.from({ length: N }, (_, i) => [`/r/${i}`, (_req: unknown, res: import('node:http').ServerResponse) => {
  if (`/r/${i}` === POISON) {
    poisonRequests++;
    current?.kill('SIGKILL');
    return; // never answered: the client is gone
  }
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(`${CSV}第${i}里,${i}\r\n`);
}]));

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
let db: string;
let out: string;

beforeAll(async () => {
  portal = await startFixturePortal(datasets, routes);
  dir = await mkdtemp(join(tmpdir(), 'odbadge-poison-'));
  db = join(dir, 'h.db');
  out = join(dir, 'out');
});

afterAll(async () => {
  current?.kill('SIGKILL');
  await portal?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI as a child the server can kill; resolves with how it ended (bounded: 60 s). */
function audit(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  // Not --quiet: the "Recorded as run …" line asserted below is information, which --quiet silences (issue 11).
  const child = spawn(process.execPath, [CLI, 'audit', ...args, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
  current = child;
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((r) => child.once('exit', (code, signal) => {
    clearTimeout(guard);
    r({ code, signal, stderr });
  }));
}

async function attempts(): Promise<Map<string, number>> {
  const s = SqliteStore.open(db, { create: false });
  try {
    return await s.unfinishedAttempts(1);
  } finally {
    await s.close();
  }
}

describe('a dataset that kills the process cannot stop the audit', () => {
  it('killed twice with ds5 in flight, then recorded as failed; the resume completes everything else', async () => {
    const first = await audit(['--catalog', portal.exportUrl, '--out', out, '--allow-private-network']);
    expect(first.signal).toBe('SIGKILL');
    expect((await attempts()).get(datasetKey(5, 'ds5'))).toBe(1);

    // The first resume audits each dataset that was in flight at the death alone: the second death is ds5's own.
    const second = await audit(['--resume']);
    expect(second.signal).toBe('SIGKILL');
    const after2 = await attempts();
    expect(after2.get(datasetKey(5, 'ds5'))).toBe(2);
    expect([...after2].filter(([k]) => k !== datasetKey(5, 'ds5')).every(([, n]) => n <= 1)).toBe(true);

    const third = await audit(['--resume']);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/Recorded as run 1 \(resumed\)/);
    // Asked for twice in all: never a third time.
    expect(poisonRequests).toBe(2);

    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as { datasets: DatasetResult[]; run: { status: string } };
    expect(results.run.status).toBe('complete');
    expect(results.datasets.map((d) => d.id)).toEqual(datasets.map((d) => d.id));
    const byId = new Map(results.datasets.map((d) => [d.id, d]));

    const ds5 = byId.get('ds5')!;
    const died = ds5.findings.find((f) => f.code === 'internal-error');
    expect(died?.detail).toEqual({ processDied: 2 });
    expect(died?.message).toMatch(/odbadge's process ended 2 times while auditing this dataset/);
    for (const id of ['link-valid', 'direct-download', 'structured', 'encoding-match', 'fields-match']) {
      expect(ds5.indicators[id].verdict, id).toBe('unsure');
      expect(ds5.indicators[id].evidence).toMatch(/process ended 2 times/);
    }
    expect(ds5.badge).toBe('none');

    const ds9 = byId.get('ds9')!;
    expect(ds9.findings.find((f) => f.code === 'internal-error')?.detail).toEqual({ sharesResourceWith: 'ds5' });
    expect(ds9.indicators['link-valid'].verdict).toBe('unsure');

    // Every other dataset is audited as usual.
    for (const d of results.datasets.filter((x) => x.id !== 'ds5' && x.id !== 'ds9')) {
      expect([d.id, d.badge, d.findings.map((f) => f.code)]).toEqual([d.id, 'gold', []]);
    }
    const s = SqliteStore.open(db, { create: false });
    try {
      expect((await s.listRuns()).map((r) => [r.status, r.datasets, r.resumes])).toEqual([['complete', N, 2]]);
      expect((await s.unfinishedAttempts(1)).size).toBe(0);
      expect(await s.integrityCheck()).toBe('ok');
    } finally {
      await s.close();
    }
  });
});
