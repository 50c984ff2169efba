// Inspection off the main thread: a pool of worker threads, one per core by default (--workers), so parsing runs on
// every core while the main thread schedules downloads, evaluates and writes. A body in memory is transferred to
// its worker (no copy when the fetcher's buffer is its own, one copy when it is a view into a larger one); a
// spilled body goes as its file path. The caller keeps the body's share of the fetcher's memory budget until the
// promise settles, so the budget bounds bodies held by workers too.
//
// A worker that dies (out of memory on a hostile file, a crash in a parser) takes only its jobs with it: they are
// tried once more on a fresh worker, and a job that was on two dead workers is answered with a failure — the
// audit goes on.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ResourceFacts } from '../model.ts';
import type { InspectJob, OasJob } from './inspect-jobs.ts';
import type { OpenApiReport } from '../inspect/openapi/index.ts';
import { DEFAULT_INSPECT_LIMITS } from '../inspect/limits.ts';
import type { WorkerReply, WorkerRequest } from './inspect-worker.ts';
import { siblingModule } from '../util/sibling-module.ts';
import { workerYoungGeneration } from '../util/lean-heap.ts';

/** What the observer needs to turn a body into facts, wherever that runs. */
export interface Inspector {
  inspect(job: InspectJob): Promise<ResourceFacts>;
  validateOpenApi(job: OasJob): Promise<OpenApiReport>;
  close(): Promise<void>;
}

/** --workers default: one inspection thread per core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** An inspector for `workers` threads; 0 inspects on the calling thread. */
export function createInspector(workers: number): Inspector {
  return workers > 0 ? new InspectPool(workers) : new LocalInspector();
}

/** Inspection on the calling thread (--workers 0; also what a worker does with each job). */
export class LocalInspector implements Inspector {
  #jobs: Promise<typeof import('./inspect-jobs.ts')> | undefined;
  inspect(job: InspectJob): Promise<ResourceFacts> {
    return (this.#jobs ??= import('./inspect-jobs.ts')).then((m) => m.runInspectJob(job));
  }
  validateOpenApi(job: OasJob): Promise<OpenApiReport> {
    return (this.#jobs ??= import('./inspect-jobs.ts')).then((m) => m.runOasJob(job));
  }
  async close(): Promise<void> {}
}

/**
 * A worker's young generation: 2 × 8 MB. Inspection allocates mostly short-lived strings and rows; the default
 * (growing to 2 × 64 MB per isolate) would cost ~110 MB per worker, and 2 × 4 MB promoted so much that old space grew
 * more than that saved (measured on the portal benchmark).
 */
const WORKER_SEMI_SPACE_MB = 8;

/** Jobs handed to one worker at once: enough to overlap its file reads and SheetJS processes, few enough to balance. */
const PER_WORKER = 4;

interface Pending {
  request: WorkerRequest;
  transfer: ArrayBuffer[];
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** Workers that died with this job on them. */
  deaths: number;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Pending>;
}

export class InspectPool implements Inspector {
  readonly size: number;
  readonly #slots: (Slot | undefined)[];
  readonly #queue: Pending[] = [];
  /** Each worker's share of sheetJsProcesses, so the process-wide bound holds across workers. */
  readonly #sheetJsShare: number;
  #next = 1;
  #closed = false;

  /** Old-generation heap of each worker, MB (default: V8's, as the main thread has; tests set a small one). */
  readonly #heapMb: number | undefined;

  constructor(size: number, o: { heapMb?: number } = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`workers must be a whole number ≥ 1, got ${size}`);
    this.size = size;
    this.#heapMb = o.heapMb;
    this.#slots = Array.from({ length: size }, () => undefined);
    this.#sheetJsShare = Math.max(1, Math.floor(DEFAULT_INSPECT_LIMITS.sheetJsProcesses / size));
  }

  inspect(job: InspectJob): Promise<ResourceFacts> {
    const transfer: ArrayBuffer[] = [];
    const body = job.body ? transferable(job.body, transfer) : undefined;
    return this.#submit({ id: 0, kind: 'inspect', job: { ...job, ...(body ? { body } : {}), limits: { sheetJsProcesses: this.#sheetJsShare, ...job.limits } } }, transfer) as Promise<ResourceFacts>;
  }

  validateOpenApi(job: OasJob): Promise<OpenApiReport> {
    const transfer: ArrayBuffer[] = [];
    const body = job.body ? transferable(job.body, transfer) : undefined;
    return this.#submit({ id: 0, kind: 'oas', job: { ...job, ...(body ? { body } : {}) } }, transfer) as Promise<OpenApiReport>;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const err = new Error('the inspection pool is closed');
    for (const p of this.#queue.splice(0)) p.reject(err);
    await Promise.all(this.#slots.map(async (s, i) => {
      if (!s) return;
      this.#slots[i] = undefined;
      for (const p of s.jobs.values()) p.reject(err);
      s.jobs.clear();
      await s.worker.terminate();
    }));
  }

