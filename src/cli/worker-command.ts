// `odbadge worker --db postgres://…`: audits datasets of distributed runs (`audit --distributed`) until stopped. Any
// number of workers on any machines; each needs the network to the portals and to PostgreSQL, nothing else — what to
// audit and how (ruleset, fetch limits) comes from the run the coordinator recorded. SIGTERM or Ctrl-C: no new jobs,
// the datasets in hand are finished and recorded, then it exits 0; a second signal exits at once (the jobs it held
// are retried elsewhere once their heartbeat stops).
import { DatasetQueue } from '../pipeline/distributed/queue.ts';
import { DistributedWorker } from '../pipeline/distributed/worker.ts';
import { isPostgresUrl } from '../store/open-store.ts';
import { redactUrl } from '../util/redact.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { DB_OPTION, nonNegativeInt, positiveInt } from './options.ts';
import { leanHeap } from '../util/lean-heap.ts';
import { openStoreForCli } from './store-cli.ts';

export interface WorkerCliOptions {
  db?: string;
  concurrency?: number;
  workers?: number;
}

export async function workerCommand(o: WorkerCliOptions, ctx = new CliContext('odbadge worker')): Promise<number> {
  const db = o.db ?? process.env.ODBADGE_DB;
  if (!db || !isPostgresUrl(db)) return ctx.usage('worker needs --db postgres://… (or ODBADGE_DB): distributed audits share a PostgreSQL store');
  // Created when missing: workers may start before any coordinator has.
  const opened = await openStoreForCli(ctx, db, true);
  if ('code' in opened) return opened.code;
  const store = opened.store!;
  let queue: DatasetQueue | undefined;
  let worker: DistributedWorker | undefined;
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = () => {
      if (++signals > 1) process.exit(EXIT.interrupted);
      ctx.notice('Stopping: finishing the datasets in hand (again to quit at once)…\n');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // The heap settings of a local audit (util/lean-heap.ts): a worker holds as many datasets in flight as one.
  leanHeap();
  try {
    queue = await DatasetQueue.open(db, { onError: (e) => ctx.detail(`queue: ${e.message}\n`) });
    let done = 0;
    worker = await DistributedWorker.start({
      store, queue, db, concurrency: o.concurrency ?? 8, ...(o.workers !== undefined ? { inspectThreads: o.workers } : {}),
      onDataset: (runId, idx) => {
        done++;
        ctx.detail(`run ${runId} dataset ${idx} recorded (${done} by this worker)\n`);
      },
      onError: (e) => ctx.detail(`database: ${(e as Error).message}\n`),
    });
    ctx.info(`odbadge worker: taking jobs from ${redactUrl(db)} (${o.concurrency ?? 8} datasets at once); SIGTERM or Ctrl-C to stop\n`);
    await stopped;
    // The datasets in hand are recorded once stop() returns; what goes wrong closing connections afterwards (the
    // database restarted under them) is reported, and does not make the stop a failure.
    await worker.stop().catch((e: unknown) => ctx.warning(`stopping: ${(e as Error)?.message ?? e}`));
    await queue.close({ graceful: true }).catch((e: unknown) => ctx.warning(`closing the queue: ${(e as Error)?.message ?? e}`));
    ctx.info(`odbadge worker: stopped after ${done} dataset(s)\n`);
    return EXIT.ok;
  } finally {
    await store.close().catch(() => undefined);
  }
}

export const workerSpec: CommandSpec = {
  name: 'worker',
  description: 'audit datasets of distributed runs (audit --distributed) from the PostgreSQL queue until stopped; run any number, on any machines',
  options: [
    { ...DB_OPTION, flags: '--db <url>', description: 'the PostgreSQL store of the distributed runs (postgres://…)', defaultText: '$ODBADGE_DB' },
    { flags: '--concurrency <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '8', description: 'datasets audited at once by this worker (each run\'s --concurrency and --per-host still bound its requests)' },
    { flags: '--workers <n>', kind: 'value', parse: nonNegativeInt, numeric: true, defaultText: 'one per core', description: 'inspection threads (0 = inspect on the main thread)' },
  ],
  run: (_args, o, ctx) => workerCommand(o as WorkerCliOptions, ctx),
};
