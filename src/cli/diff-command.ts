// `odbadge diff [<runA> <runB>]`: what changed between two stored audits (default: the last two complete runs).
import { diffMarkdown } from '../report/diff-markdown.ts';
import { diffRuns, type DiffSide } from '../report/diff.ts';
import { StoreError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import type { RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { openExistingStore, withStoreErrors } from './store-cli.ts';
import { print, warn } from './terminal.ts';
import { jsonText } from '../util/json-text.ts';

export interface DiffCliOptions {
  db?: string;
  json?: boolean;
  markdown?: boolean;
}

export function diffSide(store: Store, id: number): DiffSide {
  const run = store.getRun(id);
  if (!run) throw new StoreError('usage', store.path, `no run ${id} in ${store.path} (see odbadge history)`);
  const rs = run.ruleset as { tiers?: { id: string }[] } | undefined;
  const { datasets, agencies } = store.runResults(id);
  return { id, startedAt: run.startedAt, rulesetId: run.rulesetId, tiers: (rs?.tiers ?? []).map((t) => t.id), datasets, agencies };
}

function runId(store: Store, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new StoreError('usage', store.path, `expected a run id (see odbadge history), got "${v}"`);
  return n;
}

export function diffCommand(runs: string[], o: DiffCliOptions): number {
  if (runs.length === 1 || runs.length > 2) {
    warn('odbadge: diff takes two run ids, or none for the last two complete runs\n');
    return EXIT.usage;
  }
  const opened = openExistingStore(o.db);
  if ('code' in opened) return opened.code;
  const { store } = opened;
  try {
    return withStoreErrors(() => {
      let ids: [number, number];
      if (runs.length === 2) ids = [runId(store, runs[0]), runId(store, runs[1])];
      else {
        const last = store.latestComplete(2);
        if (last.length < 2) throw new StoreError('usage', store.path, `diff needs two complete runs; ${store.path} has ${last.length} (see odbadge history)`);
        ids = [last[1].id, last[0].id];
      }
      const d = diffRuns(diffSide(store, ids[0]), diffSide(store, ids[1]));
      print(o.json && !o.markdown ? jsonText(d, 2) + '\n' : diffMarkdown(d));
      return EXIT.ok;
    });
  } finally {
    store.close();
  }
}

export const registerDiff: RegisterCommand = (program, setExit) => {
  program
    .command('diff')
    .description('what changed between two audits: badges that rose or fell and why, new and removed datasets, agency score deltas')
    .argument('[runs...]', 'two run ids, older first (default: the last two complete runs)')
    .option('--db <file>', 'history store (default: see odbadge audit --help)')
    .option('--json', 'JSON output')
    .option('--markdown', 'Markdown output (the default)')
    .action((runs: string[], o: DiffCliOptions) => setExit(diffCommand(runs, o)));
};
