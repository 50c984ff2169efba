// The one HTTP client of odbadge: every resource is downloaded once, streamed and bounded, and every failure
// comes back as a FetchOutcome (this class never throws for network or HTTP trouble).
import { STATUS_CODES } from 'node:http';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';
import type { FetchKind, FetchOutcome } from '../model.ts';
import { classifyError, classifyStatus, parseRetryAfter } from './classify.ts';
import type { Classified } from './classify.ts';
import { parseContentEncoding, readBody } from './decode.ts';
import type { BodyRead } from './decode.ts';
import { addressExemption, guardedLookup, privateAddressReason } from './ip-guard.ts';
import { resolveOptions } from './options.ts';
import type { FetchOptions } from './options.ts';

export type { FetchOptions } from './options.ts';
export { DEFAULT_FETCH_OPTIONS } from './options.ts';
import { redactUrl, scrubText, urlSecrets } from '../util/redact.ts';
import { HostScheduler } from './scheduler.ts';

/** FetchOutcome plus notes a person may want to see (truncation, odd encodings). Local extension of the model. */
export interface FetchResult extends FetchOutcome {
  notes: string[];
}

export interface FetchCallOptions {
  /** Overrides FetchOptions.maxBytes for this call (e.g. a small sample of an API). */
  maxBytes?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FetchStats {
  /** fetch() calls completed. */
  fetches: number;
  /** HTTP requests sent, counting every retry and redirect hop. */
  requests: number;
  /** Decoded body bytes kept. */
  bytes: number;
  /** Bytes received on the wire (before content-decoding). */
  wireBytes: number;
  retries: number;
  byKind: Record<FetchKind, number>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Error pages are kept as evidence (login pages, "no data" notices) but never at full size. */
const ERROR_BODY_CAP = 64 * 1024;
const KINDS: FetchKind[] = [
  'ok', 'http-error', 'dns', 'timeout', 'network', 'tls', 'blocked', 'redirect-loop', 'too-many-redirects', 'too-large',
  'protocol',
];

class TotalTimeoutError extends Error {
  readonly code = 'ODBADGE_TOTAL_TIMEOUT';
  constructor(ms: number) {
    super(`attempt exceeded the total time-out of ${ms} ms`);
  }
}

type AttemptResult =
  | { type: 'redirect'; status: number; location: string; headers: Record<string, string> }
  | { type: 'response'; status: number; headers: Record<string, string>; read: BodyRead }
  | { type: 'error'; error: unknown };

export class Fetcher {
  readonly options: Readonly<FetchOptions>;
  readonly #agent: Agent;
  readonly #scheduler: HostScheduler;
  readonly #stats: FetchStats;
  readonly #exempt: (address: string) => boolean;
  #closed = false;

  constructor(opts?: Partial<FetchOptions>) {
    const o = resolveOptions(opts);
    this.options = Object.freeze(o);
    this.#exempt = addressExemption(o.allowAddresses);
    const ca = o.ca === undefined ? undefined : [...rootCertificates, ...(Array.isArray(o.ca) ? o.ca : [o.ca])];
    this.#agent = new Agent({
      connect: {
        timeout: o.connectTimeoutMs,
        // The guard runs on the addresses the socket will actually use: no DNS rebinding past it.
        lookup: guardedLookup(o.lookup, o.allowPrivateNetwork, this.#exempt),
        ...(ca ? { ca } : {}),
      },
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyIdleTimeoutMs,
      // The scheduler enforces per-host limits; the pool never needs more sockets per origin than that.
      connections: o.perHost,
      pipelining: 1,
    });
    this.#scheduler = new HostScheduler(o.concurrency, o.perHost, o.perHostMinSpacingMs);
    this.#stats = {
      fetches: 0, requests: 0, bytes: 0, wireBytes: 0, retries: 0,
      byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<FetchKind, number>,
    };
  }

