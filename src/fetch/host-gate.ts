// Politeness shared with other processes: a distributed audit runs fetchers on many machines against the same hosts,
// and "at most --per-host requests in flight on a host" and "a host's Retry-After holds for everyone" must hold across
// all of them. A HostGate is asked after this process's own scheduler has granted a slot (so the local limits, the
// round-robin and the adaptive share still apply) and before the request goes out; it is told of every pause a host
// asks for. The PostgreSQL implementation keeps per-host leases in the database (src/store/pg-host-gate.ts).

export interface HostGate {
  /**
   * Resolves once a request may start on `host` under the shared limits (in flight, spacing between starts, pause),
   * with the function that gives the slot back. Rejects when `signal` aborts or the gate is closed.
   */
  acquire(host: string, signal?: AbortSignal): Promise<() => void>;
  /** The host asked to slow down (429/503, Retry-After): nobody starts a request on it for `delayMs`. */
  pause(host: string, delayMs: number): Promise<void> | void;
}

/**
 * The shared limits could not be consulted (their database unreachable for longer than the gate waits). Nothing is
 * known about the host, so the fetcher does not judge the resource: it rethrows, and the unit of work that asked
 * fails and is done again later (a distributed job is retried).
 */
export class HostGateUnavailable extends Error {
  override name = 'HostGateUnavailable';
}
