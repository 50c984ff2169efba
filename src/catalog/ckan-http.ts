// Calls to a CKAN action API (/api/3/action/<name>) through the audit's guarded HTTP client (src/catalog/http.ts):
// private-network refusal, time-outs, retries and a size cap. CKAN answers { success, result } or
// { success: false, error: { __type, message } } (often with HTTP 404/409/403).
import { answered, bodyText, failureText, type CatalogHttp } from './http.ts';

export interface CkanHttpOptions {
  /** The HTTP client (the audit's fetcher). */
  http: CatalogHttp;
  signal?: AbortSignal;
  /** a response larger than this is refused (default 64 MiB: package_search with rows=1000 runs to ~20 MB) */
  maxBytes?: number;
}

/** A CKAN call that did not give a result: HTTP error, success:false, malformed JSON or a network failure. */
export class CkanError extends Error {
  readonly action: string;
  readonly status?: number;
  readonly ckanType?: string;
  constructor(action: string, message: string, extra: { status?: number; ckanType?: string; cause?: unknown } = {}) {
    super(message, extra.cause ? { cause: extra.cause } : undefined);
    this.name = 'CkanError';
    this.action = action;
    this.status = extra.status;
    this.ckanType = extra.ckanType;
  }
}

/** Parses a CKAN envelope; throws CkanError with the portal's own message when it is not a success. */
export function unwrapCkanResponse(action: string, status: number, text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const excerpt = text.slice(0, 120).replace(/\s+/g, ' ');
    throw new CkanError(action, `CKAN ${action}: the answer is not JSON (HTTP ${status}): ${(e as Error).message}; begins "${excerpt}"`, { status, cause: e });
  }
  const env = json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  if (env?.success === false || status < 200 || status >= 300) {
    const err = env?.error && typeof env.error === 'object' ? (env.error as Record<string, unknown>) : {};
    const type = typeof err.__type === 'string' ? err.__type : undefined;
    const msg = typeof err.message === 'string' ? err.message : Object.entries(err).filter(([k]) => k !== '__type').map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('; ');
    throw new CkanError(action, `CKAN ${action} failed (HTTP ${status}${type ? `, ${type}` : ''})${msg ? `: ${msg}` : ''}`, { status, ckanType: type });
  }
  if (!env || env.success !== true || !('result' in env)) {
    throw new CkanError(action, `CKAN ${action}: the answer is JSON but not a CKAN response (no success/result)`, { status });
  }
  return env.result;
}

/** GET url → { status, text } through the HTTP client; no answer, or one over the size cap, becomes a CkanError. */
export async function getText(url: URL, action: string, o: CkanHttpOptions): Promise<{ status: number; text: string }> {
  const cap = o.maxBytes ?? 64 * 1024 * 1024;
  const f = await o.http.fetch(url.href, { maxBytes: cap, headers: { accept: 'application/json' }, signal: o.signal });
  try {
    if (!answered(f)) {
      // The client's own words (refused address, time-out, DNS…): nothing from a body, never one from a refused host.
      throw new CkanError(action, `CKAN ${action}: cannot reach ${url.origin}${url.pathname}: ${failureText(f)}`, { status: f.status });
    }
    if (f.truncated) throw new CkanError(action, `CKAN ${action}: response exceeds ${cap} bytes`, { status: f.status });
    return { status: f.status, text: await bodyText(f) };
  } finally {
    await o.http.release(f);
  }
}

/** GET {apiBase}/{action}?params → result. apiBase ends in /api/3/action. */
export async function ckanAction(apiBase: string, action: string, params: Record<string, string | number | undefined>, o: CkanHttpOptions): Promise<unknown> {
  const url = new URL(`${apiBase.replace(/\/+$/, '')}/${action}`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const { status, text } = await getText(url, action, o);
  return unwrapCkanResponse(action, status, text);
}
