// The resource observer: the unit of work of an audit, and the only part of the pipeline that talks to the store.
//
//   observe(url, declaredFormat) → Observation { fetch outcome without its body, facts, content hash, reused, verdict }
//
// One GET (conditional when history has validators), the body hashed and inspected — or the stored facts reused when
// the server says 304 or the content hash is unchanged — every text scrubbed of the URL's secrets, the body's memory
// released, and what was seen recorded. `observeResource` is that unit as a function of its dependencies (a fetcher,
// an inspector, an ObservationStore): a worker thread inspects for it today, and a distributed worker can run it as
// one job. `Observer` is one audit session around it: each distinct URL observed once (in flight or recently done),
// API documents validated once, counters for the progress line and the run's statistics.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import pLimit from 'p-limit';
import type { FetchOutcome } from '../model.ts';
import type { InspectLimits } from '../inspect/limits.ts';
import type { OasCheck } from '../rules/rule.ts';
import { inspectionFailed } from '../inspect/failed.ts';
import {
  conditionalHeaders, reuseNotModified, reuseSameContent, sha256, type Observation, type ObservationStore,
} from '../store/observation-store.ts';
import { hasSecrets, redactDeep, redactUrl, urlSecrets } from '../util/redact.ts';
import { WorkerDied, type Inspector } from './inspect-pool.ts';

/** What observing needs from the fetcher. */
export interface ResourceFetcher {
  fetch(url: string, o?: { headers?: Record<string, string> }): Promise<FetchOutcome>;
  /** The body has been inspected: its memory budget goes back, its spill file is deleted. */
  release(outcome: FetchOutcome): Promise<void>;
}

export interface ObserveContext {
  fetcher: ResourceFetcher;
  inspector: Inspector;
  /** History: conditional requests, reuse of stored facts, and the record of what was seen. */
  store?: ObservationStore;
  /** Secrets of the run's own URLs (catalogue, API base): scrubbed from everything observed, as the URL's own are. */
  runSecrets: string[];
  /**
   * Stored state is ambiguous for this URL (another URL differing only in a secret shares its redacted key): no
   * conditional request, no reuse.
   */
  ambiguous?: boolean;
  /** Inspection limits over ODBADGE_LIMITS and the defaults (`--limit`). */
  limits?: Partial<InspectLimits>;
}

/**
 * Spilled bodies are the large ones: at most two are inspected at once (one per core of a small auditor), so their
 * inspection memory stays bounded however many of them finished downloading together.
 */
export const SPILLED_INSPECTIONS = 2;
const spilledLimit = pLimit(SPILLED_INSPECTIONS);

/** Drops the body (inspected) so thousands of outcomes do not hold megabytes each. */
export function withoutBody(f: FetchOutcome): FetchOutcome {
  const { body: _body, bodyFile: _file, ...rest } = f;
  return rest;
}

/** SHA-256 (hex) of a spilled body, read streaming: the same digest the store takes of one in memory. */
async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The unit of work: observe one URL (see the top of this file). Never throws for trouble with the resource. */
export async function observeResource(ctx: ObserveContext, url: string, declaredFormat: string | undefined): Promise<Observation> {
  const store = ctx.store;
  const prior = ctx.ambiguous || !store ? undefined : await store.prior(url, declaredFormat);
  const headers = store ? conditionalHeaders(prior) : undefined;
  const f = await ctx.fetcher.fetch(url, headers ? { headers } : {});
  let out: Observation;
  try {
    if (prior && headers && f.status === 304) {
      out = reuseNotModified(prior, f);
    } else {
      let facts: Observation['facts'];
      let hash: string | undefined;
      let reused = false;
      if (f.kind === 'ok' || f.kind === 'too-large') {
        const file = f.bodyFile;
        if (store) {
          hash = file ? await sha256File(file) : sha256(f.body ?? new Uint8Array(0));
          facts = reuseSameContent(prior, f, hash);
          reused = !!facts;
        }
        if (!facts) {
          const job = { contentType: f.contentType, url: f.finalUrl, declaredFormat, truncated: f.truncated, ...(ctx.limits ? { limits: ctx.limits } : {}) };
          try {
            facts = file
              ? await spilledLimit(() => ctx.inspector.inspect({ ...job, bodyFile: file }))
              : await ctx.inspector.inspect({ ...job, body: f.body ?? new Uint8Array(0) });
          } catch (e) {
            // Only the worker's death is the body's fault; anything else (a spill file gone) fails the dataset.
            if (!(e instanceof WorkerDied)) throw e;
            facts = inspectionFailed(e);
          }
        }
      }
      // The fetcher redacts what it reports; facts quote the body, which may echo a token back. Both are kept
      // (in memory, and in the store) only scrubbed of this URL's secrets.
      const secrets = [...urlSecrets(url), ...ctx.runSecrets];
      out = { fetch: redactDeep(withoutBody(f), secrets), facts: redactDeep(facts, secrets), hash, reused };
    }
  } finally {
    // Inspected (the worker is done with it): the body's share of the memory budget goes back, its spill file goes.
    await ctx.fetcher.release(f);
  }
  if (store) out.verdict = await store.record(url, out, declaredFormat, f.headers);
  return out;
}

/**
 * Recent values by key, oldest evicted first. Shared URLs are mostly adjacent in a catalogue, so a bounded window of
 * recent ones keeps the dedupe without holding every outcome of a 150,000-resource audit until the end.
 */
