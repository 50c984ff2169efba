// The coordinator's side of a distributed audit (`odbadge audit --distributed`): the catalogue is read as in a local
// audit, but each dataset not yet recorded becomes a job on the PostgreSQL queue instead of work in this process;
// then the coordinator waits until the store holds a result for every dataset it enqueued, and the audit goes on as
// a local one with a history store does — scores, the run closed, every output written from the store.
import type { HistoryStore } from '../../store/history-store.ts';
import type { DatasetQueue } from './queue.ts';
import type { RunSecrets, WorkerJob } from './worker.ts';
import type { Dataset } from '../../model.ts';
import { sleep } from '../../util/sleep.ts';

/** Jobs sent to the queue in one statement. */
const BATCH = 250;

export class Coordinator {
  readonly #queue: DatasetQueue;
  readonly #store: HistoryStore;
  readonly #runId: number;
  readonly #secrets: RunSecrets;
  #batch: WorkerJob[] = [];
  /** Datasets enqueued in this session. */
  enqueued = 0;

  constructor(o: { queue: DatasetQueue; store: HistoryStore; runId: number; secrets: RunSecrets }) {
    this.#queue = o.queue;
    this.#store = o.store;
    this.#runId = o.runId;
    this.#secrets = o.secrets;
  }

  /** Enqueues a dataset (sent with the next batch). */
  async add(idx: number, dataset: Dataset): Promise<void> {
    this.#batch.push({ runId: this.#runId, idx, dataset, ...this.#secrets });
    this.enqueued++;
    if (this.#batch.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const jobs = this.#batch;
    this.#batch = [];
    await this.#queue.enqueue(jobs);
  }

  /**
   * Resolves once the store holds `expected` results of the run (the datasets at positions below it), or when
   * `signal` aborts. `onProgress` is told the count at each look.
   */
  async waitFor(expected: number, o: { signal?: AbortSignal; pollMs?: number; onProgress?: (done: number) => void } = {}): Promise<number> {
    const pollMs = o.pollMs ?? 500;
    for (;;) {
      // A database restart is waited out inside the store (store/pg-reconnect.ts), as the workers' calls are.
      const done = await this.#store.countRunResults(this.#runId, expected);
      o.onProgress?.(done);
      if (done >= expected || o.signal?.aborted) return done;
      await sleep(pollMs, o.signal);
    }
  }
}
