// The one HTTP client of odbadge: every resource is downloaded once, streamed and bounded, and every failure
// comes back as a FetchOutcome (this class never throws for network or HTTP trouble).
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { EnvHttpProxyAgent } from 'undici';
import type { FetchKind, FetchOutcome } from '../model.ts';
import { classifyError, classifyStatus, parseRetryAfter } from './classify.ts';
import type { Classified } from './classify.ts';
import { BodyBudget } from './body-budget.ts';
import { BodySink, type KeptBody } from './body-sink.ts';
import { HostBreaker } from './breaker.ts';
import { parseContentEncoding, readBody } from './decode.ts';
import type { BodyRead, WireMeter } from './decode.ts';
import { addressExemption, guardedLookup, privateAddressReason, refusalBeforeProxy } from './ip-guard.ts';
import { resolveOptions } from './options.ts';
import type { FetchOptions } from './options.ts';

export type { FetchOptions } from './options.ts';
export { DEFAULT_FETCH_OPTIONS } from './options.ts';
import { redactUrl, scrubText, urlSecrets } from '../util/redact.ts';
import { HostGateUnavailable, type HostGate } from './host-gate.ts';
import { sleep } from '../util/sleep.ts';
import { HostScheduler } from './scheduler.ts';
import { SpillArea, follow, type SpillFile } from './spill.ts';

/** FetchOutcome plus notes a person may want to see (truncation, odd encodings). Local extension of the model. */
export interface FetchResult extends FetchOutcome {
  notes: string[];
}

export interface FetchCallOptions {
  /** Overrides FetchOptions.maxBytes for this call (e.g. a small sample of an API). */
  maxBytes?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides FetchOptions.totalTimeoutMs for this call (a quick API lookup, a large catalogue export). */
  totalTimeoutMs?: number;
  /**
   * 'catalog': a request the audit cannot go on without (catalogue pages, the bulk export, enrichment). Counted in
   * `stats.catalog` rather than with resources, and never cut short by an open circuit breaker.
   */
  role?: 'resource' | 'catalog';
}

/** A streamed GET: the response as it started, and a 2xx body as it arrives (see `Fetcher.stream`). */
export interface FetchStream {
  outcome: FetchResult;
  body?: AsyncIterable<Uint8Array>;
}

interface Counters {
  /** fetch() calls completed. */
  fetches: number;
  /** HTTP requests sent, counting every retry and redirect hop. */
  requests: number;
  /** Decoded body bytes kept. */
  bytes: number;
  /** Bytes received on the wire (before content-decoding). */
  wireBytes: number;
  retries: number;
}

/** The counters for resources, by outcome, with catalogue requests and body memory apart. */
export interface FetchStats extends Counters {
  byKind: Record<FetchKind, number>;
  /** The same counters for catalogue requests (role 'catalog'), kept apart so the figures above stay about resources. */
  catalog: Counters;
  /** Bodies that went to a spill file instead of memory. */
  spilled: number;
  /** Body bytes held in memory now (the budget in use), and the most at any moment. */
  bodyBytesInMemory: number;
  peakBodyBytesInMemory: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How long the guard's answer for a proxied host name is reused (a DNS answer's usual lifetime is minutes). */
const PROXY_CHECK_TTL_MS = 30_000;
/** Error pages are kept as evidence (login pages, "no data" notices) but never at full size. */
const ERROR_BODY_CAP = 64 * 1024;
const KINDS: FetchKind[] = [
  'ok', 'http-error', 'dns', 'timeout', 'network', 'tls', 'blocked', 'redirect-loop', 'too-many-redirects', 'too-large',
  'protocol',
];

class TotalTimeoutError extends Error {
  readonly code = 'ODBADGE_TOTAL_TIMEOUT';
  constructor(ms: number, cutByBreaker = false) {
    super(cutByBreaker
      ? `attempt cut to ${ms} ms when the host's circuit breaker opened`
      : `attempt exceeded the total time-out of ${ms} ms`);
  }
}