class Lru<V> {
  readonly #map = new Map<string, V>();
  readonly #capacity: number;
  constructor(capacity: number) {
    this.#capacity = capacity;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.#map.delete(key);
    this.#map.set(key, v);
    if (this.#map.size > this.#capacity) this.#map.delete(this.#map.keys().next().value!);
  }
  /** Forgets `key` if it still holds `v`. */
  forget(key: string, v: V): void {
    if (this.#map.get(key) === v) this.#map.delete(key);
  }
}

/**
 * A 53-bit fingerprint of a URL (two FNV-1a hashes): the session's set of distinct URLs holds numbers, not strings,
 * so 150,000 URLs cost ~3 MB instead of ~30. Two URLs share one by chance with probability ~n²/2⁵⁴ (≈ 10⁻⁶ for a
 * whole portal); the cost of that is one URL counted once and asked of the store as already seen.
 */
function fingerprint(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

export interface ObserverOptions extends Omit<ObserveContext, 'ambiguous'> {
  /** How many recent URLs (in flight or done) the dedupe remembers. */
  recent: number;
  /**
   * Other processes observe this run too (a distributed audit): the store is asked what the run already recorded
   * before every URL this session has not observed, so a URL listed by datasets on two workers is fetched once.
   */
  shared?: boolean;
}

export interface ObserverStats {
  /** Resources observed (distinct URLs, once each, however many datasets list them). */
  resourcesDone: number;
  /** Of those, the ones whose fetch did not succeed. */
  failures: number;
  /** Of those, the ones whose facts an earlier audit's stood in for (304 or same hash). */
  reused: number;
}

/** One audit session's observer: every distinct URL observed once (see the top of this file). */
export class Observer {
  readonly #ctx: ObserverOptions;
  readonly #byUrl: Lru<Promise<Observation>>;
  readonly #oasByUrl = new Lru<Promise<OasCheck>>(256);
  /** Distinct URLs asked for in this session (fingerprints): for distinctUrls, and to know what the store holds. */
  readonly #sessionUrls = new Set<number>();
  // The store keys per-URL state by the redacted URL, so two URLs that differ only in a secret share a key. The first
  // real URL seen for a key owns it; once another one shows up, stored state under that key is ambiguous and
  // neither is asked for conditionally nor reuses stored facts in this session.
  readonly #keyOwner = new Map<string, string>();
  readonly #sharedKeys = new Set<string>();
  readonly stats: ObserverStats = { resourcesDone: 0, failures: 0, reused: 0 };

  constructor(o: ObserverOptions) {
    this.#ctx = o;
    this.#byUrl = new Lru(o.recent);
  }

  /** Distinct URLs observed in this session. */
  get distinctUrls(): number {
    return this.#sessionUrls.size;
  }

  #ambiguous(url: string): boolean {
    if (!hasSecrets(url)) return false;
    const key = redactUrl(url);
    const owner = this.#keyOwner.get(key);
    if (owner === undefined) this.#keyOwner.set(key, url);
    else if (owner !== url) this.#sharedKeys.add(key);
    return this.#sharedKeys.has(key);
  }

  /** The observation of `url`: shared with every dataset listing it while it is in flight or recent. */
  observe(url: string, declaredFormat: string | undefined): Promise<Observation> {
    let p = this.#byUrl.get(url);
    if (!p) {
      const print = fingerprint(url);
      const seen = this.#sessionUrls.has(print);
      this.#sessionUrls.add(print);
      p = this.#observe(url, declaredFormat, seen);
      this.#byUrl.set(url, p);
      // A failure (the store unreachable) is not an observation: the next ask, a retry of the dataset, tries again.
      const failed = p;
      failed.catch(() => this.#byUrl.forget(url, failed));
    }
    return p;
  }

  async #observe(url: string, declaredFormat: string | undefined, seenThisSession: boolean): Promise<Observation> {
    const ambiguous = this.#ambiguous(url);
    // Further back than the dedupe remembers, the store's state of this run stands in; without a store, a URL listed
    // again far apart is fetched again.
    const again = (seenThisSession || this.#ctx.shared) && !ambiguous ? await this.#ctx.store?.recordedThisRun(url, declaredFormat) : undefined;
    if (again) return again;
    const o = await observeResource({ ...this.#ctx, ambiguous }, url, declaredFormat);
    this.stats.resourcesDone++;
    if (o.fetch.kind !== 'ok') this.stats.failures++;
    if (o.reused) this.stats.reused++;
    return o;
  }

  /** Fetches and validates a declared OpenAPI document, once per URL among the recent ones. */
  checkOas(url: string): Promise<OasCheck> {
    let p = this.#oasByUrl.get(url);
    if (!p) {
      p = (async () => {
        const f = await this.#ctx.fetcher.fetch(url);
        try {
          if (f.kind !== 'ok' || (!f.body && !f.bodyFile)) return { url, fetch: withoutBody(f) };
          let report: OasCheck['report'];
          try {
            report = await this.#ctx.inspector.validateOpenApi({ ...(f.bodyFile ? { bodyFile: f.bodyFile } : { body: f.body! }), filename: redactUrl(url) });
          } catch (e) {
            if (!(e instanceof WorkerDied)) throw e;
            report = { valid: false, errors: [{ pointer: '', message: `could not validate: ${e.message}` }] };
          }
          return { url, fetch: withoutBody(f), report };
        } finally {
          await this.#ctx.fetcher.release(f);
        }
      })();
      this.#oasByUrl.set(url, p);
    }
    return p;
  }
}
