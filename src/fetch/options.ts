// Tunables of the resource fetcher, with defaults chosen for auditing a whole government portal politely.
import type { LookupFunction } from 'node:net';
import { defaultUserAgent } from './user-agent.ts';

export interface FetchOptions {
  /** Requests in flight across all hosts. */
  concurrency: number;
  /** Requests in flight per host name (ports of one host share the budget). */
  perHost: number;
  /** Minimum gap between two request starts on one host. */
  perHostMinSpacingMs: number;
  /** TCP (+TLS) connection establishment. */
  connectTimeoutMs: number;
  /** From request sent to response headers received (first byte). */
  headersTimeoutMs: number;
  /** Longest silence allowed between two body chunks (slowloris guard). */
  bodyIdleTimeoutMs: number;
  /** Wall-clock bound on one attempt, from slot granted to last body byte. Queueing and retry waits excluded. Not retried. */
  totalTimeoutMs: number;
  /**
   * Minimum transfer rate (curl's --speed-limit): a body receiving fewer than this many bytes per second over a whole
   * `minSpeedWindowMs` window is cut as a time-out. 0 turns the check off.
   */
  minSpeedBytesPerSec: number;
  /** The window the minimum rate is measured over (curl's --speed-time). */
  minSpeedWindowMs: number;
  /**
   * Circuit breaker: after this many timed-out attempts in a row on one host, its remaining resources are tried once
   * with `breakerDeadlineMs` and, if that times out too, reported with "host unresponsive". 0 turns it off.
   */
  breakerTimeouts: number;
  /** The short deadline of one attempt on a host whose breaker is open. */
  breakerDeadlineMs: number;
  /** Bytes of bodies held in memory across every download in flight; a body that does not fit spills to a file. */
  memoryBudgetBytes: number;
  /** A body larger than this spills to a temporary file even when the budget has room (Infinity: never spill). */
  spillAboveBytes: number;
  /** Parent of the private spill directory (default: the system temporary directory). */
  spillDir?: string;
  /** Cap on the (decoded) body kept. Reaching it keeps what was read and sets `truncated`. */
  maxBytes: number;
  /** Decoded/wire ratio above which a compressed body is treated as a decompression bomb (`too-large`). */
  maxDecompressionRatio: number;
  /** Redirects followed before `too-many-redirects`. */
  maxRedirects: number;
  /** Extra attempts after a transient failure (so `retries + 1` attempts at most). */
  retries: number;
  /** First back-off step; doubles per retry, with jitter. */
  retryBaseMs: number;
  /** Upper bound on any single wait, including a server's Retry-After. */
  maxRetryAfterMs: number;
  /** Allow loopback / private / link-local targets (tests, on-premises portals). */
  allowPrivateNetwork: boolean;
  /** Addresses exempt from the guard while it stays on: exact IPs or IPv4 CIDRs (an on-premises portal). */
  allowAddresses?: string[];
  userAgent: string;
  /** Replaces dns.lookup (same signature); lets tests make a name resolve to 127.0.0.1. */
  lookup?: LookupFunction;
  /** Extra trusted CA certificates (PEM), for on-premises portals with a private CA, and for tests. */
  ca?: string | string[];
  /**
   * Proxies, over the environment's HTTP_PROXY / HTTPS_PROXY / NO_PROXY (lower case first, as undici's
   * EnvHttpProxyAgent reads them). Unset: the environment decides. For tests and embedding.
   */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
}

