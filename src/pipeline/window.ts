// The in-flight window: how many datasets an audit works on at once. Sized by resources in flight rather than
// datasets, so a stretch of one host's datasets still leaves the fetcher other hosts to choose from; at least
// minDatasets datasets whatever their size, and never the whole catalogue.

/** Window sizes: every fetch slot busy across many hosts, yet a huge catalogue is never held at once. */
export function auditWindow(concurrency: number): { minDatasets: number; maxResources: number } {
  const minDatasets = Math.max(8, concurrency * 2);
  return { minDatasets, maxResources: Math.max(minDatasets, concurrency * 8) };
}

export class InFlightWindow {
  readonly #minDatasets: number;
  readonly #maxResources: number;
  readonly #inFlight = new Set<Promise<void>>();
  #resources = 0;
  // One waiter woken when any dataset finishes: Promise.race over the whole window would attach a reaction to every
  // in-flight promise per dataset read (quadratic microtasks, and memory on long-pending promises).
  #wake: (() => void) | undefined;

  constructor(sizes: { minDatasets: number; maxResources: number }) {
    this.#minDatasets = sizes.minDatasets;
    this.#maxResources = sizes.maxResources;
  }

  get size(): number {
    return this.#inFlight.size;
  }

  #slotFreed(): Promise<void> {
    return new Promise<void>((r) => {
      this.#wake = r;
    });
  }

  /** Waits until nothing is in flight. */
  async empty(): Promise<void> {
    while (this.#inFlight.size) await this.#slotFreed();
  }

  /**
   * Runs `work` (a dataset of `weight` resources) in the window; resolves when there is room for the next one.
   * `alone`: nothing else in flight before or during it. `work` must not reject (it reports its own failures).
   */
  async run(weight: number, work: () => Promise<void>, alone = false): Promise<void> {
    if (alone) await this.empty();
    this.#resources += weight;
    const p: Promise<void> = work().finally(() => {
      this.#inFlight.delete(p);
      this.#resources -= weight;
      this.#wake?.();
      this.#wake = undefined;
    });
    this.#inFlight.add(p);
    if (alone) await this.empty();
    while (this.#inFlight.size >= this.#minDatasets && (this.#resources >= this.#maxResources || this.#inFlight.size >= this.#maxResources)) {
      await this.#slotFreed();
    }
  }

  /** Every dataset in flight, settled. */
  async drain(): Promise<void> {
    await Promise.all(this.#inFlight);
  }
}
