// One budget for body bytes held in memory across every download in flight. Downloads never wait for it: a body
// the budget cannot take goes to a spill file instead (body-sink.ts), so memory stays bounded whatever
// concurrency × maxBytes allows.

export class BodyBudget {
  readonly limit: number;
  #used = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes reserved right now. */
  get used(): number {
    return this.#used;
  }

  /** Reserves `n` bytes if they fit; false (and nothing reserved) if not. */
  tryReserve(n: number): boolean {
    if (this.#used + n > this.limit) return false;
    this.#used += n;
    return true;
  }

  /** Reserves `n` bytes even past the limit: only when spilling is impossible (the disk refused). */
  forceReserve(n: number): void {
    this.#used += n;
  }

  release(n: number): void {
    this.#used = Math.max(0, this.#used - n);
  }
}