export const DEFAULT_FETCH_OPTIONS: Readonly<FetchOptions> = Object.freeze({
  // Enough to keep a 2-core auditor busy on slow government hosts without looking like a flood.
  concurrency: 32,
  // Browsers open ~6 per host; 4 keeps small agency servers comfortable while one portal hosts thousands of files.
  perHost: 4,
  // ≤ 10 request starts per second per host; downloads, not request starts, dominate run time anyway.
  perHostMinSpacingMs: 100,
  // A host that cannot complete a handshake in 10 s is down for practical purposes.
  connectTimeoutMs: 10_000,
  // Some portal "download" endpoints build the file on demand; 30 s tolerates that, not a hung backend.
  headersTimeoutMs: 30_000,
  // 30 s without a single byte mid-body is a stalled transfer, not a slow one.
  bodyIdleTimeoutMs: 30_000,
  // 50 MiB at ~200 KB/s (a slow agency link) takes ~4 min; 5 min leaves headroom but ends every attempt. A body still
  // arriving after 5 min is not retried: a second attempt would cost another 5 min for the same result.
  totalTimeoutMs: 300_000,
  // Under 1 KiB/s for 30 s is a drip, not a download: even a 56 kbit/s modem does 7 KB/s, and at 1 KiB/s the 50 MiB cap
  // would take 14 hours. The window equals the idle time-out, so a drip ends as soon as a silence would.
  minSpeedBytesPerSec: 1024,
  minSpeedWindowMs: 30_000,
  // Three time-outs in a row on one host (no answer in between) is a pattern, not bad luck; fewer would trip on a
  // host with one slow endpoint among many good ones.
  breakerTimeouts: 3,
  // 5 s is enough for a host that answers at all (connect, first byte and a small file on a slow link) and keeps a dead
  // host with hundreds of resources at minutes, not hours: 4 per host × 5 s each.
  breakerDeadlineMs: 5_000,
  // 128 MiB of bodies at most, whatever concurrency × maxBytes allows (32 × 50 MiB would be 1.6 GB): 16 bodies at the
  // per-body limit, leaving room for inspection in a process that should stay under ~500 MB.
  memoryBudgetBytes: 128 * 1024 * 1024,
  // Nearly every open-data file is far smaller than 8 MiB and keeps the fast in-memory path; larger ones go to disk
  // and are inspected streaming, as local files are.
  spillAboveBytes: 8 * 1024 * 1024,
  // 50 MiB covers nearly every open-data file; larger ones are judged on the first 50 MiB (truncated = true).
  maxBytes: 50 * 1024 * 1024,
  // Real CSV/JSON/XML compress 5–50×; zero-filled bombs reach ~1000× (gzip) and far more (brotli).
  maxDecompressionRatio: 200,
  // Browsers allow 20, curl 50; a data file behind more than 10 hops is broken in practice.
  maxRedirects: 10,
  // Two retries ride out a restart or a blip without tripling the run time on a dead host.
  retries: 2,
  // 1 s, then 2 s (±jitter): long enough for a brief overload to clear.
  retryBaseMs: 1_000,
  // Honour Retry-After, but no single wait above 60 s: an audit has thousands of other files to check.
  maxRetryAfterMs: 60_000,
  // A resource URL must not turn the checker into a probe of the auditor's own network.
  allowPrivateNetwork: false,
  // Honest and contactable, as robots etiquette asks.
  userAgent: defaultUserAgent(),
});

export function resolveOptions(opts: Partial<FetchOptions> | undefined): FetchOptions {
  const o: FetchOptions = { ...DEFAULT_FETCH_OPTIONS };
  for (const [k, v] of Object.entries(opts ?? {})) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  const positive = ['concurrency', 'perHost'] as const;
  for (const k of positive) {
    if (!Number.isFinite(o[k]) || o[k] < 1) throw new RangeError(`FetchOptions.${k} must be ≥ 1, got ${o[k]}`);
    o[k] = Math.floor(o[k]);
  }
  const nonNegative = [
    'perHostMinSpacingMs', 'connectTimeoutMs', 'headersTimeoutMs', 'bodyIdleTimeoutMs', 'totalTimeoutMs',
    'maxBytes', 'maxDecompressionRatio', 'maxRedirects', 'retries', 'retryBaseMs', 'maxRetryAfterMs',
    'minSpeedBytesPerSec', 'minSpeedWindowMs', 'breakerTimeouts', 'breakerDeadlineMs',
  ] as const;
  for (const k of nonNegative) {
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new RangeError(`FetchOptions.${k} must be ≥ 0, got ${o[k]}`);
  }
  // Infinity is meaningful here: no budget / never spill (a one-off `inspect` of a single URL).
  for (const k of ['memoryBudgetBytes', 'spillAboveBytes'] as const) {
    if (Number.isNaN(o[k]) || o[k] < 0) throw new RangeError(`FetchOptions.${k} must be ≥ 0, got ${o[k]}`);
  }
  return o;
}
