// How the distributed audit's queue is timed (queue.ts): its defaults, and ODBADGE_QUEUE_TIMING over them. Apart
// from queue.ts so that checking the variable does not load pg-boss.

export interface QueueTiming {
  /** A job whose worker has not beaten for this long is retried elsewhere (pg-boss: at least 10). */
  heartbeatSeconds: number;
  /** How often pg-boss looks for such jobs. */
  monitorIntervalSeconds: number;
  /** Attempts after the first before a job goes to the dead-letter queue. */
  retryLimit: number;
  /** Seconds before a failed job is tried again (doubling, at most 60). */
  retryDelay: number;
  /** How often an idle worker asks for jobs (LISTEN/NOTIFY wakes it sooner). */
  pollingIntervalSeconds: number;
  /** A dead worker's per-host leases are free again after this long (store/pg-host-gate.ts). */
  hostLeaseSeconds: number;
}

export const DEFAULT_QUEUE_TIMING: QueueTiming = {
  heartbeatSeconds: 30,
  // Also how fresh the backlog count is that lets a worker fetch its next job at once (burst) instead of after its
  // polling interval: a short job then costs no idle time. The monitor's queries are cheap.
  monitorIntervalSeconds: 2,
  // A dataset that killed three workers is a poison pill: recorded as failed, as a local audit does after two deaths.
  retryLimit: 2,
  retryDelay: 2,
  pollingIntervalSeconds: 1,
  hostLeaseSeconds: 60,
};

export const QUEUE_TIMING_ENV = 'ODBADGE_QUEUE_TIMING';

/**
 * Timing from ODBADGE_QUEUE_TIMING (JSON, e.g. {"heartbeatSeconds":10}) over the defaults — for tests and operators.
 * Throws a RangeError saying what is wrong (the CLI checks it before any command runs).
 */
export function queueTiming(env = process.env[QUEUE_TIMING_ENV]): QueueTiming {
  if (!env) return DEFAULT_QUEUE_TIMING;
  let given: unknown;
  try {
    given = JSON.parse(env);
  } catch {
    throw new RangeError(`${QUEUE_TIMING_ENV} must be a JSON object such as {"heartbeatSeconds":10}, not ${JSON.stringify(env.slice(0, 80))}`);
  }
  if (!given || typeof given !== 'object' || Array.isArray(given)) throw new RangeError(`${QUEUE_TIMING_ENV} must be a JSON object such as {"heartbeatSeconds":10}`);
  const known = Object.keys(DEFAULT_QUEUE_TIMING);
  for (const [k, v] of Object.entries(given)) {
    if (!known.includes(k)) throw new RangeError(`${QUEUE_TIMING_ENV}: unknown setting "${k}" (known: ${known.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${QUEUE_TIMING_ENV}: ${k} must be a number of 0 or more, not ${JSON.stringify(v)}`);
  }
  const t = { ...DEFAULT_QUEUE_TIMING, ...(given as Partial<QueueTiming>) };
  // pg-boss refuses a shorter heartbeat.
  if (t.heartbeatSeconds < 10) throw new RangeError(`${QUEUE_TIMING_ENV}: heartbeatSeconds must be 10 or more (pg-boss's least), not ${t.heartbeatSeconds}`);
  return t;
}
