// `odbadge history`: the runs in the history store, oldest first (table, or --json).
import type { RunInfo } from '../store/history-store.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { DB_OPTION, formatOptions } from './options.ts';
import { openExistingStore, withStoreErrors } from './store-cli.ts';

export interface HistoryCliOptions {
  db?: string;
  json?: boolean;
}

export function runSummary(r: RunInfo) {
  return {
    id: r.id, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt ?? null, ruleset: r.rulesetId, catalog: r.catalog,
    agency: (r.options.agency as string | undefined) ?? null, datasets: r.datasets, bytes: r.bytes, resumes: r.resumes,
    previousRunId: r.previousRunId ?? null, reusedResources: r.stats?.reusedResources ?? null, catalogError: r.catalogError ?? null,
    // Liveness is decided by the run's lease (see store/run-lock.ts); the heartbeat shows when it was last renewed.
    heartbeatAt: r.status === 'running' && r.heartbeatAt !== undefined ? new Date(r.heartbeatAt).toISOString() : null,
  };
}

export function historyText(runs: RunInfo[]): string {
  if (!runs.length) return 'No runs recorded yet.\n';
  const rows = runs.map((r) => [
    String(r.id), r.status, r.startedAt, r.finishedAt ?? '', r.rulesetId, String(r.datasets), String(r.bytes),
    `${r.catalog}${r.options.agency ? ` (${r.options.agency})` : ''}`,
  ]);
  const head = ['run', 'status', 'started', 'finished', 'ruleset', 'datasets', 'bytes', 'catalogue'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [fmt(head), ...rows.map(fmt)].join('\n') + '\n';
}

export async function historyCommand(o: HistoryCliOptions, ctx = new CliContext('odbadge history', { format: o.json ? 'json' : 'text' })): Promise<number> {
  const opened = await openExistingStore(ctx, o.db);
  if ('code' in opened) return opened.code;
  try {
    return await withStoreErrors(ctx, async () => {
      const runs = await opened.store.listRuns();
      if (ctx.json) ctx.result({ store: opened.store.path, runs: runs.map(runSummary) });
      else ctx.text(historyText(runs));
      return EXIT.ok;
    });
  } finally {
    await opened.store.close();
  }
}

export const historySpec: CommandSpec = {
  name: 'history',
  description: 'list the audits recorded in the history store: id, status, times, ruleset, datasets, bytes, catalogue',
  options: [DB_OPTION, ...formatOptions('a table', { json: true })],
  run: (_args, o, ctx) => historyCommand(o as HistoryCliOptions, ctx),
};
