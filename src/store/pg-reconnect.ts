// What every PostgreSQL user of odbadge (the store, the queue, the host gate, a worker) does when the server goes
// away mid-run — a restart, a failover, a dropped network path: wait for it and do the operation again, for a
// bounded time, instead of failing the audit. Only "the server is unreachable" is waited out; a server that answers
// with an error (bad SQL, no such database, a wrong password) is not, and neither is a server never reached: a
// process that could not connect at start says so at once.
import { sleep } from '../util/sleep.ts';

export const RECONNECT_ENV = 'ODBADGE_DB_RECONNECT_SECONDS';

/**
 * How long an operation waits for a database that went away before it fails: ODBADGE_DB_RECONNECT_SECONDS, else
 * 5 minutes. Throws a RangeError for a value that is not a number of seconds (the CLI checks it before any command).
 */
export function reconnectWindowMs(env = process.env[RECONNECT_ENV]): number {
  if (env === undefined || env.trim() === '') return 5 * 60_000;
  const s = Number(env);
  if (!Number.isFinite(s) || s < 0) throw new RangeError(`${RECONNECT_ENV} must be a number of seconds (0 or more), not ${JSON.stringify(env.slice(0, 80))}`);
  return s * 1000;
}

/**
 * The error says the server is unreachable or going/coming: a refused or reset connection, a socket file missing
 * while the server restarts, the server shutting down or starting up (SQLSTATE 57P01–57P03), a connection exception
 * (class 08), or node-postgres reporting a connection it lost or could not make in time.
 */
export function isPgUnreachable(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  const message = String((e as Error)?.message ?? '');
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOENT|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|57P0[123]|08\d\d\d)$/.test(code)) return true;
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended unexpectedly/i.test(message);
}

export interface ReconnectOptions {
  /** Give up after the server has been unreachable this long (default reconnectWindowMs()). */
  windowMs?: number;
  /** Told of each failed attempt before the wait (logs: "database unreachable, retrying"). */
  onWait?: (e: unknown, waitedMs: number) => void;
  /** Stop waiting (the process is stopping): the last error is thrown. */
  signal?: AbortSignal;
}

/**
 * Runs `op`; while it fails because the server is unreachable, waits (250 ms doubling to 5 s) and runs it again,
 * until `windowMs` has passed. `op` must be safe to run twice: an attempt may have committed just before its
 * connection broke.
 */
export async function withReconnect<T>(op: () => Promise<T>, o: ReconnectOptions = {}): Promise<T> {
  const windowMs = o.windowMs ?? reconnectWindowMs();
  let since: number | undefined;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await op();
    } catch (e) {
      if (!isPgUnreachable(e) || o.signal?.aborted) throw e;
      since ??= Date.now();
      const waited = Date.now() - since;
      if (waited >= windowMs) throw e;
      o.onWait?.(e, waited);
      await sleep(Math.min(delay, windowMs - waited), o.signal);
    }
  }
}
