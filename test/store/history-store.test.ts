// The history store's behaviour, the same on both engines (SQLite file, PostgreSQL): runs and their leases, a
// dataset's result written once however often it is saved (a job retried by another worker), a URL's content change
// attributed once however many workers observe it, results read back in catalogue order, prune. PostgreSQL-only
// checks at the end: its schema table, foreign and newer databases, and the lease in the runs row.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetResult } from '../../src/model.ts';
import { AuditHistory } from '../../src/store/audit-history.ts';
import { StoreError } from '../../src/store/errors.ts';
import { datasetKey, LEASE_MS, type HistoryStore, type NewRun } from '../../src/store/history-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { DatabaseSync } from 'node:sqlite';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.ts';
import { agency, dataset, engineAvailable, okFetch, pgExec, startEngine, STORE_ENGINES, type StoreEngine } from '../helpers/stores.ts';

/** [position, dataset id] of a run's stored results, in the order the store gives them. */
async function positions(s: HistoryStore, runId: number): Promise<[number, string][]> {
  const out: [number, string][] = [];
  for await (const d of s.iterateRunDatasets(runId)) out.push([d.idx, d.id]);
  return out;
}

const newRun = (catalogKey = 'k'): NewRun => ({ rulesetId: 'tw-ndc-2017', ruleset: { id: 'tw-ndc-2017' }, catalog: 'c.csv', catalogKey, options: { out: '/o' }, startedAt: new Date().toISOString() });
const finish = { status: 'complete' as const, finishedAt: '2026-11-30T01:00:00.000Z', catalogComplete: true, catalogFindings: 0, stats: { resources: 2 }, bytes: 10, wireBytes: 8 };

