// Per-host circuit breaker: a host whose attempts keep timing out stops costing full time-outs. After `threshold`
// timed-out attempts in a row (no answer in between) the breaker is open: the host's remaining requests get one
// attempt with a short deadline and are reported "host unresponsive" if that times out too. Any answer closes it.

export class HostBreaker {
  readonly threshold: number;
  /** Timed-out attempts in a row, per host; hosts that answered are forgotten. */
  readonly #streak = new Map<string, number>();

  /** `threshold` 0 turns the breaker off. */
  constructor(threshold: number) {
    this.threshold = threshold;
  }

  isOpen(host: string): boolean {
    return this.threshold > 0 && (this.#streak.get(host) ?? 0) >= this.threshold;
  }

  /** Timed-out attempts in a row on `host`. */
  streak(host: string): number {
    return this.#streak.get(host) ?? 0;
  }

  timedOut(host: string): void {
    this.#streak.set(host, (this.#streak.get(host) ?? 0) + 1);
  }

  /** The host answered (any status, or a complete body): it is responsive again. */
  answered(host: string): void {
    this.#streak.delete(host);
  }
}
