// Who may send a request next: a global limit, a per-host limit and spacing, and per-host pauses after 429/503.
// One queue per host served round-robin, so a slow or throttled host never holds more than its own share of
// global slots, and a host that is paused holds none (its waiters sit in its queue, not in a slot).

interface Waiter {
  grant: (release: () => void) => void;
  fail: (reason: unknown) => void;
  cleanup: () => void;
}

interface HostState {
  queue: Waiter[];
  active: number;
  /** Current per-host limit; halved on 429/503, regrown by one per success (AIMD). */
  limit: number;
  nextStartAt: number;
  pausedUntil: number;
}

export class HostScheduler {
  readonly #global: number;
  readonly #perHost: number;
  readonly #spacingMs: number;
  readonly #hosts = new Map<string, HostState>();
  #ring: string[] = [];
  #cursor = 0;
  #active = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #closed = false;

  constructor(global: number, perHost: number, spacingMs: number) {
    this.#global = global;
    this.#perHost = perHost;
    this.#spacingMs = spacingMs;
  }

  get active(): number {
    return this.#active;
  }

  /** Resolves with a release function once `host` may start a request. Rejects if aborted or closed. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    if (this.#closed) return Promise.reject(new Error('fetcher is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const h = this.#state(host);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = h.queue.indexOf(waiter);
        if (i >= 0) h.queue.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: resolve,
        fail: reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      h.queue.push(waiter);
      if (!this.#ring.includes(host)) this.#ring.push(host);
      this.#pump();
    });
  }

  /** The host answered 429/503: nobody starts on it before `delayMs` has passed, and it gets fewer slots. */
  penalize(host: string, delayMs: number): void {
    const h = this.#state(host);
    h.pausedUntil = Math.max(h.pausedUntil, Date.now() + delayMs);
    h.limit = Math.max(1, Math.floor(h.limit / 2));
  }

  /** A success on the host: regain one slot of the per-host limit. */
  reward(host: string): void {
    const h = this.#hosts.get(host);
    if (h && h.limit < this.#perHost) h.limit++;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const h of this.#hosts.values()) {
      for (const w of h.queue.splice(0)) {
        w.cleanup();
        w.fail(new Error('fetcher is closed'));
      }
    }
  }

  #state(host: string): HostState {
    let h = this.#hosts.get(host);
    if (!h) {
      h = { queue: [], active: 0, limit: this.#perHost, nextStartAt: 0, pausedUntil: 0 };
      this.#hosts.set(host, h);
    }
    return h;
  }

  #pump(): void {
    if (this.#closed) return;
    const now = Date.now();
    let granted = true;
    while (granted && this.#active < this.#global && this.#ring.length > 0) {
      granted = false;
      for (let i = 0; i < this.#ring.length; i++) {
        const idx = (this.#cursor + i) % this.#ring.length;
        const host = this.#ring[idx];
        const h = this.#hosts.get(host)!;
        if (h.queue.length === 0 || h.active >= h.limit) continue;
        if (Math.max(h.nextStartAt, h.pausedUntil) > now) continue;
        const w = h.queue.shift()!;
        w.cleanup();
        h.active++;
        this.#active++;
        h.nextStartAt = now + this.#spacingMs;
        w.grant(this.#releaser(h));
        this.#cursor = idx + 1; // the next grant starts with the next host: round-robin
        granted = true;
        break;
      }
    }
    // Drop hosts with nothing waiting from the ring; forget idle hosts that carry no pause or reduced limit.
    this.#ring = this.#ring.filter((host) => this.#hosts.get(host)!.queue.length > 0);
    if (this.#cursor >= this.#ring.length) this.#cursor = 0;
    for (const [host, h] of this.#hosts) {
      if (h.queue.length === 0 && h.active === 0 && h.limit === this.#perHost
        && h.pausedUntil <= now && h.nextStartAt <= now) this.#hosts.delete(host);
    }
    this.#armTimer(now);
  }

  /** Wake up when the earliest host held back only by time (spacing or pause) becomes ready. */
  #armTimer(now: number): void {
    if (this.#active >= this.#global) return; // a release will pump
    let earliest = Infinity;
    for (const host of this.#ring) {
      const h = this.#hosts.get(host)!;
      if (h.active >= h.limit) continue;
      const at = Math.max(h.nextStartAt, h.pausedUntil);
      if (at > now) earliest = Math.min(earliest, at);
    }
    if (earliest === Infinity || earliest >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = earliest;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, earliest - now);
  }

  #releaser(h: HostState): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      h.active--;
      this.#active--;
      this.#pump();
    };
  }
}
