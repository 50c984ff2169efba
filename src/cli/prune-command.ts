// `odbadge prune --keep N`: deletes all but the N newest runs, and the per-URL state no kept run uses, in one
// transaction (readers keep working; a crash mid-way leaves the store as it was).
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { DB_OPTION, formatOptions, positiveInt } from './options.ts';
import { openExistingStore, withStoreErrors } from './store-cli.ts';

export interface PruneCliOptions {
  db?: string;
  keep: number;
  json?: boolean;
}

export async function pruneCommand(o: PruneCliOptions, ctx = new CliContext('odbadge prune', { format: o.json ? 'json' : 'text' })): Promise<number> {
  const opened = await openExistingStore(ctx, o.db);
  if ('code' in opened) return opened.code;
  try {
    return await withStoreErrors(ctx, async () => {
      const r = await opened.store.prune(o.keep);
      if (ctx.json) ctx.result(r);
      else ctx.text(r.deletedRuns.length ? `Deleted ${r.deletedRuns.length} run(s) (${r.deletedRuns.join(', ')}) and ${r.urlsDropped} unused URL record(s).\n` : `Nothing to prune: at most ${o.keep} run(s) recorded.\n`);
      return EXIT.ok;
    });
  } finally {
    await opened.store.close();
  }
}

export const pruneSpec: CommandSpec = {
  name: 'prune',
  description: 'delete old audits from the history store, keeping the N newest (one transaction)',
  options: [
    { flags: '--keep <n>', kind: 'value', parse: positiveInt, numeric: true, required: true, description: 'runs to keep (the newest)' },
    DB_OPTION,
    ...formatOptions('one line', { json: true }),
  ],
  run: (_args, o, ctx) => pruneCommand(o as unknown as PruneCliOptions, ctx),
};