class TooSlowError extends Error {
  readonly code = 'ODBADGE_TOO_SLOW';
  constructor(got: number, windowMs: number, rate: number) {
    super(`${got} bytes in ${windowMs / 1000} s, below the minimum rate of ${rate} bytes/s`);
  }
}

type AttemptResult =
  | { type: 'redirect'; status: number; location: string; headers: Record<string, string> }
  /** `kept` is the body (memory or spill file) unless reading failed. */
  | { type: 'response'; status: number; headers: Record<string, string>; read: BodyRead; kept?: KeptBody }
  /** A streamed 2xx: the body goes on arriving into `file` after the attempt returns; `done` settles at its end. */
  | { type: 'spooling'; status: number; headers: Record<string, string>; file: SpillFile; done: Promise<BodyRead>; cap: number; abort: () => void }
  | { type: 'error'; error: unknown };

/** What an outcome's body holds until `release`: budget bytes and/or a spill file. */
interface Holding {
  bytes: number;
  file?: string;
  released: boolean;
}

export class Fetcher {
  readonly options: Readonly<FetchOptions>;
  readonly #agent: EnvHttpProxyAgent;
  /** Per scheme, whether requests go through a proxy (HTTPS falls back to the HTTP proxy, as in undici). */
  readonly #proxied: Record<string, boolean>;
  /** Host name → the guard's answer before a proxied request (see #proxyRefusal), kept for PROXY_CHECK_TTL_MS. */
  readonly #proxyChecks = new Map<string, { at: number; answer: Promise<string | null> }>();
  readonly #scheduler: HostScheduler;
  readonly #breaker: HostBreaker;
  readonly #budget: BodyBudget;
  readonly #spill: SpillArea;
  readonly #stats: FetchStats;
  readonly #exempt: (address: string) => boolean;
  readonly #held = new WeakMap<object, Holding>();
  /** Per host, the attempts in flight (resources only): when its breaker opens, their deadlines shrink too. */
  readonly #inFlight = new Map<string, Set<(ms: number) => void>>();
  /** A body dropped without `release` gives its budget back when it is garbage-collected. */
  readonly #registry = new FinalizationRegistry<Holding>((h) => {
    if (h.released) return;
    h.released = true;
    this.#budget.release(h.bytes);
  });
  /** Limits shared with other processes (a distributed audit), asked after the local scheduler. */
  readonly #gate: HostGate | undefined;
  #closed = false;

  constructor(opts?: Partial<FetchOptions>, shared: { hostGate?: HostGate } = {}) {
    const o = resolveOptions(opts);
    this.#gate = shared.hostGate;
    this.options = Object.freeze(o);
    this.#exempt = addressExemption(o.allowAddresses);
    const ca = o.ca === undefined ? undefined : [...rootCertificates, ...(Array.isArray(o.ca) ? o.ca : [o.ca])];
    const env = process.env;
    const httpProxy = o.proxy?.httpProxy ?? env.http_proxy ?? env.HTTP_PROXY;
    const httpsProxy = o.proxy?.httpsProxy ?? env.https_proxy ?? env.HTTPS_PROXY;
    this.#proxied = { 'http:': !!httpProxy, 'https:': !!(httpsProxy || httpProxy) };
    // HTTP_PROXY / HTTPS_PROXY / NO_PROXY as undici reads them. Direct connections keep the connect-time guard;
    // proxied ones are checked before they are sent (#proxyRefusal), since there the proxy resolves the name.
    this.#agent = new EnvHttpProxyAgent({
      ...(o.proxy?.httpProxy !== undefined ? { httpProxy: o.proxy.httpProxy } : {}),
      ...(o.proxy?.httpsProxy !== undefined ? { httpsProxy: o.proxy.httpsProxy } : {}),
      ...(o.proxy?.noProxy !== undefined ? { noProxy: o.proxy.noProxy } : {}),
      connect: {
        timeout: o.connectTimeoutMs,
        // The guard runs on the addresses the socket will actually use: no DNS rebinding past it.
        lookup: guardedLookup(o.lookup, o.allowPrivateNetwork, this.#exempt),
        ...(ca ? { ca } : {}),
      },
      // Through a proxy: the connection to the proxy (its own address is not guarded: it is usually on the local
      // network by design), and TLS to the target inside a CONNECT tunnel, with the same trusted CAs.
      proxyTls: { timeout: o.connectTimeoutMs },
      requestTls: { timeout: o.connectTimeoutMs, ...(ca ? { ca } : {}) },
      // http:// targets through an http:// proxy as an absolute-form GET, as curl does: many proxies allow CONNECT to
      // port 443 only. https:// targets always go through a CONNECT tunnel.
      proxyTunnel: false,
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyIdleTimeoutMs,
      // The scheduler enforces per-host limits; the pool never needs more sockets per origin than that.
      connections: o.perHost,
      pipelining: 1,
    });
    this.#scheduler = new HostScheduler(o.concurrency, o.perHost, o.perHostMinSpacingMs);
    this.#breaker = new HostBreaker(o.breakerTimeouts);
    this.#budget = new BodyBudget(o.memoryBudgetBytes);
    this.#spill = new SpillArea(o.spillDir);
    const counters = (): Counters => ({ fetches: 0, requests: 0, bytes: 0, wireBytes: 0, retries: 0 });
    this.#stats = {
      ...counters(),
      byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<FetchKind, number>,
      catalog: counters(),
      spilled: 0, bodyBytesInMemory: 0, peakBodyBytesInMemory: 0,
    };
  }

  /** A snapshot of the counters. */
  get stats(): FetchStats {
    return {
      ...this.#stats, byKind: { ...this.#stats.byKind }, catalog: { ...this.#stats.catalog },
      bodyBytesInMemory: this.#budget.used, peakBodyBytesInMemory: this.#stats.peakBodyBytesInMemory,
    };
  }

  /**
   * The shared gate's slot on top of the local one: released together. If the gate refuses (aborted, closed), the
   * local slot goes back at once.
   */
  async #sharedSlot(host: string, local: () => void, signal?: AbortSignal): Promise<() => void> {
    let shared: () => void;
    try {
      shared = await this.#gate!.acquire(host, signal);
    } catch (e) {
      local();
      throw e;
    }
    return () => {
      shared();
      local();
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scheduler.close();
    await this.#agent.close();
    await this.#spill.close();
  }

  /** GET `url`: the whole body (in memory, or in `bodyFile` when it does not fit the budget). Never throws. */
  async fetch(url: string, o: FetchCallOptions = {}): Promise<FetchResult> {
    return (await this.#run(url, o, false)).outcome;
  }

  /**
   * GET `url` and answer as soon as a 2xx response starts: `body` yields the bytes as they arrive. The download goes
   * to a private spill file at the network's pace, so a slow reader holds neither the connection nor memory, and
   * every limit (guard, redirects, time, size) applies. Retries happen only before the body starts; after that a
   * failure, or passing `maxBytes`, is thrown by `body`. Stopping early cancels the download.
   */
  async stream(url: string, o: FetchCallOptions = {}): Promise<FetchStream> {
    return this.#run(url, o, true);
  }

  /**
   * The consumer is done with an outcome's body: its bytes go back to the memory budget and its spill file is
   * deleted. Call it once the body has been inspected; calling it again, or for an outcome with no body, is harmless.
   */
  async release(outcome: FetchOutcome): Promise<void> {
    const h = this.#held.get(outcome);
    if (!h || h.released) return;
    h.released = true;
    this.#held.delete(outcome);
    if (h.bytes) {
      this.#budget.release(h.bytes);
      this.#registry.unregister(h);
    }
    if (h.file) await this.#spill.remove(h.file);
  }

  async #run(url: string, o: FetchCallOptions, stream: boolean): Promise<FetchStream> {
    const started = performance.now();
    const secrets = urlSecrets(url);
    const catalog = o.role === 'catalog';
    const counters: Counters = catalog ? this.#stats.catalog : this.#stats;
    const out: FetchResult = {
      url: redactUrl(url), finalUrl: redactUrl(url), kind: 'network', transient: false, redirects: [], headers: {},
      truncated: false, bytes: 0, attempts: 0, elapsedMs: 0, notes: [],
    };
    const finish = (c: Partial<Classified> & { kind: FetchKind }): FetchStream => {
      out.kind = c.kind;
      out.transient = c.transient ?? false;
      if (c.message) out.error = scrubText(c.message, secrets);
      if (c.tlsProblem) out.tlsProblem = c.tlsProblem;
      out.elapsedMs = Math.round(performance.now() - started);
      counters.fetches++;
      if (!catalog) this.#stats.byKind[out.kind]++;
      counters.bytes += out.bytes;
      return { outcome: out };
    };
    if (this.#closed) return finish({ kind: 'network', message: 'fetcher is closed' });

    let current: URL;
    try {
      current = new URL(url);
    } catch {
      return finish({ kind: 'blocked', message: `not a valid absolute URL: ${redactUrl(url)}` });
    }
    const original = current;
    const maxBytes = o.maxBytes ?? this.options.maxBytes;
    const totalMs = o.totalTimeoutMs ?? this.options.totalTimeoutMs;
    const visited = new Set<string>([withoutHash(current)]);

    for (;;) {
      const refusal = this.#refusal(current);
      if (refusal) return finish({ kind: 'blocked', message: refusal });
      // Every hop, redirects included: a proxied hop is checked before the proxy sees it.
      const proxyRefusal = await this.#proxyRefusal(current);
      if (proxyRefusal) return finish(proxyRefusal);
      out.finalUrl = redactUrl(current.href);
      const host = current.hostname.toLowerCase();
      const headers = this.#requestHeaders(current, original, o.headers);
      let result: AttemptResult;
      let shortDeadline = false;
      let deadline = totalMs;
      out.attempts = 0;
      // Attempts on this hop: retried while the failure is transient and the budget lasts.
      for (;;) {
        out.attempts++;
        let release: () => void;
        try {
          release = await this.#scheduler.acquire(host, o.signal);
          if (this.#gate && !catalog) release = await this.#sharedSlot(host, release, o.signal);
        } catch (e) {
          if (e instanceof HostGateUnavailable) throw e;
          const why = this.#closed ? 'fetcher is closed' : o.signal?.aborted ? 'aborted by caller' : (e as Error)?.message ?? String(e);
          return finish({ kind: 'network', transient: !this.#closed, message: why });
        }
        // Decided when the slot is granted, so a breaker that opened while this request queued applies to it.
        shortDeadline = !catalog && this.#breaker.isOpen(host);
        deadline = shortDeadline ? Math.min(totalMs, this.options.breakerDeadlineMs) : totalMs;
        const retryAfter = () => (result.type === 'response' ? parseRetryAfter(result.headers['retry-after']) : undefined);
        const backoff = this.options.retryBaseMs * 2 ** (out.attempts - 1) * (0.5 + Math.random());
        let paused = false;
        let handedOff = false;
        try {
          counters.requests++;
          result = await this.#attempt(current, headers, maxBytes, deadline, o.signal, stream, counters, catalog ? undefined : host);
          if (result.type === 'spooling') {
            // The body goes on downloading after this returns; it keeps the slot until its last byte (#spooled).
            handedOff = true;
          } else {
            // Everything this outcome does to the host is in force before its slot is freed, so a request queued
            // behind it already sees the pause or the open breaker (it used to start ~1 ms after a 503).
            this.#noteHost(host, result);
            if (result.type === 'response' && (result.status === 429 || result.status === 503)) {
              // The host asked us to slow down: pause the whole host (not just this request) and shrink its share,
              // on the last attempt too (other resources of the host are waiting). The retry waits in the host's
              // queue, so it holds no global slot meanwhile.
              const pause = Math.min(retryAfter() ?? backoff, this.options.maxRetryAfterMs);
              this.#scheduler.penalize(host, pause);
              // Written before this attempt ends, so no other machine starts on the host once we have answered.
              if (!catalog) await this.#gate?.pause(host, pause);
              paused = true;
            }
          }
        } finally {
          if (!handedOff) release();
        }
        if (result.type === 'spooling') return this.#spooled(result, out, finish, host, counters, release, secrets);
        if (o.signal?.aborted) {
          await this.#drop(result);
          return finish({ kind: 'network', transient: true, message: 'aborted by caller' });
        }
        const failure = this.#failureOf(result);
        // An open breaker means one attempt per resource: the host has had its chances.
        const breakerStops = !catalog && this.#breaker.isOpen(host);
        if (!failure?.retry || out.attempts > this.options.retries || breakerStops) break;
        await this.#drop(result);
        counters.retries++;
        if (!paused && !(await sleep(Math.min(retryAfter() ?? backoff, this.options.maxRetryAfterMs), o.signal))) {
          return finish({ kind: 'network', transient: true, message: 'aborted by caller' });
        }
      }

      /** A time-out on a host whose breaker is open says so: the evidence a person sees is "host unresponsive". */
      const unresponsive = (c: Classified): Classified => {
        if (c.kind !== 'timeout' || catalog || !this.#breaker.isOpen(host)) return c;
        const how = shortDeadline ? `; tried once with a ${deadline} ms deadline` : '';
        return { ...c, retry: false, message: `host unresponsive (${this.#breaker.streak(host)} time-outs in a row on ${host}${how}): ${c.message}` };
      };

      if (result.type === 'error') {
        // No response from this hop: do not leave an earlier hop's status or headers looking like its answer.
        delete out.status;
        delete out.contentType;
        out.headers = {};
        return finish(unresponsive(classifyError(result.error)));
      }

      out.status = result.status;
      out.headers = result.headers;
      const ct = result.headers['content-type'];
      if (ct !== undefined) out.contentType = ct;
      else delete out.contentType;

      if (result.type === 'redirect') {
        let next: URL;
        try {
          next = new URL(result.location, current);
        } catch {
          out.redirects.push({ status: result.status, location: redactUrl(scrubText(result.location, secrets)) });
          return finish({ kind: 'protocol', message: `HTTP ${result.status} with an invalid Location header` });
        }
        for (const s of urlSecrets(next.href)) if (!secrets.includes(s)) secrets.push(s);
        out.redirects.push({ status: result.status, location: redactUrl(next.href) });
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          return finish({ kind: 'blocked', message: `redirect to a ${next.protocol} URL refused (${redactUrl(next.href)})` });
        }
        if (visited.has(withoutHash(next))) {
          return finish({ kind: 'redirect-loop', message: `redirect loop: ${redactUrl(next.href)} was already visited` });
        }
        if (out.redirects.length > this.options.maxRedirects) {
          return finish({ kind: 'too-many-redirects', message: `more than ${this.options.maxRedirects} redirects` });
        }
        visited.add(withoutHash(next));
        current = next;
        continue;
      }

      const { read } = result;
      out.bytes = read.bytes;
      out.truncated = read.truncated;
      out.notes.push(...read.notes.map((n) => scrubText(n, secrets)));
      if (read.error !== undefined || !result.kept) {
        const c = read.decodeError
          ? { kind: 'protocol' as const, transient: false, message: `body could not be decoded (${result.headers['content-encoding']}): ${String((read.error as Error)?.message ?? read.error)}` }
          : unresponsive(classifyError(read.error));
        out.bytes = 0;
        out.truncated = false;
        return finish(c);
      }
      this.#hold(out, result.kept);
      if (read.bomb) {
        return finish({ kind: 'too-large', message: read.notes.at(-1) ?? 'decompression cap hit' });
      }
      const c = classifyStatus(result.status);
      if (c.kind === 'ok') {
        this.#scheduler.reward(host);
        return finish(c);
      }
      const text = STATUS_CODES[result.status];
      return finish({
        ...c,
        message: `HTTP ${result.status}${text ? ` ${text}` : ''}${c.transient ? ` after ${out.attempts} attempt(s)` : ''}`,
      });
    }
  }

  /** A streamed 2xx: the outcome now, the body as it arrives; the slot, the breaker and the stats at its end. */
  #spooled(
    r: Extract<AttemptResult, { type: 'spooling' }>, out: FetchResult, finish: (c: Classified) => FetchStream,
    host: string, counters: Counters, release: () => void, secrets: string[],
  ): FetchStream {
    out.status = r.status;
    out.headers = r.headers;
    if (r.headers['content-type'] !== undefined) out.contentType = r.headers['content-type'];
    const ended = r.done
      .then(async (read) => {
        this.#noteHost(host, { type: 'response', status: r.status, headers: r.headers, read });
        counters.bytes += read.bytes;
        const problem = read.error !== undefined
          ? `the transfer broke off: ${read.decodeError ? `the body could not be decoded: ${String((read.error as Error)?.message ?? read.error)}` : classifyError(read.error).message}`
          : read.bomb ? read.notes.at(-1) ?? 'decompression cap hit'
            : read.truncated ? `the response exceeds the ${r.cap}-byte limit` : undefined;
        await r.file.end(problem === undefined ? undefined : new Error(scrubText(problem, secrets)));
        if (problem === undefined) this.#scheduler.reward(host);
      })
      .finally(release);
    const spill = this.#spill;
    async function* body(): AsyncGenerator<Uint8Array> {
      let completed = false;
      try {
        yield* follow(r.file);
        completed = true;
      } finally {
        if (!completed) r.abort();
        await ended.catch(() => undefined);
        await spill.remove(r.file.path);
      }
    }
    const res = finish(classifyStatus(r.status));
    return { outcome: res.outcome, body: body() };
  }

  /** Records on the host's breaker what an attempt showed: a time-out, an answer, or neither (refused, reset…). */
  #noteHost(host: string, r: Exclude<AttemptResult, { type: 'spooling' }>): void {
    const error = r.type === 'error' ? r.error : r.type === 'response' && !r.read.decodeError ? r.read.error : undefined;
    if (error !== undefined) {
      if (classifyError(error).kind !== 'timeout') return;
      const wasOpen = this.#breaker.isOpen(host);
      this.#breaker.timedOut(host);
      if (!wasOpen && this.#breaker.isOpen(host)) {
        // The resources of this host already in flight are "remaining" too: without this, one granted just before
        // the breaker opened could keep a full time-out (30 s and more) on a host known to be unresponsive.
        for (const clamp of this.#inFlight.get(host) ?? []) clamp(this.options.breakerDeadlineMs);
      }
      return;
    }
    this.#breaker.answered(host);
  }

  /** Notes an attempt in flight on `host`; the returned function forgets it. */
  #track(host: string, clamp: (ms: number) => void): () => void {
    let set = this.#inFlight.get(host);
    if (!set) this.#inFlight.set(host, (set = new Set()));
    set.add(clamp);
    return () => {
      set.delete(clamp);
      if (set.size === 0 && this.#inFlight.get(host) === set) this.#inFlight.delete(host);
    };
  }

  /** The body of an outcome is the consumer's until `release`: note what it holds. */
  #hold(out: FetchResult, kept: KeptBody): void {
    if (kept.kind === 'file') {
      out.bodyFile = kept.path;
      this.#held.set(out, { bytes: 0, file: kept.path, released: false });
      this.#stats.spilled++;
      return;
    }
    const b = kept.body;
    out.body = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (kept.reserved > 0) {
      const h: Holding = { bytes: kept.reserved, released: false };
      this.#held.set(out, h);
      this.#registry.register(b.buffer, h, h);
      if (this.#budget.used > this.#stats.peakBodyBytesInMemory) this.#stats.peakBodyBytesInMemory = this.#budget.used;
    }
  }

  /** Throws away a failed attempt's body (an error page before a retry). */
  async #drop(r: AttemptResult): Promise<void> {
    if (r.type !== 'response' || !r.kept) return;
    if (r.kept.kind === 'memory') this.#budget.release(r.kept.reserved);
    else await this.#spill.remove(r.kept.path);
  }

  /** Why odbadge refuses to request this URL at all, or null. DNS-resolved addresses are checked at connect time. */
  #refusal(u: URL): string | null {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme ${u.protocol} is not fetched; odbadge fetches http and https`;
    if (this.options.allowPrivateNetwork) return null;
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    if (isIP(host) && !this.#exempt(host)) {
      const why = privateAddressReason(host);
      if (why) return `address ${host} is ${why}; refused (use --allow-private-network to permit)`;
    }
    return null;
  }

  /**
   * The private-network guard for a hop that goes through a proxy, where the connect-time lookup never runs: the host
   * name is resolved here and refused if any address is private (ip-guard.ts refusalBeforeProxy). IP literals were
   * checked by #refusal already. A name that does not resolve here is reported as a DNS failure: odbadge cannot
   * vouch for where the proxy would take it. Answers are kept for a short while so a portal's thousands of files on
   * one host cost one lookup, not thousands.
   */
  async #proxyRefusal(u: URL): Promise<Classified | null> {
    if (this.options.allowPrivateNetwork || !this.#proxied[u.protocol]) return null;
    const host = (u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname).toLowerCase();
    if (isIP(host)) return null;
    const now = performance.now();
    let check = this.#proxyChecks.get(host);
    if (!check || now - check.at > PROXY_CHECK_TTL_MS) {
      if (this.#proxyChecks.size > 10_000) this.#proxyChecks.clear();
      check = { at: now, answer: refusalBeforeProxy(host, this.options.lookup, this.#exempt, this.options.connectTimeoutMs) };
      check.answer.catch(() => undefined);
      this.#proxyChecks.set(host, check);
    }
    try {
      const why = await check.answer;
      return why ? { kind: 'blocked', transient: false, retry: false, message: why } : null;
    } catch (e) {
      const c = classifyError(e);
      return { ...c, message: `${c.message} (resolved by odbadge before sending the request through the proxy, to check its address)` };
    }
  }

  #requestHeaders(u: URL, original: URL, extra: Record<string, string> | undefined): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
    };
    const sameOrigin = u.origin === original.origin;
    for (const [k, v] of Object.entries(extra ?? {})) {
      const key = k.toLowerCase();
      // Never hand caller credentials to a host a redirect chose.
      if (!sameOrigin && (key === 'authorization' || key === 'cookie' || key === 'proxy-authorization')) continue;
      h[key] = v;
    }
    const creds = u.username || u.password ? u : sameOrigin && (original.username || original.password) ? original : null;
    if (creds && !('authorization' in h)) {
      const user = decodeURIComponent(creds.username);
      const pass = decodeURIComponent(creds.password);
      h.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    return h;
  }

  #failureOf(r: Exclude<AttemptResult, { type: 'spooling' }>): Classified | null {
    if (r.type === 'error') return classifyError(r.error);
    if (r.type === 'redirect') return null;
    if (r.read.error !== undefined) return r.read.decodeError ? null : classifyError(r.read.error);
    const c = classifyStatus(r.status);
    return c.kind === 'ok' ? null : c;
  }

  /** One request/response, holding a scheduler slot. Never throws. */
  async #attempt(
    u: URL, headers: Record<string, string>, maxBytes: number, deadlineMs: number, signal: AbortSignal | undefined,
    stream: boolean, counters: Counters, breakerHost: string | undefined,
  ): Promise<AttemptResult> {
    const ac = new AbortController();
    let timer = setTimeout(() => ac.abort(new TotalTimeoutError(deadlineMs)), deadlineMs);
    let deadlineAt = performance.now() + deadlineMs;
    const onCallerAbort = () => ac.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    // The host's breaker opened while this attempt ran: it gets at most the short deadline from now.
    const untrack = breakerHost === undefined ? undefined : this.#track(breakerHost, (ms) => {
      if (performance.now() + ms >= deadlineAt) return;
      deadlineAt = performance.now() + ms;
      clearTimeout(timer);
      timer = setTimeout(() => ac.abort(new TotalTimeoutError(ms, true)), ms);
    });
    let speed: { stop(): void } | undefined;
    let detached = false;
    const cleanup = () => {
      clearTimeout(timer);
      speed?.stop();
      untrack?.();
      signal?.removeEventListener('abort', onCallerAbort);
    };
    try {
      const res = await this.#agent.request({
        origin: u.origin,
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        headers,
        signal: ac.signal,
      });
      const resHeaders = flattenHeaders(res.headers);
      const location = resHeaders.location;
      if (REDIRECT_STATUSES.has(res.statusCode) && location) {
        await drain(res.body);
        return { type: 'redirect', status: res.statusCode, location, headers: resHeaders };
      }
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const meter: WireMeter = { wire: 0 };
      speed = this.#watchSpeed(meter, ac);
      const cap = ok ? maxBytes : Math.min(maxBytes, ERROR_BODY_CAP);
      const encodings = parseContentEncoding(resHeaders['content-encoding']);
      if (stream && ok) {
        let file: SpillFile;
        try {
          file = await this.#spill.create();
        } catch (e) {
          res.body.destroy();
          throw e;
        }
        detached = true;
        const done = readBody(res.body as AsyncIterable<Buffer>, encodings, cap, this.options.maxDecompressionRatio, new BodySink(this.#budget, 0, this.#spill, file), meter)
          .then((read) => {
            counters.wireBytes += read.wireBytes;
            if (read.truncated || read.error !== undefined) res.body.destroy();
            return read;
          })
          .finally(cleanup);
        return {
          type: 'spooling', status: res.statusCode, headers: resHeaders, file, done, cap,
          abort: () => ac.abort(new Error('download cancelled: its reader stopped')),
        };
      }
      // readBody counts wire bytes itself: no extra async-generator hop per chunk (it shows at thousands of req/s).
      const sink = new BodySink(this.#budget, this.options.spillAboveBytes, this.#spill);
      const read = await readBody(res.body as AsyncIterable<Buffer>, encodings, cap, this.options.maxDecompressionRatio, sink, meter);
      counters.wireBytes += read.wireBytes;
      if (read.truncated || read.error !== undefined) res.body.destroy();
      if (sink.spillError) read.notes.push(`the body could not be spilled to disk (${sink.spillError}); it was kept in memory`);
      if (read.error !== undefined) {
        await sink.discard();
        return { type: 'response', status: res.statusCode, headers: resHeaders, read };
      }
      return { type: 'response', status: res.statusCode, headers: resHeaders, read, kept: await sink.finish() };
    } catch (error) {
      return { type: 'error', error };
    } finally {
      if (!detached) cleanup();
    }
  }

  /**
   * curl's --speed-limit/--speed-time: every `minSpeedWindowMs` the bytes received in that window are counted, and
   * fewer than the minimum rate cut the attempt as a time-out. Starts with the body (before it, the headers
   * time-out applies).
   */
  #watchSpeed(meter: WireMeter, ac: AbortController): { stop(): void } | undefined {
    const rate = this.options.minSpeedBytesPerSec;
    const windowMs = this.options.minSpeedWindowMs;
    if (!(rate > 0) || !(windowMs > 0)) return undefined;
    const need = (rate * windowMs) / 1000;
    let last = 0;
    let t: NodeJS.Timeout;
    const check = () => {
      const got = meter.wire - last;
      if (got < need) return void ac.abort(new TooSlowError(got, windowMs, rate));
      last = meter.wire;
      t = setTimeout(check, windowMs);
    };
    t = setTimeout(check, windowMs);
    return { stop: () => clearTimeout(t) };
  }
}

function withoutHash(u: URL): string {
  const c = new URL(u.href);
  c.hash = '';
  return c.href;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Discards a redirect's body so the connection can be reused; a large one just closes the socket. */
async function drain(body: { dump(o?: { limit: number }): Promise<void> }): Promise<void> {
  try {
    await body.dump({ limit: ERROR_BODY_CAP });
  } catch {
    // The redirect itself was received; a body we do not want failing is irrelevant.
  }
}
