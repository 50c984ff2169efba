// Issue 10/11, resume from the command line: a live audit is never joined or taken over; a SIGKILLed one resumes at
// once (its pid no longer matters); `--resume --catalog X --out D` with nothing of X to resume starts the audit and
// says so; a catalogue that cannot be read leaves no run to resume.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/store.ts';
import { CLI, odbadge } from '../helpers/cli.ts';
import { startFixturePortal, type FixtureDataset } from '../helpers/portal-fixture.ts';

const N = 6;
const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
const datasets: FixtureDataset[] = Array.from({ length: N }, (_, i) => ({
  id: `ds${i}`, title: `資料集${i}`, agency: `機關${i % 2}`, fields: '村名、人口', resources: [{ path: `/r/${i}`, format: 'CSV' }],
}));

/** While set, the request for /r/<stall> is held until released. */
let stall: number | undefined;
let held: (() => void)[] = [];
let stalled: () => void = () => {};
const routes = Object.fromEntries(Array.from({ length: N }, (_, i) => [`/r/${i}`, (_req: unknown, res: ServerResponse) => {
  const send = () => res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(`${CSV}第${i}里,${i}\r\n`);
  if (stall !== i) return send();
  held.push(send);
  stalled();
}]));

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;

beforeAll(async () => {
  portal = await startFixturePortal(datasets, routes);
  dir = await mkdtemp(join(tmpdir(), 'odbadge-resume-cli-'));
});

afterAll(async () => {
  for (const f of held.splice(0)) f();
  await portal?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts an audit child that stalls on resource `at`; resolves once it is stalled there. */
async function stalledAudit(db: string, out: string, at: number, extra: string[] = []): Promise<ChildProcess> {
  stall = at;
  const seen = new Promise<void>((r) => (stalled = r));
  const child = spawn(process.execPath, [CLI, 'audit', '--catalog', portal.exportUrl, '--out', out, '--db', db, '--allow-private-network', '--quiet', ...extra], { stdio: 'ignore' });
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.once('exit', () => clearTimeout(guard));
  await seen;
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGKILL');
  await gone;
  stall = undefined;
  for (const f of held.splice(0)) f();
}

async function runs(db: string) {
  const s = SqliteStore.open(db, { create: false });
  try {
    return (await s.listRuns()).map((r) => ({ id: r.id, status: r.status, resumes: r.resumes, datasets: r.datasets, agency: r.options.agency }));
  } finally {
    await s.close();
  }
}

describe('resume and run liveness from the CLI', () => {
  it('a live audit is neither resumed nor joined; right after SIGKILL it resumes at once, whatever its old pid now is', async () => {
    const db = join(dir, 'live.db');
    const out = join(dir, 'live');
    const child = await stalledAudit(db, out, 3);
    try {
      const r = await odbadge(['audit', '--resume', '--db', db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/run 1 of .* is still running in another process/);
      const joined = await odbadge(['audit', '--resume', '--catalog', portal.exportUrl, '--out', join(dir, 'other'), '--db', db]);
      expect(joined.code).toBe(2);
      expect(joined.stderr).toMatch(/run 1 of .* is still running in another process/);
      expect((await runs(db)).map((x) => x.status)).toEqual(['running']);
    } finally {
      await kill(child);
    }
    // The pid check would call this run alive for as long as the process now holding that pid lives.
    const raw = new DatabaseSync(db);
    raw.prepare('UPDATE runs SET pid = ?').run(process.pid);
    raw.close();
    const r = await odbadge(['audit', '--resume', '--db', db]); // not --quiet: that prints nothing but errors and warnings (issue 11)
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Recorded as run 1 \(resumed\)/);
    expect(await runs(db)).toEqual([{ id: 1, status: 'complete', resumes: 1, datasets: N, agency: undefined }]);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.datasets.map((d: { badge: string }) => d.badge)).toEqual(Array(N).fill('gold'));
  });

  it('--resume --catalog X --out D with nothing of X to resume starts the audit and says so in one line', async () => {
    const db = join(dir, 'start.db');
    // An interrupted audit of another catalogue key (the same portal, one agency): not X's to resume.
    await kill(await stalledAudit(db, join(dir, 'agency'), 2, ['--agency', '機關0']));
    const out = join(dir, 'started');
    const r = await odbadge(['audit', '--resume', '--catalog', portal.exportUrl, '--out', out, '--db', db, '--allow-private-network', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /to resume|--resume/.test(l));
    expect(lines).toEqual([`odbadge: no interrupted audit of ${portal.exportUrl} to resume in ${db}; starting a new audit`]);
    expect(await runs(db)).toEqual([
      { id: 1, status: 'interrupted', resumes: 0, datasets: expect.any(Number), agency: '機關0' },
      { id: 2, status: 'complete', resumes: 0, datasets: N, agency: undefined },
    ]);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.datasets).toHaveLength(N);

    // Without --out there is nowhere to start it: a usage error that says what to add.
    const empty = join(dir, 'empty.db');
    const noOut = await odbadge(['audit', '--resume', '--catalog', portal.exportUrl, '--db', empty]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/no interrupted audit of .* to resume .*; give --out as well to start one/);
  });

  it('a catalogue that cannot be read leaves no run behind and does not advise --resume', async () => {
    const db = join(dir, 'unreadable.db');
    for (const catalog of [join(dir, 'no-such-export.csv'), `${portal.base}/no/such/export.csv`]) {
      const r = await odbadge(['audit', '--catalog', catalog, '--out', join(dir, 'unreadable'), '--db', db, '--allow-private-network']);
      expect(r.code, catalog).toBe(3);
      expect(r.stderr).toMatch(/cannot read the catalogue/);
      expect(r.stderr).not.toMatch(/--resume/);
    }
    expect(await runs(db)).toEqual([]);
    const resume = await odbadge(['audit', '--resume', '--db', db]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/no interrupted audit to resume/);
  });
});
