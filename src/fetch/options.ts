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
  /** Wall-clock bound on one attempt, from slot granted to last body byte. Queueing and retry waits excluded. */
  totalTimeoutMs: number;
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
  // 50 MiB at ~200 KB/s (a slow agency link) takes ~4 min; 5 min leaves headroom but ends every attempt.
  totalTimeoutMs: 300_000,
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
  ] as const;
  for (const k of nonNegative) {
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new RangeError(`FetchOptions.${k} must be ≥ 0, got ${o[k]}`);
  }
  return o;
}
