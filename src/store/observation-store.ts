// What observing one resource needs from history, and nothing more: the unit of work `observe(url, declared)`
// (src/pipeline/observer.ts) asks the store what it knew of a URL and tells it what it saw. In one process the
// SQLite store answers at once; a distributed worker (a PostgreSQL job queue) answers over the network, so every
// call may return a promise and the observer awaits each one.
import { createHash } from 'node:crypto';
import type { FetchOutcome, ResourceFacts } from '../model.ts';
import type { UrlState, UrlVerdict } from './store.ts';

/** One URL as an audit observed it: the fetch without its body, the facts, the content hash, what history says. */
export interface Observation {
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  /** sha256 of the decoded body (only with a store: it exists to compare with the next audit). */
  hash?: string;
  /** The facts are an earlier audit's (304, or the same content hash): nothing was inspected. */
  reused: boolean;
  verdict?: UrlVerdict;
}

type Promisable<T> = T | Promise<T>;

export interface ObservationStore {
  /** Stored state that may stand in for a fresh inspection of `url` declared as `declaredFormat`. */
  prior(url: string, declaredFormat: string | undefined): Promisable<UrlState | undefined>;
  /** What this run already recorded for `url` (a URL listed again after the in-memory dedupe forgot it). */
  recordedThisRun(url: string, declaredFormat: string | undefined): Promisable<Observation | undefined>;
  /** Records what this run saw at `url` and says whether its content changed. */
  record(url: string, o: Observation, declaredFormat: string | undefined, headers: Record<string, string>): Promisable<UrlVerdict>;
}

export function sha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** If-None-Match / If-Modified-Since from the stored validators. */
export function conditionalHeaders(p: UrlState | undefined): Record<string, string> | undefined {
  if (!p || (!p.etag && !p.lastModified)) return undefined;
  return { ...(p.etag ? { 'if-none-match': p.etag } : {}), ...(p.lastModified ? { 'if-modified-since': p.lastModified } : {}) };
}

/** A 304 to our conditional request: the stored fetch and facts stand, with this request's timing. */
export function reuseNotModified(p: UrlState, f: FetchOutcome): Observation {
  return { fetch: { ...p.fetch!, elapsedMs: f.elapsedMs }, facts: p.facts, hash: p.hash, reused: true };
}

/** A full body identical to the stored one: its stored facts, instead of inspecting it again. */
export function reuseSameContent(p: UrlState | undefined, f: FetchOutcome, hash: string): ResourceFacts | undefined {
  if (!p || p.hash !== hash || f.truncated || f.kind !== 'ok') return undefined;
  return p.facts;
}
