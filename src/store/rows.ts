// Rows as both engines return them, turned into the store's types: one reading of every column for SQLite and
// PostgreSQL (BIGINT columns arrive as numbers from both; see pg-store.ts).
import type { FetchOutcome, ResourceFacts } from '../model.ts';
import { jsonText } from '../util/json-text.ts';
import { LEASE_MS, type RunInfo, type ResourceStats, type RunStatus, type UrlObservation, type UrlState, type UrlVerdict } from './history-store.ts';

export type Row = Record<string, unknown>;

export const json = (v: unknown): string => jsonText(v);
export const parse = <T>(v: unknown): T | undefined => (typeof v === 'string' ? (JSON.parse(v) as T) : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);

/** A heartbeat renewed less than a lease ago (`now`: the clock the heartbeat was written by). */
export function heartbeatFresh(at: number | undefined, now = Date.now()): boolean {
  return at !== undefined && now - at < LEASE_MS;
}

export function toRun(r: Row, status: RunStatus): RunInfo {
  const storedStatus = String(r.status) as RunStatus;
  const pid = num(r.pid);
  return {
    id: num(r.id)!,
    rulesetId: String(r.ruleset_id),
    ruleset: parse(r.ruleset),
    catalog: String(r.catalog),
    catalogKey: String(r.catalog_key),
    options: parse<Record<string, unknown>>(r.options) ?? {},
    startedAt: String(r.started_at),
    ...(str(r.finished_at) ? { finishedAt: str(r.finished_at) } : {}),
    storedStatus,
    status,
    ...(pid !== undefined ? { pid } : {}),
    ...(num(r.heartbeat_at) !== undefined ? { heartbeatAt: num(r.heartbeat_at) } : {}),
    ...(num(r.previous_run_id) !== undefined ? { previousRunId: num(r.previous_run_id) } : {}),
    ...(r.catalog_complete === null || r.catalog_complete === undefined ? {} : { catalogComplete: num(r.catalog_complete) === 1 }),
    ...(str(r.catalog_error) ? { catalogError: str(r.catalog_error) } : {}),
    catalogFindings: num(r.catalog_findings) ?? 0,
    resumes: num(r.resumes) ?? 0,
    ...(parse(r.stats) ? { stats: parse<Record<string, number>>(r.stats) } : {}),
    bytes: num(r.bytes) ?? 0,
    wireBytes: num(r.wire_bytes) ?? 0,
    datasets: num(r.n) ?? 0,
  };
}

export function toUrlState(r: Row, url: string): UrlState {
  return {
    url, etag: str(r.etag), lastModified: str(r.last_modified), hash: str(r.content_hash), declaredFormat: str(r.declared_format) ?? '',
    fetch: parse<FetchOutcome>(r.fetch), facts: parse<ResourceFacts>(r.facts), firstRun: num(r.first_run)!, seenRun: num(r.seen_run)!,
    changedAt: str(r.changed_at), changedRun: num(r.changed_run),
  };
}

/** ResourceStats from the sums both engines compute (NULL sums: a run without resources). */
export function resourceStats(r: Row | undefined): ResourceStats {
  const urls = num(r?.urls) ?? 0;
  const requests = num(r?.requests) ?? 0;
  return { distinctUrls: urls, bytes: num(r?.bytes) ?? 0, requests, retries: requests - urls, reused: num(r?.reused) ?? 0 };
}

/** What observeUrl writes to a URL's row: a new row, only "seen again", or the new content's state. */
export type UrlWrite =
  | { kind: 'insert'; etag: string | null; lastModified: string | null; hash: string | null; declaredFormat: string; fetch: string | null; facts: string | null }
  | { kind: 'touch' }
  | {
    kind: 'update'; etag: string | null; lastModified: string | null; hash: string; declaredFormat: string; fetch: string; facts: string | null;
    changedAt: string | null; changedRun: number | null;
  };

/**
 * The one rule of observeUrl for both engines, given the URL's stored state (read under the row's lock): safe to
 * repeat within a run (a resumed run re-fetches what its killed session fetched), a change is attributed to the run
 * that first saw it. `o.url` is already redacted.
 */
export function urlObservation(prev: UrlState | undefined, run: { id: number; startedAt: string }, o: UrlObservation): { write: UrlWrite; verdict: UrlVerdict } {
  const fmt = o.declaredFormat ?? '';
  if (!prev) {
    return {
      write: {
        kind: 'insert', etag: o.hash ? o.headers.etag ?? null : null, lastModified: o.hash ? o.headers['last-modified'] ?? null : null, hash: o.hash ?? null,
        declaredFormat: fmt, fetch: o.hash ? json(o.fetch) : null, facts: o.hash && o.facts ? json(o.facts) : null,
      },
      verdict: { changedThisRun: false, seenBefore: false },
    };
  }
  const seenBefore = prev.firstRun < run.id && prev.hash !== undefined;
  // Nothing received this time: keep what we knew of the content for the next audit.
  if (!o.hash) return { write: { kind: 'touch' }, verdict: { changedAt: prev.changedAt, changedThisRun: prev.changedRun === run.id, seenBefore } };
  const changed = prev.hash !== undefined && prev.hash !== o.hash;
  const changedAt = changed ? run.startedAt : prev.changedAt;
  const changedRun = changed ? run.id : prev.changedRun;
  return {
    write: {
      kind: 'update', etag: o.headers.etag ?? (changed ? null : prev.etag ?? null), lastModified: o.headers['last-modified'] ?? (changed ? null : prev.lastModified ?? null),
      hash: o.hash, declaredFormat: fmt, fetch: json(o.fetch), facts: o.facts ? json(o.facts) : null, changedAt: changedAt ?? null, changedRun: changedRun ?? null,
    },
    verdict: { changedAt, changedThisRun: changedRun === run.id, seenBefore },
  };
}
