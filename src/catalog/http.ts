// What a catalogue adapter needs from HTTP, and nothing more. The audit (and the CLI) inject odbadge's one guarded
// fetcher here, so catalogue pages, API lookups and the bulk export get the same private-network refusal (at every
// redirect hop and at connect time), size and time limits, redirects and retries as resources. The catalogue
// stage comes before the fetch stage, so it declares the interface and never imports the fetcher.
import { readFile } from 'node:fs/promises';
import type { FetchOutcome } from '../model.ts';

export interface CatalogRequest {
  /** Bytes accepted at most; a larger answer is cut (`truncated`) or, streamed, ends with an error. */
  maxBytes?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Wall-clock bound on one attempt, overriding the client's default (a quick lookup, a large export). */
  totalTimeoutMs?: number;
}

export interface CatalogStream {
  /** The response as it started: status and headers, or why there is none (`kind`, `error`). */
  outcome: FetchOutcome;
  /**
   * A 2xx body as it arrives (downloaded at the network's pace whatever the reader's). Throws if the transfer
   * breaks off or passes `maxBytes`. Stopping early cancels the download.
   */
  body?: AsyncIterable<Uint8Array>;
}

export interface CatalogHttp {
  /** One GET, the whole body kept (`body` in memory or `bodyFile`). Never throws for network or HTTP trouble. */
  fetch(url: string, o?: CatalogRequest): Promise<FetchOutcome>;
  /** One GET whose 2xx body is read as it arrives: for documents too large to wait for (a bulk export). */
  stream(url: string, o?: CatalogRequest): Promise<CatalogStream>;
  /** Frees what an outcome holds (its share of the memory budget, its spill file). */
  release(outcome: FetchOutcome): Promise<void>;
}

/** The client for a network source, or a clear error naming who forgot to pass one. */
export function requireHttp(http: CatalogHttp | undefined, what: string): CatalogHttp {
  if (!http) throw new Error(`${what}: reading a catalogue over HTTP needs the audit's HTTP client (none was given)`);
  return http;
}

/** The body of an outcome as UTF-8 text, wherever it is held. */
export async function bodyText(o: FetchOutcome): Promise<string> {
  if (o.body) return Buffer.from(o.body.buffer, o.body.byteOffset, o.body.byteLength).toString('utf8');
  if (o.bodyFile) return readFile(o.bodyFile, 'utf8');
  return '';
}

/**
 * Why an outcome has no answer to read, in the client's words (refusal, time-out, DNS…). Never quotes a body:
 * a refused address was never contacted, and nothing it might have said belongs in an error message.
 */
export function failureText(o: FetchOutcome): string {
  return o.error ?? (o.status !== undefined ? `HTTP ${o.status}` : o.kind);
}

/** Whether an outcome carries an HTTP answer whose body may be read (a success, or an error page to explain). */
export function answered(o: FetchOutcome): o is FetchOutcome & { status: number } {
  return o.status !== undefined && (o.kind === 'ok' || o.kind === 'http-error');
}