  /** A snapshot of the counters. */
  get stats(): FetchStats {
    return { ...this.#stats, byKind: { ...this.#stats.byKind } };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scheduler.close();
    await this.#agent.close();
  }

  async fetch(url: string, o: FetchCallOptions = {}): Promise<FetchResult> {
    const started = performance.now();
    const secrets = urlSecrets(url);
    const out: FetchResult = {
      url: redactUrl(url), finalUrl: redactUrl(url), kind: 'network', transient: false, redirects: [], headers: {},
      truncated: false, bytes: 0, attempts: 0, elapsedMs: 0, notes: [],
    };
    const finish = (c: Partial<Classified> & { kind: FetchKind }): FetchResult => {
      out.kind = c.kind;
      out.transient = c.transient ?? false;
      if (c.message) out.error = scrubText(c.message, secrets);
      if (c.tlsProblem) out.tlsProblem = c.tlsProblem;
      out.elapsedMs = Math.round(performance.now() - started);
      this.#stats.fetches++;
      this.#stats.byKind[out.kind]++;
      this.#stats.bytes += out.bytes;
      return out;
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
    const visited = new Set<string>([withoutHash(current)]);

    for (;;) {
      const refusal = this.#refusal(current);
      if (refusal) return finish({ kind: 'blocked', message: refusal });
      out.finalUrl = redactUrl(current.href);
      const host = current.hostname.toLowerCase();
      const headers = this.#requestHeaders(current, original, o.headers);
      let result: AttemptResult;
      out.attempts = 0;
      // Attempts on this hop: retried while the failure is transient and the budget lasts.
      for (;;) {
        out.attempts++;
        let release: () => void;
        try {
          release = await this.#scheduler.acquire(host, o.signal);
        } catch {
          return finish({ kind: 'network', transient: !this.#closed, message: this.#closed ? 'fetcher is closed' : 'aborted by caller' });
        }
        try {
          this.#stats.requests++;
          result = await this.#attempt(current, headers, maxBytes, o.signal);
        } finally {
          release();
        }
        if (o.signal?.aborted) return finish({ kind: 'network', transient: true, message: 'aborted by caller' });
        const failure = this.#failureOf(result);
        if (!failure?.retry || out.attempts > this.options.retries) break;
        const retryAfter = result.type === 'response'
          ? parseRetryAfter(result.headers['retry-after'])
          : undefined;
        const backoff = this.options.retryBaseMs * 2 ** (out.attempts - 1) * (0.5 + Math.random());
        const delay = Math.min(retryAfter ?? backoff, this.options.maxRetryAfterMs);
        this.#stats.retries++;
        if (result.type === 'response' && (result.status === 429 || result.status === 503)) {
          // The host asked us to slow down: pause the whole host (not just this request) and shrink its share.
          // The wait happens in the host's queue, so it holds no global slot meanwhile.
          this.#scheduler.penalize(host, delay);
        } else if (!(await sleep(delay, o.signal))) {
          return finish({ kind: 'network', transient: true, message: 'aborted by caller' });
        }
      }

      if (result.type === 'error') {
        // No response from this hop: do not leave an earlier hop's status or headers looking like its answer.
        delete out.status;
        delete out.contentType;
        out.headers = {};
        return finish(classifyError(result.error));
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
      out.bytes = read.body.length;
      out.truncated = read.truncated;
      out.notes.push(...read.notes.map((n) => scrubText(n, secrets)));
      if (read.error !== undefined) {
        const c = read.decodeError
          ? { kind: 'protocol' as const, transient: false, message: `body could not be decoded (${result.headers['content-encoding']}): ${String((read.error as Error)?.message ?? read.error)}` }
          : classifyError(read.error);
        out.bytes = 0;
        out.truncated = false;
        return finish(c);
      }
      out.body = new Uint8Array(read.body.buffer, read.body.byteOffset, read.body.byteLength);
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

  /** Why odbadge refuses to request this URL at all, or null. DNS-resolved addresses are checked at connect time. */
  #refusal(u: URL): string | null {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `scheme ${u.protocol} is not fetched (only http and https)`;
    if (this.options.allowPrivateNetwork) return null;
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    if (isIP(host) && !this.#exempt(host)) {
      const why = privateAddressReason(host);
      if (why) return `address ${host} is ${why}; refused (use --allow-private-network to permit)`;
    }
    return null;
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

  #failureOf(r: AttemptResult): Classified | null {
    if (r.type === 'error') return classifyError(r.error);
    if (r.type === 'redirect') return null;
    if (r.read.error !== undefined) return r.read.decodeError ? null : classifyError(r.read.error);
    const c = classifyStatus(r.status);
    return c.kind === 'ok' ? null : c;
  }

  /** One request/response, holding a scheduler slot. Never throws. */
  async #attempt(u: URL, headers: Record<string, string>, maxBytes: number, signal?: AbortSignal): Promise<AttemptResult> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new TotalTimeoutError(this.options.totalTimeoutMs)), this.options.totalTimeoutMs);
    const onCallerAbort = () => ac.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
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
      // readBody counts wire bytes itself: no extra async-generator hop per chunk (it shows at thousands of req/s).
      const read = await readBody(
        res.body as AsyncIterable<Buffer>,
        parseContentEncoding(resHeaders['content-encoding']),
        ok ? maxBytes : Math.min(maxBytes, ERROR_BODY_CAP),
        this.options.maxDecompressionRatio,
      );
      this.#stats.wireBytes += read.wireBytes;
      if (read.truncated || read.error !== undefined) res.body.destroy();
      return { type: 'response', status: res.statusCode, headers: resHeaders, read };
    } catch (error) {
      return { type: 'error', error };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
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

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
