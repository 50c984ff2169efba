// `odbadge prune --keep N`: deletes all but the N newest runs, and the per-URL state no kept run uses, in one
// transaction (readers keep working; a crash mid-way leaves the store as it was).
import type { RegisterCommand } from './command.ts';
import { positiveInt } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { openExistingStore, withStoreErrors } from './store-cli.ts';
import { print } from './terminal.ts';
import { jsonText } from '../util/json-text.ts';

export interface PruneCliOptions {
  db?: string;
  keep: number;
  json?: boolean;
}

export function pruneCommand(o: PruneCliOptions): number {
  const opened = openExistingStore(o.db);
  if ('code' in opened) return opened.code;
  try {
    return withStoreErrors(() => {
      const r = opened.store.prune(o.keep);
      if (o.json) print(jsonText(r) + '\n');
      else print(r.deletedRuns.length ? `Deleted ${r.deletedRuns.length} run(s) (${r.deletedRuns.join(', ')}) and ${r.urlsDropped} unused URL record(s).\n` : `Nothing to prune: at most ${o.keep} run(s) recorded.\n`);
      return EXIT.ok;
    });
  } finally {
    opened.store.close();
  }
}

export const registerPrune: RegisterCommand = (program, setExit) => {
  program
    .command('prune')
    .description('delete old audits from the history store, keeping the N newest')
    .requiredOption('--keep <n>', 'runs to keep (the newest)', positiveInt)
    .option('--db <file>', 'history store (default: see odbadge audit --help)')
    .option('--json', 'JSON output')
    .action((o: PruneCliOptions) => setExit(pruneCommand(o)));
};
