// Turns what went wrong (an error from undici / Node, or a status code) into a FetchKind with a transient flag.
import { STATUS_CODES as STATUS_TEXT } from 'node:http';
import type { FetchKind, FetchOutcome } from '../model.ts';

export type TlsProblem = NonNullable<FetchOutcome['tlsProblem']>;

export interface Classified {
  kind: FetchKind;
  transient: boolean;
  /** Whether another attempt could help (transient, and not caused by the caller). */
  retry: boolean;
  message: string;
  tlsProblem?: TlsProblem;
}

/** Node / OpenSSL verification codes → the TLS problem a portal operator has to fix. */
const TLS_CODES: Record<string, TlsProblem> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'incomplete-chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'incomplete-chain',
  UNABLE_TO_GET_ISSUER_CERT: 'incomplete-chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
  CERT_NOT_YET_VALID: 'other',
  CERT_REVOKED: 'other',
  CERT_SIGNATURE_FAILURE: 'other',
  CERT_UNTRUSTED: 'other',
  CERT_REJECTED: 'other',
  INVALID_CA: 'other',
  ERR_SSL_WRONG_VERSION_NUMBER: 'other',
};

const TLS_PROBLEM_TEXT: Record<TlsProblem, string> = {
  'incomplete-chain': 'certificate chain incomplete (the server does not send its intermediate certificate)',
  'self-signed': 'self-signed certificate',
  expired: 'certificate expired',
  'hostname-mismatch': 'certificate does not match the host name',
  other: 'TLS failure',
};

const NETWORK_TRANSIENT = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN',
  'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect time-out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers within the time-out',
  UND_ERR_BODY_TIMEOUT: 'body stalled (idle time-out)',
  ETIMEDOUT: 'connect time-out',
  ODBADGE_TOTAL_TIMEOUT: 'total time-out',
  ODBADGE_TOO_SLOW: 'transfer too slow',
};

/** Time-outs that used up a whole attempt's budget: another attempt would cost as much for the same result. */
const NOT_RETRIED_TIMEOUTS = new Set(['ODBADGE_TOTAL_TIMEOUT']);

interface ErrLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  name?: unknown;
}

/** The most specific error code in an error, its causes, or an AggregateError's members. */
export function errorCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as ErrLike;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = errorCode(inner, depth + 1);
      if (c) return c;
    }
  }
  if (e.cause) {
    const c = errorCode(e.cause, depth + 1);
    if (c) return c;
  }
  return typeof e.code === 'string' && e.code !== 'UND_ERR' ? e.code : undefined;
}

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as ErrLike;
    const own = typeof e.message === 'string' && e.message ? e.message : String(e.name ?? 'error');
    if (Array.isArray(e.errors) && e.errors.length && !own.includes(errorMessage(e.errors[0]))) {
      return `${own} (${e.errors.map(errorMessage).join('; ')})`;
    }
    if (e.cause && typeof e.cause === 'object') {
      const inner = errorMessage(e.cause);
      if (!own.includes(inner)) return `${own}: ${inner}`;
    }
    return own;
  }
  return String(err);
}

/** Classifies an error thrown by undici / Node (or one of ours) during a request. */
export function classifyError(err: unknown): Classified {
  const code = errorCode(err) ?? '';
  const raw = errorMessage(err);
  const msg = (what: string) => (code && !raw.includes(code) ? `${what}: ${raw} [${code}]` : `${what}: ${raw}`);
  if (code === 'ODBADGE_BLOCKED_ADDRESS') return { kind: 'blocked', transient: false, retry: false, message: raw };
  // The proxy (HTTP_PROXY / HTTPS_PROXY) said no: to a CONNECT tunnel, or asking for credentials.
  const proxy = /Proxy response \((\d{3})\) !== 200/.exec(raw);
  if (proxy) {
    const status = Number(proxy[1]);
    const transient = status >= 500 || status === 429;
    return { kind: 'network', transient, retry: transient, message: `the proxy refused to open a tunnel to the host (HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''})` };
  }
  if (/Proxy Authentication Required/.test(raw)) {
    return { kind: 'network', transient: false, retry: false, message: 'the proxy asks for credentials (HTTP 407): give them in the proxy URL, http://user:password@proxy:port' };
  }
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME' || code === 'EAI_NODATA') {
    return { kind: 'dns', transient: false, retry: false, message: msg('host name not found') };
  }
  if (code === 'EAI_AGAIN' || code === 'ESERVFAIL' || (code === 'ETIMEOUT' && /getaddrinfo|query/.test(raw))) {
    return { kind: 'dns', transient: true, retry: true, message: msg('DNS lookup failed temporarily') };
  }
  if (code in TLS_CODES || /^ERR_SSL_|^ERR_TLS_|^CERT_|^EPROTO$/.test(code)) {
    const tlsProblem = TLS_CODES[code] ?? 'other';
    return { kind: 'tls', transient: false, retry: false, message: msg(TLS_PROBLEM_TEXT[tlsProblem]), tlsProblem };
  }
  if (code in TIMEOUT_CODES) {
    return { kind: 'timeout', transient: true, retry: !NOT_RETRIED_TIMEOUTS.has(code), message: msg(TIMEOUT_CODES[code]) };
  }
  if (NETWORK_TRANSIENT.has(code)) {
    return { kind: 'network', transient: true, retry: true, message: msg('connection failed or was cut') };
  }
  if (code.startsWith('HPE_') || (err as ErrLike | null)?.name === 'HTTPParserError' || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
    || code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code.startsWith('ERR__ERROR_FORMAT') || code.startsWith('ERR_BROTLI')) {
    return { kind: 'protocol', transient: false, retry: false, message: msg('malformed response') };
  }
  // Unknown failures are reported as network trouble and treated as transient: a later run may succeed.
  return { kind: 'network', transient: true, retry: true, message: msg('request failed') };
}

/** Classifies a final (non-redirect) status. */
export function classifyStatus(status: number): Classified {
  if (status >= 200 && status < 300) return { kind: 'ok', transient: false, retry: false, message: '' };
  // 429 and 5xx are overload or outage; 408 is the server giving up on a slow request. All may clear later.
  const transient = status === 429 || status === 408 || status >= 500;
  return { kind: 'http-error', transient, retry: transient, message: `HTTP ${status}` };
}

/**
 * Retry-After in milliseconds (delta-seconds or HTTP-date), or undefined when absent or unparseable.
 * A date in the past yields 0.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}