async function openError(spec: string, create: boolean): Promise<StoreError> {
  try {
    await (await openStore(spec, { create })).close();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('opened');
}

describe.each(STORE_ENGINES)('history store on %s', (name) => {
  let engine: StoreEngine;
  let dir: string;
  const open: HistoryStore[] = [];
  /** A store on `spec` (a fresh one without), closed after the file's tests. */
  const store = async (spec?: string): Promise<[HistoryStore, string]> => {
    const s = spec ?? await engine.fresh();
    const st = await openStore(s, {});
    open.push(st);
    return [st, s];
  };

  beforeAll(async () => {
    if (!engineAvailable(name)) return;
    dir = await mkdtemp(join(tmpdir(), `odbadge-hs-${name}-`));
    engine = await startEngine(name, dir);
  }, 60_000);
  afterAll(async () => {
    for (const s of open) await s.close();
    await engine?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!engineAvailable(name))('a reader finds no store where none was made; once made, it keeps its runs', async () => {
    const spec = await engine.fresh();
    const missing = await openError(spec, false);
    expect(missing.kind).toBe('missing');
    expect(missing.message).toMatch(/^no history store at /);
    const [s] = await store(spec);
    expect(s.kind).toBe(name);
    const run = await s.createRun(newRun());
    await s.finishRun(run.id, { ...finish, agencies: [agency('甲', 60)] });
    await s.releaseRun(run.id);
    const reader = await openStore(spec, { create: false });
    try {
      expect((await reader.listRuns()).map((r) => [r.id, r.status, r.storedStatus, r.catalog, r.options.out, r.bytes])).toEqual([[1, 'complete', 'complete', 'c.csv', '/o', 10]]);
      expect(await reader.agencyScores(1)).toEqual([agency('甲', 60)]);
    } finally {
      await reader.close();
    }
  });

  it.skipIf(!engineAvailable(name))('a run is running while held, interrupted once let go, claimable then; complete runs filter by catalogue', async () => {
    const [a, spec] = await store();
    const [b] = await store(spec);
    const r1 = await a.createRun(newRun('k1'));
    expect([r1.id, r1.status, r1.resumes]).toEqual([1, 'running', 0]);
    // Another store (another worker, another process) sees it running and cannot take it.
    expect((await b.getRun(r1.id))!.status).toBe('running');
    await expect(b.claimRun(r1.id)).rejects.toThrow(/still running in another process/);
    expect(await b.resumable()).toBeUndefined();
    await a.releaseRun(r1.id);
    expect(await a.renewLease(r1.id)).toBe(false);
    expect((await b.getRun(r1.id))!.status).toBe('interrupted');
    expect((await b.resumable('k1'))?.id).toBe(r1.id);
    expect(await b.resumable('other')).toBeUndefined();
    const claimed = await b.claimRun(r1.id);
    expect([claimed.status, claimed.resumes]).toEqual(['running', 1]);
    expect(await b.renewLease(r1.id)).toBe(true);
    await expect(a.claimRun(r1.id)).rejects.toThrow(/still running in another process/);
    await b.finishRun(r1.id, { ...finish, agencies: [] });
    await b.releaseRun(r1.id);
    await expect(a.claimRun(r1.id)).rejects.toThrow(/already complete/);
    await expect(a.claimRun(99)).rejects.toThrow(/no run 99/);
    const r2 = await a.createRun(newRun('k2'));
    await a.finishRun(r2.id, { ...finish, agencies: [] });
    const r3 = await a.createRun(newRun('k1'));
    await a.finishRun(r3.id, { ...finish, agencies: [] });
    expect((await b.completeRuns()).map((r) => r.id)).toEqual([1, 2, 3]);
    expect((await b.completeRuns({ catalogKey: 'k1' })).map((r) => r.id)).toEqual([1, 3]);
    expect((await b.completeRuns({ beforeId: 3, catalogKey: 'k1' })).map((r) => r.id)).toEqual([1]);
    expect((await b.completeRuns({ last: 1 })).map((r) => r.id)).toEqual([3]);
    expect((await b.completeRuns({ rulesetId: 'other' })).map((r) => r.id)).toEqual([]);
    // Closing a store lets go of what it holds.
    const r4 = await a.createRun(newRun('k1'));
    await a.close();
    expect((await b.getRun(r4.id))!.status).toBe('interrupted');
  });

  it.skipIf(!engineAvailable(name))('a resumed run reads what earlier sessions stored alongside the catalogue: 600 results past the 256-row page, a changed position, a gap', async () => {
    const [a, spec] = await store();
    const run = await a.createRun(newRun('paged'));
    // Positions 0…599, except 300 (in flight when the session died); position 7 now lists another dataset.
    for (let i = 0; i < 600; i++) {
      if (i === 300) continue;
      await a.saveDataset({ runId: run.id, idx: i, result: dataset(`d${i}`, '甲', i % 2 ? 'gold' : 'none'), contentChanged: null, resources: [] });
    }
    await a.releaseRun(run.id);
    expect((await positions(a, run.id)).length).toBe(599);
    const [b] = await store(spec);
    const h = await AuditHistory.start(b, { rulesetId: 'tw-ndc-2017', ruleset: { id: 'tw-ndc-2017' }, catalog: 'c.csv', catalogKey: 'paged', options: {}, resumeRunId: run.id });
    const found: string[] = [];
    for (let i = 0; i < 601; i++) {
      const r = await h.storedResult(i, i === 7 ? 'new-at-7' : `d${i}`);
      if (r) found.push(`${r.id}:${r.badge}`);
    }
    expect(found).toHaveLength(598);
    expect(found.slice(0, 8)).toEqual(['d0:none', 'd1:gold', 'd2:none', 'd3:gold', 'd4:none', 'd5:gold', 'd6:none', 'd8:none']);
    expect(found).not.toContain('d300:none');
    expect(found.at(-1)).toBe('d599:gold');
    await expect(h.storedResult(5, 'd5')).rejects.toThrow(/out of order/);
    await h.end();
  });

  it.skipIf(!engineAvailable(name))('resourceStats sums what the run recorded, each URL once, in the database', async () => {
    const [a] = await store();
    const run = await a.createRun(newRun('stats'));
    expect(await a.resourceStats(run.id)).toEqual({ distinctUrls: 0, bytes: 0, requests: 0, retries: 0, reused: 0 });
    const res = (url: string, bytes: number, attempts: number, reused: boolean, message?: string) =>
      ({ url, fetch: { ...okFetch(url, bytes), attempts, ...(message ? { kind: 'network' as const, message } : {}) }, reused });
    await a.saveDataset({ runId: run.id, idx: 0, result: dataset('d0', '甲', 'gold'), contentChanged: null, resources: [res('http://x/a.csv', 100, 1, false), res('http://x/b.csv', 40, 3, false)] });
    // b.csv again (listed by two datasets: counted once), a reused one (no bytes), a failure whose message holds U+0000.
    await a.saveDataset({ runId: run.id, idx: 1, result: dataset('d1', '甲', 'gold'), contentChanged: null, resources: [res('http://x/b.csv', 40, 3, false), res('http://x/c.csv', 7000, 1, true), res('http://x/d.csv', 0, 2, false, 'reset by peer \u0000 at byte 0')] });
    expect(await a.resourceStats(run.id)).toEqual({ distinctUrls: 4, bytes: 140, requests: 7, retries: 3, reused: 1 });
  });

  it.skipIf(!engineAvailable(name))('a store of schema version 3 gets its resources\' bytes and attempts as columns from their fetch JSON', async () => {
    const spec = await engine.fresh();
    const fetchJson = (bytes: number, attempts: number, message = '') => JSON.stringify({ ...okFetch('http://x/', bytes), attempts, ...(message ? { message } : {}) });
    const rows: [string, string, number][] = [
      ['http://x/a.csv', fetchJson(100, 1), 0], ['http://x/b.csv', fetchJson(40, 3), 0], ['http://x/c.csv', fetchJson(7000, 1), 1],
      // PostgreSQL cannot read this one's JSON (an escaped U+0000): it keeps the defaults there (0 bytes, 1 attempt).
      ['http://x/d.csv', fetchJson(5, 2, 'bad \u0000 byte'), 0],
    ];
    const insert = `INSERT INTO run_resources (run_id, url, ${name === 'postgres' ? '"fetch"' : 'fetch'}, reused) VALUES (1, ?, ?, ?)`;
    const run = `INSERT INTO runs (ruleset_id, ruleset, catalog, catalog_key, options, started_at, status) VALUES ('r', '{}', 'c', 'k', '{}', '2026-01-01', 'complete')`;
    if (name === 'sqlite') {
      const raw = new DatabaseSync(spec);
      raw.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      for (const m of MIGRATIONS.slice(0, 3)) (typeof m.sqlite === 'string' ? raw.exec(m.sqlite) : m.sqlite(raw));
      raw.exec('PRAGMA user_version = 3');
      raw.exec(run);
      for (const r of rows) raw.prepare(insert).run(...r);
      raw.close();
    } else {
      await engine.exec(spec, `CREATE TABLE odbadge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO odbadge_meta VALUES ('application', 'odbadge'), ('schema_version', '3')`);
      for (const m of MIGRATIONS.slice(0, 3)) if (m.postgres.trim()) await engine.exec(spec, m.postgres);
      await engine.exec(spec, run);
      for (const r of rows) await engine.exec(spec, insert, ...r);
    }
    const [s] = await store(spec);
    expect(await s.resourceStats(1)).toEqual(name === 'sqlite'
      ? { distinctUrls: 4, bytes: 145, requests: 7, retries: 3, reused: 1 }
      : { distinctUrls: 4, bytes: 140, requests: 6, retries: 2, reused: 1 });
  });

  it.skipIf(!engineAvailable(name))('a dataset saved twice (a job retried elsewhere) is recorded once; a resource once per run', async () => {
    const [a, spec] = await store();
    const [b] = await store(spec);
    const run = await a.createRun(newRun());
    await a.startAttempt(run.id, 0, 'd0');
    await a.startAttempt(run.id, 1, 'd1');
    // Asked again by the same session (a call repeated after a lost reply): still one attempt of this session.
    await a.startAttempt(run.id, 1, 'd1');
    await b.startAttempt(run.id, 1, 'd1');
    expect([...await b.unfinishedAttempts(run.id)]).toEqual([[datasetKey(0, 'd0'), 1], [datasetKey(1, 'd1'), 2]]);
    const shared = { url: 'http://x/shared.csv', fetch: okFetch('http://x/shared.csv'), hash: 'h1', reused: false };
    const rec = (result: DatasetResult, idx: number) => ({ runId: run.id, idx, result, contentChanged: null, metadataUpdatedAt: '2026-01-01', resources: [shared], bytes: { bytes: 5 * (idx + 1), wireBytes: 4 } });
    // Two workers finishing the same job at once, and a late third write with another result.
    await Promise.all([a.saveDataset(rec(dataset('d0', '甲', 'gold'), 0)), b.saveDataset(rec(dataset('d0', '甲', 'gold'), 0))]);
    await b.saveDataset(rec(dataset('d0', '甲', 'none'), 0));
    await b.saveDataset(rec(dataset('d1', '乙', 'silver'), 1));
    expect((await a.runResults(run.id)).datasets.map((d) => [d.id, d.badge])).toEqual([['d0', 'gold'], ['d1', 'silver']]);
    expect((await engine.query(spec, 'SELECT url, content_hash, reused FROM run_resources WHERE run_id = ?', run.id)).map((r) => [r.url, r.content_hash, Number(r.reused)]))
      .toEqual([['http://x/shared.csv', 'h1', 0]]);
    expect(await positions(a, run.id)).toEqual([[0, 'd0'], [1, 'd1']]);
    expect((await a.getRun(run.id))!).toMatchObject({ datasets: 2, bytes: 10, wireBytes: 4 });
    expect((await a.unfinishedAttempts(run.id)).size).toBe(0);
    expect(await a.datasetMetadata(run.id, 'd1')).toEqual({ found: true, metadataUpdatedAt: '2026-01-01' });
    expect(await a.datasetMetadata(run.id, 'zz')).toEqual({ found: false });
    // A resumed run whose catalogue no longer lists d1 at position 1.
    expect(await a.retainDatasets(run.id, new Set([datasetKey(0, 'd0')]))).toBe(1);
    expect((await a.runResults(run.id)).datasets.map((d) => d.id)).toEqual(['d0']);
    await a.startAttempt(run.id, 5, 'd5');
    await a.finishRun(run.id, { ...finish, agencies: [] });
    expect((await a.unfinishedAttempts(run.id)).size).toBe(0);
    expect(await a.integrityCheck()).toBe('ok');
  });

  it.skipIf(!engineAvailable(name))('a content change is dated by the run that first saw it, and workers observing one URL at once agree', async () => {
    const [a, spec] = await store();
    const [b] = await store(spec);
    const url = 'http://x/data.csv';
    const r1 = await a.createRun({ ...newRun(), startedAt: '2026-11-01T00:00:00.000Z' });
    expect(await a.observeUrl(r1, { url, fetch: okFetch(url), hash: 'h1', declaredFormat: 'CSV', headers: { etag: '"v1"' } }, '2026-11-01T00:00:01Z'))
      .toEqual({ changedThisRun: false, seenBefore: false });
    await a.finishRun(r1.id, { ...finish, agencies: [] });
    expect(await b.urlState(url)).toMatchObject({ url, etag: '"v1"', hash: 'h1', declaredFormat: 'CSV', firstRun: 1, seenRun: 1 });
    const r2 = await a.createRun({ ...newRun(), startedAt: '2026-11-02T00:00:00.000Z' });
    const obs = { url, fetch: okFetch(url), hash: 'h2', declaredFormat: 'CSV', headers: {} };
    const seen = await Promise.all([a, b, a, b].map((s) => s.observeUrl(r2, obs, '2026-11-02T00:00:01Z')));
    for (const v of seen) expect(v).toEqual({ changedAt: '2026-11-02T00:00:00.000Z', changedThisRun: true, seenBefore: true });
    // Nothing received (a failure): what was known stays, and so does the change.
    expect(await b.observeUrl(r2, { url, fetch: { ...okFetch(url), kind: 'timeout' }, headers: {} }, '2026-11-02T00:00:02Z'))
      .toEqual({ changedAt: '2026-11-02T00:00:00.000Z', changedThisRun: true, seenBefore: true });
    expect(await a.urlState(url)).toMatchObject({ hash: 'h2', changedAt: '2026-11-02T00:00:00.000Z', changedRun: 2, seenRun: 2 });
    expect((await a.urlState(url))?.etag).toBeUndefined();
    // The store never holds a URL's secrets: it is keyed by the redacted URL.
    const secret = 'http://x/d.csv?api_key=s3cr3t';
    await a.observeUrl(r2, { url: secret, fetch: okFetch(secret), hash: 'h', headers: {} }, '2026-11-02T00:00:03Z');
    expect((await a.urlState(secret))?.url).toBe('http://x/d.csv?api_key=***');
  });

  it.skipIf(!engineAvailable(name))('results come back in catalogue order: whole, streamed, below a position, and by position; agency scores by name or as recorded', async () => {
    const [s] = await store();
    const run = await s.createRun(newRun());
    // Finished out of order, as a window of datasets in flight finishes them; ids with odd characters round-trip.
    const ids = ['c\u0000nul', '\u0001b', 'a'];
    for (const [idx, id] of [[2, ids[0]], [0, ids[1]], [1, ids[2]]] as const) {
      await s.saveDataset({ runId: run.id, idx, result: dataset(id, '甲', 'gold'), contentChanged: null, resources: [] });
    }
    const agencies = [agency('乙', 90), agency('甲', 80), agency('Ａ', 10)];
    await s.finishRun(run.id, { ...finish, agencies });
    expect((await s.runResults(run.id)).datasets.map((d) => d.id)).toEqual([ids[1], ids[2], ids[0]]);
    const streamed: string[] = [];
    for await (const d of s.iterateRunResults(run.id)) streamed.push(d.id);
    expect(streamed).toEqual([ids[1], ids[2], ids[0]]);
    const below: string[] = [];
    for await (const d of s.iterateRunResults(run.id, 2)) below.push(d.id);
    expect(below).toEqual([ids[1], ids[2]]);
    expect([await s.countRunResults(run.id), await s.countRunResults(run.id, 2), await s.countRunResults(run.id, 0)]).toEqual([3, 2, 0]);
    const rowids = await s.runResultRowids(run.id, 2);
    expect(rowids.length).toBe(2);
    expect((await s.runResultAt(rowids[1])).id).toBe(ids[2]);
    expect(await positions(s, run.id)).toEqual([[0, ids[1]], [1, ids[2]], [2, ids[0]]]);
    expect((await s.agencyScores(run.id)).map((a) => a.agency)).toEqual(['乙', '甲', 'Ａ']);
    expect((await s.agencyScores(run.id, 'recorded')).map((a) => a.agency)).toEqual(['乙', '甲', 'Ａ']);
    await s.finishRun(run.id, { ...finish, agencies: [agency('b', 1), agency('a', 2)] });
    expect((await s.agencyScores(run.id)).map((a) => a.agency)).toEqual(['a', 'b']);
    expect((await s.agencyScores(run.id, 'recorded')).map((a) => a.agency)).toEqual(['b', 'a']);
  });

  it.skipIf(!engineAvailable(name))('prune keeps the newest runs, never a live one, and the URL state a kept run uses', async () => {
    const [s, spec] = await store();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const run = await s.createRun(newRun());
      await s.observeUrl(run, { url: `http://x/${run.id}`, fetch: okFetch('http://x/'), hash: `h${run.id}`, headers: {} }, run.startedAt);
      await s.saveDataset({ runId: run.id, idx: 0, result: dataset('d1', '甲', 'gold'), contentChanged: null, resources: [] });
      await s.finishRun(run.id, { ...finish, agencies: [agency('甲', 100)] });
      ids.push(run.id);
    }
    const [other] = await store(spec);
    const live = await other.createRun(newRun());
    // The live run counts among the kept ones and is never deleted.
    expect(await s.prune(2)).toEqual({ deletedRuns: ids.slice(0, 3), urlsDropped: 3 });
    expect((await s.listRuns()).map((r) => r.id)).toEqual([ids[3], live.id]);
    expect((await s.runResults(ids[0])).datasets).toEqual([]);
    expect(await s.urlState(`http://x/${ids[0]}`)).toBeUndefined();
    expect((await s.urlState(`http://x/${ids[3]}`))?.hash).toBe(`h${ids[3]}`);
    expect(await s.integrityCheck()).toBe('ok');
    // A run that recorded nothing worth keeping goes with discardRun.
    await other.discardRun(live.id);
    expect((await s.listRuns()).map((r) => r.id)).toEqual([ids[3]]);
  });

  describe.skipIf(name !== 'postgres' || !engineAvailable(name))('PostgreSQL only', () => {
    it('keeps its schema version in odbadge_meta; opening a fresh database from several processes at once migrates it once', async () => {
      const spec = await engine.fresh();
      const stores = await Promise.all([0, 1, 2].map(() => openStore(spec, {})));
      for (const s of stores) open.push(s);
      const runs = await Promise.all(stores.map((s) => s.createRun(newRun())));
      expect(runs.map((r) => r.id).sort()).toEqual([1, 2, 3]);
      await engine.exec(spec, `UPDATE odbadge_meta SET value = ? WHERE key = 'schema_version'`, String(SCHEMA_VERSION + 1));
      const newer = await openError(spec, false);
      expect([newer.kind, newer.message]).toEqual(['newer-schema', expect.stringMatching(/newer than this odbadge understands/)]);
    });

    it("refuses another program's database", async () => {
      const spec = await engine.fresh();
      await pgExec(spec, 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
      const e = await openError(spec, true);
      expect([e.kind, e.message]).toEqual(['foreign', expect.stringMatching(/is a PostgreSQL database but not an odbadge history store/)]);
    });

    it('the lease is in the runs row: a session that stopped renewing for LEASE_MS loses its run to a claim, and its renewal then fails', async () => {
      const [a, spec] = await store();
      const [b] = await store(spec);
      const run = await a.createRun(newRun());
      await engine.exec(spec, `UPDATE runs SET heartbeat_at = heartbeat_at - ? WHERE id = ?`, LEASE_MS - 2_000, run.id);
      expect((await b.getRun(run.id))!.status).toBe('running');
      await expect(b.claimRun(run.id)).rejects.toThrow(/still running in another process/);
      await engine.exec(spec, `UPDATE runs SET heartbeat_at = heartbeat_at - ? WHERE id = ?`, 4_000, run.id);
      expect((await b.getRun(run.id))!.status).toBe('interrupted');
      expect((await b.claimRun(run.id)).resumes).toBe(1);
      expect(await a.renewLease(run.id)).toBe(false);
      expect(await b.renewLease(run.id)).toBe(true);
    });
  });
});