  #submit(request: WorkerRequest, transfer: ArrayBuffer[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the inspection pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request: { ...request, id: this.#next++ }, transfer, resolve, reject, deaths: 0 });
      this.#dispatch();
    });
  }

  /** Hands queued jobs to the least busy workers with room, starting workers as they are first needed. */
  #dispatch(): void {
    while (this.#queue.length) {
      let best = -1;
      for (let i = 0; i < this.size; i++) {
        const n = this.#slots[i]?.jobs.size ?? 0;
        if (n < PER_WORKER && (best < 0 || n < (this.#slots[best]?.jobs.size ?? 0))) best = i;
      }
      if (best < 0) return;
      const slot = (this.#slots[best] ??= this.#start(best));
      const p = this.#queue.shift()!;
      slot.jobs.set(p.request.id, p);
      slot.worker.postMessage(p.request, p.transfer);
    }
  }

  #start(i: number): Slot {
    workerYoungGeneration(WORKER_SEMI_SPACE_MB);
    const worker = new Worker(siblingModule('inspect-worker', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 3 * WORKER_SEMI_SPACE_MB, ...(this.#heapMb ? { maxOldGenerationSizeMb: this.#heapMb } : {}) },
    });
    const slot: Slot = { worker, jobs: new Map() };
    worker.on('message', (m: WorkerReply) => {
      const p = slot.jobs.get(m.id);
      if (!p) return;
      slot.jobs.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
      this.#dispatch();
    });
    const died = (why: string) => {
      if (this.#slots[i] !== slot) return;
      this.#slots[i] = undefined;
      this.#died(slot, why);
    };
    worker.on('error', (e) => died((e as Error)?.message ?? String(e)));
    worker.on('exit', (code) => died(`exited with code ${code}`));
    return slot;
  }

  /** A worker died: its jobs go to a fresh one once; a second death answers them with the failure. */
  #died(slot: Slot, why: string): void {
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    void slot.worker.terminate().catch(() => undefined);
    if (this.#closed) return;
    for (const p of jobs) {
      p.deaths++;
      // A transferred body is gone from this thread: only a job whose input is a file can be sent again.
      if (p.deaths < 2 && p.request.job.body === undefined) this.#queue.unshift(p);
      else p.reject(new WorkerDied(`the inspection worker died (${why})`));
    }
    this.#dispatch();
  }
}

/** An inspection worker died with the job on it (out of memory on a hostile file, a parser crash). */
export class WorkerDied extends Error {
  override name = 'WorkerDied';
}

/**
 * The body as a Uint8Array whose whole ArrayBuffer may be transferred. A buffer the fetcher assembled is exactly
 * the body's size and its own; a small body may be a view into a shared pool or socket buffer (other data lives
 * there), so it is copied — a copy of a few kilobytes costs less than the message itself.
 */
function transferable(body: Uint8Array, transfer: ArrayBuffer[]): Uint8Array {
  const own = body.buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.byteLength > 64 * 1024;
  const out = own ? body : new Uint8Array(body);
  transfer.push(out.buffer as ArrayBuffer);
  return out;
}
