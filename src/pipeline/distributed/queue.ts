// The job queue of a distributed audit, on PostgreSQL through pg-boss: one job per dataset of a run. pg-boss gives
// each job a lease kept alive by the worker's heartbeat; a worker that dies (SIGKILL, its machine gone) stops
// beating, and its job is retried on another worker after `heartbeatSeconds`. A job id is derived from (run,
// position, dataset id), so enqueueing a dataset twice — a resumed coordinator reading the catalogue again — adds
// nothing. A job that failed `retryLimit + 1` times (it killed every worker that took it) goes to the dead-letter
// queue, where any worker records the dataset as failed, so the run can finish.
import { createHash } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { Dataset } from '../../model.ts';
import { withReconnect } from '../../store/pg-reconnect.ts';
import { queueTiming, type QueueTiming } from './queue-timing.ts';

export { DEFAULT_QUEUE_TIMING, queueTiming, type QueueTiming } from './queue-timing.ts';

export const DATASET_QUEUE = 'odbadge-dataset';
export const DEAD_QUEUE = 'odbadge-dataset-dead';

export interface DatasetJob {
  runId: number;
  /** Catalogue position. */
  idx: number;
  /** The dataset as the catalogue listed it (enrichment happens in the job). */
  dataset: Dataset;
}

/** The job id of a dataset of a run: a UUID (pg-boss's id type) derived from what identifies the dataset. */
export function datasetJobId(runId: number, idx: number, datasetId: string): string {
  const h = createHash('sha256').update(`odbadge:${runId}:${idx}:${datasetId}`).digest('hex');
  // Shaped as a version-5-like UUID; only uniqueness matters.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class DatasetQueue {
  readonly boss: PgBoss;
  readonly timing: QueueTiming;

  private constructor(boss: PgBoss, timing: QueueTiming) {
    this.boss = boss;
    this.timing = timing;
  }

  /**
   * Connects, installs or migrates pg-boss's schema (`odbadge_queue`) and creates the queues. `onError` receives the
   * errors pg-boss reports from its background work (a dropped connection: it reconnects by itself).
   */
  static async open(connectionString: string, o: { timing?: QueueTiming; onError?: (e: Error) => void; supervise?: boolean } = {}): Promise<DatasetQueue> {
    const timing = o.timing ?? queueTiming();
    const boss = new PgBoss({
      connectionString,
      schema: 'odbadge_queue',
      application_name: 'odbadge',
      max: 4,
      monitorIntervalSeconds: timing.monitorIntervalSeconds,
      superviseIntervalSeconds: timing.monitorIntervalSeconds,
      queueCacheIntervalSeconds: timing.monitorIntervalSeconds,
      // Completed jobs (they hold the catalogue's URLs) are deleted an hour after they finish.
      maintenanceIntervalSeconds: 600,
      supervise: o.supervise ?? true,
      schedule: false,
      useListenNotify: true,
    });
    // Without a listener an 'error' event would end the process; these are reconnects and the like.
    boss.on('error', (e: Error) => o.onError?.(e));
    await boss.start();
    const common = { retryLimit: timing.retryLimit, retryDelay: timing.retryDelay, retryBackoff: true, retryDelayMax: 60, heartbeatSeconds: timing.heartbeatSeconds, expireInSeconds: 6 * 3600, deleteAfterSeconds: 3600 };
    await boss.createQueue(DEAD_QUEUE, { ...common, retryLimit: 10 });
    await boss.createQueue(DATASET_QUEUE, { ...common, deadLetter: DEAD_QUEUE, notify: true });
    return new DatasetQueue(boss, timing);
  }

  /** Enqueues datasets of a run (at most once each: see datasetJobId). */
  async enqueue(jobs: DatasetJob[]): Promise<void> {
    if (!jobs.length) return;
    // Safe to repeat (the ids make a second insert add nothing), so a database restart is waited out.
    await withReconnect(() => this.boss.insert(DATASET_QUEUE, jobs.map((j) => ({ id: datasetJobId(j.runId, j.idx, j.dataset.id), data: j }))));
  }

  /** Stops taking jobs; with `graceful`, waits for the jobs in hand to finish. */
  async close(o: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful: o.graceful ?? true, timeout: o.timeoutMs ?? 30_000 });
  }
}
