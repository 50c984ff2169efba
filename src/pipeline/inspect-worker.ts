// An inspection worker thread (see inspect-pool.ts): takes jobs from the main thread, inspects, answers with facts.
// Its bodies arrive transferred (no copy) or as spill-file paths; it holds nothing between jobs.
import { parentPort } from 'node:worker_threads';
import { runInspectJob, runOasJob, type InspectJob, type OasJob } from './inspect-jobs.ts';

export type WorkerRequest = { id: number; kind: 'inspect'; job: InspectJob } | { id: number; kind: 'oas'; job: OasJob };
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const port = parentPort;
if (port) {
  port.on('message', (m: WorkerRequest) => {
    const work = m.kind === 'oas' ? runOasJob(m.job) : runInspectJob(m.job);
    work.then(
      (value) => port.postMessage({ id: m.id, ok: true, value } satisfies WorkerReply),
      (e: unknown) => port.postMessage({ id: m.id, ok: false, error: (e as Error)?.stack ?? String(e) } satisfies WorkerReply),
    );
  });
}
