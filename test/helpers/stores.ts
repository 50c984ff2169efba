// The history store's two engines for tests that must hold for both (describe.each over STORE_ENGINES): a fresh,
// empty store of each, and a way to write a run's columns as another program (or time) would. PostgreSQL is a
// real server (helpers/postgres.ts), one per test file, with a new database per store.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { AgencyScore, DatasetResult } from '../../src/model.ts';
import type { HistoryStore } from '../../src/store/history-store.ts';
import { havePostgres, startPostgres, type TestPostgres } from './postgres.ts';

export type EngineName = 'sqlite' | 'postgres';

export const STORE_ENGINES: EngineName[] = ['sqlite', 'postgres'];

/** PostgreSQL is installed here and in CI; only where it is not is its half skipped. */
export const engineAvailable = (e: EngineName): boolean => e === 'sqlite' || havePostgres;

export interface StoreEngine {
  name: EngineName;
  /** The spec (`--db`) of a new, empty store. */
  fresh(): Promise<string>;
  /** Runs SQL on the store as another program would (`?` placeholders, in order). */
  exec(spec: string, sql: string, ...params: (number | string | null)[]): Promise<void>;
  /** Reads the store's tables as another program would (`?` placeholders, in order). */
  query(spec: string, sql: string, ...params: (number | string | null)[]): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

let n = 0;

export async function startEngine(name: EngineName, dir: string): Promise<StoreEngine> {
  if (name === 'sqlite') {
    return {
      name,
      fresh: async () => join(dir, `store-${++n}.db`),
      exec: async (spec, sql, ...params) => {
        const raw = new DatabaseSync(spec);
        try {
          raw.prepare(sql).run(...params);
        } finally {
          raw.close();
        }
      },
      query: async (spec, sql, ...params) => {
        const raw = new DatabaseSync(spec);
        try {
          return raw.prepare(sql).all(...params) as Record<string, unknown>[];
        } finally {
          raw.close();
        }
      },
      stop: async () => {},
    };
  }
  const server: TestPostgres = startPostgres();
  return {
    name,
    fresh: async () => {
      const db = `t${++n}`;
      await pgExec(server.url, `CREATE DATABASE ${db}`);
      return databaseUrl(server.url, db);
    },
    exec: (spec, sql, ...params) => {
      let i = 0;
      return pgExec(spec, sql.replace(/\?/g, () => `$${++i}`), ...params);
    },
    query: (spec, sql, ...params) => {
      let i = 0;
      return pgQuery(spec, sql.replace(/\?/g, () => `$${++i}`), ...params);
    },
    stop: async () => server.destroy(),
  };
}

/** The same server's URL with another database. */
export function databaseUrl(url: string, db: string): string {
  return url.replace(/\/odbadge\?/, `/${db}?`);
}

export async function pgExec(url: string, sql: string, ...params: unknown[]): Promise<void> {
  await pgQuery(url, sql, ...params);
}

export async function pgQuery(url: string, sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

export const dataset = (id: string, agency: string, badge: string): DatasetResult => ({
  id, title: `資料集 ${id}`, agency, badge, officialBadge: null, whitelisted: false, bonus: false,
  indicators: { 'link-valid': { verdict: badge === 'none' ? 'fail' : 'pass', evidence: 'HTTP 200' } }, findings: [], resources: [],
});

export const agency = (name: string, score: number): AgencyScore => ({ agency: name, datasets: 1, badges: {}, bonusDatasets: 0, bonus: 0, score });

export const okFetch = (url: string, bytes = 3) => ({
  url, finalUrl: url, kind: 'ok' as const, transient: false, redirects: [], headers: {}, truncated: false, bytes, attempts: 1, elapsedMs: 1,
});

/** A run with one dataset per agency, written the way runAudit writes it. */
export async function addRun(s: HistoryStore, badge: string, score: number): Promise<number> {
  const run = await s.createRun({ rulesetId: 'tw-ndc-2017', ruleset: { tiers: [{ id: 'bronze' }, { id: 'silver' }, { id: 'gold' }] }, catalog: 'c.csv', catalogKey: 'k', options: {}, startedAt: new Date().toISOString() });
  const fetch = okFetch('http://x/a');
  await s.observeUrl(run, { url: `http://x/${run.id}`, fetch, hash: `h${run.id}`, headers: {} }, run.startedAt);
  await s.saveDataset({ runId: run.id, idx: 0, result: dataset('d1', '甲', badge), contentChanged: null, resources: [{ url: `http://x/${run.id}`, fetch, reused: false }] });
  await s.finishRun(run.id, { status: 'complete', finishedAt: new Date().toISOString(), catalogComplete: true, catalogFindings: 0, stats: {}, bytes: 3, wireBytes: 3, agencies: [agency('甲', score)] });
  await s.releaseRun(run.id);
  return run.id;
}
