// `odbadge diff [<runA> <runB>]`: what changed between two stored audits (default: the newest complete run and the
// run it is compared with — the newest complete run of the same catalogue and ruleset; see store/comparable.ts).
import { diffMarkdown } from '../report/diff-markdown.ts';
import { diffRuns, type DiffSide } from '../report/diff.ts';
import { baselineOf } from '../store/comparable.ts';
import { StoreError } from '../store/errors.ts';
import type { HistoryStore } from '../store/history-store.ts';
import type { CommandSpec } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { DB_OPTION, formatOptions } from './options.ts';
import { openExistingStore, withStoreErrors } from './store-cli.ts';

export interface DiffCliOptions {
  db?: string;
  json?: boolean;
  markdown?: boolean;
}

export async function diffSide(store: HistoryStore, id: number): Promise<DiffSide> {
  const run = await store.getRun(id);
  if (!run) throw new StoreError('usage', store.path, `no run ${id} in ${store.path} (see odbadge history)`);
  const rs = run.ruleset as { tiers?: { id: string }[] } | undefined;
  const { datasets, agencies } = await store.runResults(id);
  return { id, startedAt: run.startedAt, rulesetId: run.rulesetId, tiers: (rs?.tiers ?? []).map((t) => t.id), datasets, agencies };
}

function runId(store: HistoryStore, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new StoreError('usage', store.path, `expected a run id (see odbadge history), got "${v}"`);
  return n;
}

export async function diffCommand(runs: string[], o: DiffCliOptions, ctx = new CliContext('odbadge diff', { format: o.json && !o.markdown ? 'json' : 'text' })): Promise<number> {
  if (runs.length === 1 || runs.length > 2) return ctx.usage('diff takes two run ids, or none for the newest complete run and the one it is compared with');
  const opened = await openExistingStore(ctx, o.db);
  if ('code' in opened) return opened.code;
  const { store } = opened;
  try {
    return await withStoreErrors(ctx, async () => {
      let ids: [number, number];
      let basis: string | undefined;
      if (runs.length === 2) ids = [runId(store, runs[0]), runId(store, runs[1])];
      else {
        const newest = (await store.completeRuns({ last: 1 }))[0];
        if (!newest) throw new StoreError('usage', store.path, `diff needs two complete runs; ${store.path} has none (see odbadge history)`);
        const base = await baselineOf(store, newest);
        if (!base) throw new StoreError('usage', store.path, `the newest complete run, ${newest.id} (${newest.catalog}), has no earlier complete run of the same catalogue and ruleset to compare with; give two run ids (see odbadge history)`);
        ids = [base.id, newest.id];
        basis = `Runs compared: ${base.id} and ${newest.id}, the newest complete run and the newest earlier complete run of the same catalogue (${newest.catalog}${newest.options.agency ? `, agency ${String(newest.options.agency)}` : ''}) and ruleset (${newest.rulesetId}); interrupted runs and runs of other catalogues are never compared.`;
      }
      const d = { ...diffRuns(await diffSide(store, ids[0]), await diffSide(store, ids[1])), ...(basis ? { basis } : {}) };
      if (ctx.json) ctx.result(d);
      else ctx.text(diffMarkdown(d));
      return EXIT.ok;
    });
  } finally {
    await store.close();
  }
}

export const diffSpec: CommandSpec = {
  name: 'diff',
  description: 'what changed between two audits: badges that rose or fell and why, new and removed datasets, agency score deltas',
  args: [{ syntax: '[runs...]', description: 'two run ids, older first (default: the newest complete run and the newest earlier complete run of the same catalogue and ruleset)' }],
  options: [DB_OPTION, ...formatOptions('Markdown', { json: true, markdown: true })],
  run: (args, o, ctx) => diffCommand(args, o as DiffCliOptions, ctx),
};
