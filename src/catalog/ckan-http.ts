// Calls to a CKAN action API (/api/3/action/<name>) with time-outs and a size cap. CKAN answers
// { success, result } or { success: false, error: { __type, message } } (often with HTTP 404/409/403).
import { Agent, request, type Dispatcher } from 'undici';

export interface CkanHttpOptions {
  signal?: AbortSignal;
  /** ms to wait for response headers, and between body chunks (defaults 30 s, 60 s) */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** a response larger than this is refused (default 64 MiB: package_search with rows=1000 runs to ~20 MB) */
  maxBytes?: number;
  dispatcher?: Dispatcher;
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

export function newCkanAgent(o: CkanHttpOptions = {}): Agent {
  return new Agent({ headersTimeout: o.headersTimeoutMs ?? 30_000, bodyTimeout: o.bodyTimeoutMs ?? 60_000, connectTimeout: 15_000 });
}

async function readCapped(body: AsyncIterable<Uint8Array>, cap: number, action: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > cap) throw new CkanError(action, `CKAN ${action}: response exceeds ${cap} bytes`);
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks);
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

/** GET url → { status, text }, with time-outs and the size cap; network failures become CkanError. */
export async function getText(url: URL, action: string, o: CkanHttpOptions = {}): Promise<{ status: number; text: string }> {
  const own = o.dispatcher ? undefined : newCkanAgent(o);
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, { method: 'GET', signal: o.signal, dispatcher: o.dispatcher ?? own, headers: { accept: 'application/json' } });
    } catch (e) {
      throw new CkanError(action, `CKAN ${action}: cannot reach ${url.origin}${url.pathname}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const buf = await readCapped(res.body, o.maxBytes ?? 64 * 1024 * 1024, action);
      return { status: res.statusCode, text: buf.toString('utf8') };
    } catch (e) {
      res.body.destroy();
      if (e instanceof CkanError) throw e;
      throw new CkanError(action, `CKAN ${action}: the answer broke off: ${(e as Error).message}`, { status: res.statusCode, cause: e });
    }
  } finally {
    await own?.close().catch(() => undefined);
  }
}

/** GET {apiBase}/{action}?params → result. apiBase ends in /api/3/action. */
export async function ckanAction(apiBase: string, action: string, params: Record<string, string | number | undefined>, o: CkanHttpOptions = {}): Promise<unknown> {
  const url = new URL(`${apiBase.replace(/\/+$/, '')}/${action}`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const { status, text } = await getText(url, action, o);
  return unwrapCkanResponse(action, status, text);
}
