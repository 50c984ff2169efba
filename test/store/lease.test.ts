// Run liveness by lease, not pid: a run held by a live process is never taken over (even stopped, even with a
// stale heartbeat); a killed one is resumable at once, whatever process now has its old pid; a run with no lock
// file to ask (an older odbadge's) is judged by its heartbeat. And the per-dataset attempt counts behind the
// poison-pill resume.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetResult } from '../../src/model.ts';
import { AuditHistory } from '../../src/store/audit-history.ts';
import { StoreError } from '../../src/store/errors.ts';
import { runLockPath } from '../../src/store/run-lock.ts';
import { APPLICATION_ID, MIGRATIONS } from '../../src/store/schema.ts';
import { datasetKey, HEARTBEAT_MS, SqliteStore as Store } from '../../src/store/store.ts';
import { LEASE_MS } from '../../src/store/history-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { RunLocks } from '../../src/store/pg-run-locks.ts';
import { havePostgres, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { pgQuery } from '../helpers/stores.ts';

const CHILD = resolve(__dirname, 'hold-run-child.ts');
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-lease-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts a child that creates (or claims) a run and holds it; resolves with the run id once it holds it. */
function holder(db: string, claim?: number): Promise<{ child: ChildProcess; runId: number }> {
  const child = spawn(process.execPath, [CHILD, db, ...(claim ? [String(claim)] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => rej(new Error(`holder did not start: ${err}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /HELD (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, runId: Number(m[1]) });
      }
    });
    child.once('exit', (code) => rej(new Error(`holder exited ${code}: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGKILL');
  });
}

/** Writes a column of a run as another program (or time) would. */
function setRun(db: string, id: number, sql: string, ...params: (number | string | null)[]) {
  const raw = new DatabaseSync(db);
  raw.prepare(`UPDATE runs SET ${sql} WHERE id = ?`).run(...params, id);
  raw.close();
}

async function claimError(s: Store, id: number): Promise<string> {
  try {
    await s.claimRun(id);
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return (e as Error).message;
  }
  return 'claimed';
}

describe('run liveness by lease', () => {
  it('a live run in another process is never taken over, even with a stale heartbeat and its process stopped', async () => {
    const db = join(dir, 'live.db');
    const { child, runId } = await holder(db);
    const s = Store.open(db);
    try {
      expect((await s.getRun(runId))!.status).toBe('running');
      expect(await claimError(s, runId)).toMatch(/still running in another process/);
      // A stopped process renews nothing; an hour-old heartbeat still does not make its run free to take.
      child.kill('SIGSTOP');
      setRun(db, runId, 'heartbeat_at = ?', Date.now() - 3_600_000);
      expect((await s.getRun(runId))!.status).toBe('running');
      expect(await claimError(s, runId)).toMatch(/still running/);
      expect((await s.prune(0)).deletedRuns).toEqual([]);
      child.kill('SIGCONT');
    } finally {
      await s.close();
    }
  });

  it('a SIGKILLed run is resumable at once, even when its old pid now belongs to a live process', async () => {
    const db = join(dir, 'killed.db');
    const { child, runId } = await holder(db);
    await killed(child);
    // The pid check would have called this run alive: the recorded pid is this test's own, very much alive.
    setRun(db, runId, 'pid = ?', process.pid);
    const s = Store.open(db);
    try {
      const before = (await s.getRun(runId))!;
      expect([before.storedStatus, before.status]).toEqual(['running', 'interrupted']);
      expect((await s.resumable())?.id).toBe(runId);
      const claimed = await s.claimRun(runId);
      expect([claimed.status, claimed.resumes, claimed.pid]).toEqual(['running', 1, process.pid]);
      // Held by this process now: another process cannot claim it.
      await expect(holder(db, runId)).rejects.toThrow(/still running in another process/);
      // Let go unfinished: the lock file stays and answers "nobody holds it"; once the run is over it goes.
      await s.releaseRun(runId);
      expect((await s.getRun(runId))!.status).toBe('interrupted');
      expect(existsSync(runLockPath(db, runId))).toBe(true);
      await s.claimRun(runId);
      await s.finishRun(runId, { status: 'complete', finishedAt: new Date().toISOString(), catalogComplete: true, catalogFindings: 0, stats: {}, bytes: 0, wireBytes: 0, agencies: [] });
      await s.releaseRun(runId);
      expect((await s.getRun(runId))!.status).toBe('complete');
      expect(existsSync(runLockPath(db, runId))).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('a run created by this process is running until released; closing the store releases it', async () => {
    const db = join(dir, 'own.db');
    const s = Store.open(db);
    const run = await s.createRun({ rulesetId: 'r', ruleset: {}, catalog: 'c', catalogKey: 'k', options: {}, startedAt: new Date().toISOString() });
    expect(run.status).toBe('running');
    expect(existsSync(runLockPath(db, run.id))).toBe(true);
    const reader = Store.open(db, { create: false });
    expect((await reader.getRun(run.id))!.status).toBe('running');
    await s.close();
    expect((await reader.getRun(run.id))!.status).toBe('interrupted');
    await reader.close();
  });

  it('without a lock file to ask (an older odbadge\'s run), the heartbeat decides: 15 s of silence frees the run', async () => {
    const db = join(dir, 'legacy.db');
    // A version-1 store, as the previous odbadge wrote it, with a run left 'running' by a process that is gone.
    const raw = new DatabaseSync(db);
    raw.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    raw.exec(MIGRATIONS[0].sqlite as string);
    raw.exec('PRAGMA user_version = 1');
    raw.prepare(`INSERT INTO runs (ruleset_id, ruleset, catalog, catalog_key, options, started_at, status, pid)
      VALUES ('r', '{}', 'c', 'k', '{}', '2026-01-01T00:00:00Z', 'running', ?)`).run(process.pid);
    raw.close();
    const s = Store.open(db);
    try {
      const run = (await s.getRun(1))!;
      // The upgrade gave it one lease from now: it may be a live older odbadge.
      expect(run.heartbeatAt).toBeGreaterThan(Date.now() - 60_000);
      expect(run.status).toBe('running');
      expect(await claimError(s, 1)).toMatch(/still running/);
      setRun(db, 1, 'heartbeat_at = ?', Date.now() - 14_000);
      expect((await s.getRun(1))!.status).toBe('running');
      setRun(db, 1, 'heartbeat_at = ?', Date.now() - 16_000);
      expect((await s.getRun(1))!.status).toBe('interrupted');
      expect((await s.claimRun(1)).status).toBe('running');
      // The holder renews its heartbeat; a takeover makes the renewal fail.
      expect(await s.renewLease(1)).toBe(true);
      setRun(db, 1, 'lease_owner = ?', 'someone else');
      expect(await s.renewLease(1)).toBe(false);
    } finally {
      await s.close();
    }
  });
});

describe.skipIf(!havePostgres)('run liveness on PostgreSQL: the holder\'s session lock', () => {
  let pgdb: TestPostgres;
  beforeAll(() => {
    pgdb = startPostgres();
  }, 60_000);
  afterAll(() => pgdb?.destroy());

  it('a SIGKILLed holder\'s run is interrupted and claimable at once, without waiting out its lease', async () => {
    const { child, runId } = await holder(pgdb.url);
    const s = await openStore(pgdb.url);
    try {
      expect((await s.getRun(runId))!.status).toBe('running');
      await expect(s.claimRun(runId)).rejects.toThrow(/still running in another process/);
      await killed(child);
      // Its heartbeat is fresh (renewed every 500 ms, LEASE_MS is 15 s): only the lock, gone with the session, tells.
      const after = (await s.getRun(runId))!;
      expect(Date.now() - after.heartbeatAt!).toBeLessThan(LEASE_MS);
      expect([after.storedStatus, after.status]).toEqual(['running', 'interrupted']);
      const claimed = await s.claimRun(runId);
      expect([claimed.status, claimed.resumes]).toEqual(['running', 1]);
      await expect(holder(pgdb.url, runId)).rejects.toThrow(/still running in another process/);
    } finally {
      await s.close();
    }
  });

  it('a run lock asked for twice at once (two renewals) is let go by one release', async () => {
    const locks = new RunLocks(pgdb.url);
    const other = new RunLocks(pgdb.url);
    try {
      expect(await Promise.all([locks.hold(9001), locks.hold(9001)])).toEqual([true, true]);
      expect(await other.hold(9001)).toBe(false);
      // Another run keeps the session open, so only the unlock can free 9001.
      await locks.hold(9002);
      await locks.release(9001);
      expect(await other.hold(9001)).toBe(true);
      expect(await locks.heldPid(9001)).toBeNull();
      expect(await locks.heldPid(9002)).toEqual(expect.any(Number));
    } finally {
      await locks.close();
      await other.close();
    }
  });

  it('right after a server restart a live holder is not taken over; it takes its lock back and stays live', async () => {
    const { child, runId } = await holder(pgdb.url);
    const s = await openStore(pgdb.url);
    try {
      pgdb.stop('fast');
      pgdb.start();
      // The restart dropped the holder's lock; its last heartbeat predates the server's start, so it still counts.
      expect((await s.getRun(runId))!.status).toBe('running');
      await expect(s.claimRun(runId)).rejects.toThrow(/still running in another process/);
      // Its next renewals reconnect, take the lock again and name the new session in the run's row.
      let relocked = false;
      for (let i = 0; i < 100 && !relocked; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const rows = await pgQuery(pgdb.url, `SELECT 1 FROM runs r JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objid = r.id::oid
          AND l.objsubid = 2 AND l.pid = r.lock_pid WHERE r.id = $1`, runId);
        relocked = rows.length === 1;
      }
      expect(relocked).toBe(true);
      expect((await s.getRun(runId))!.status).toBe('running');
      await expect(s.claimRun(runId)).rejects.toThrow(/still running in another process/);
      await killed(child);
      expect((await s.getRun(runId))!.status).toBe('interrupted');
    } finally {
      await s.close();
    }
  }, 60_000);
});

describe('the heartbeat of a running audit', () => {
  it('is renewed every 5 s; a session whose run was taken over is told to stop', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const db = join(dir, 'beat.db');
    const s = Store.open(db);
    try {
      vi.setSystemTime(new Date('2026-11-30T00:00:00Z'));
      const h = await AuditHistory.start(s, { rulesetId: 'r', ruleset: {}, catalog: 'c', catalogKey: 'k', options: {} });
      const lost: StoreError[] = [];
      h.keepAlive((e) => lost.push(e));
      expect((await s.getRun(h.run.id))!.heartbeatAt).toBe(Date.parse('2026-11-30T00:00:00Z'));
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      expect((await s.getRun(h.run.id))!.heartbeatAt).toBe(Date.parse('2026-11-30T00:00:05Z'));
      setRun(db, h.run.id, 'lease_owner = ?', 'another session');
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      expect(lost.map((e) => e.message)).toEqual([`run ${h.run.id} was taken over by another process; this session stops`]);
      await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
      expect(lost).toHaveLength(1);
      await h.end();
      expect((await s.getRun(h.run.id))!.status).toBe('interrupted');
    } finally {
      await s.close();
      vi.useRealTimers();
    }
  });
});

describe('per-dataset attempts', () => {
  it('count the sessions that started a dataset and did not record it; recording it clears the count', async () => {
    const s = Store.open(join(dir, 'attempts.db'));
    try {
      const run = await s.createRun({ rulesetId: 'r', ruleset: {}, catalog: 'c', catalogKey: 'k', options: {}, startedAt: new Date().toISOString() });
      await s.startAttempt(run.id, 0, 'd0');
      await s.startAttempt(run.id, 1, 'd1');
      // The same session asking again adds nothing; the next session (the run resumed) counts once more.
      await s.startAttempt(run.id, 1, 'd1');
      await s.releaseRun(run.id);
      await s.claimRun(run.id);
      await s.startAttempt(run.id, 1, 'd1');
      expect([...(await s.unfinishedAttempts(run.id))]).toEqual([[datasetKey(0, 'd0'), 1], [datasetKey(1, 'd1'), 2]]);
      const result: DatasetResult = {
        id: 'd1', title: 't', agency: 'a', badge: 'none', officialBadge: null, whitelisted: false, bonus: false, indicators: {}, findings: [], resources: [],
      };
      await s.saveDataset({ runId: run.id, idx: 1, result, contentChanged: null, resources: [] });
      expect([...(await s.unfinishedAttempts(run.id))]).toEqual([[datasetKey(0, 'd0'), 1]]);
      await s.finishRun(run.id, { status: 'complete', finishedAt: new Date().toISOString(), catalogComplete: true, catalogFindings: 0, stats: {}, bytes: 0, wireBytes: 0, agencies: [] });
      expect((await s.unfinishedAttempts(run.id)).size).toBe(0);
    } finally {
      await s.close();
    }
  });
});
