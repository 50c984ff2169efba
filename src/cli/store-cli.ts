// Opening the history store from a command: --db or the default path; every failure a one-line message and an
// exit code (3: the store cannot be read — not SQLite, corrupted, another program's database, newer schema).
import { defaultDbPath } from '../store/paths.ts';
import { StoreError } from '../store/errors.ts';
import { Store } from '../store/store.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * For `audit`: a store that cannot be created at the *default* path (read-only home, …) is a warning, and the audit
 * runs without history; an explicit --db, or a file that exists but is not a usable store, is an error.
 */
export function openStoreForCli(ctx: CliContext, db: string | undefined, wanted: boolean): { store?: Store } | { code: number } {
  if (!wanted) return {};
  const path = db ?? defaultDbPath();
  try {
    return { store: Store.open(path) };
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    if (!db && e.kind === 'io') {
      ctx.warning(`${e.message}; auditing without history (use --db <file> or --no-store)`);
      return {};
    }
    return { code: ctx.fail(EXIT.input, e.message) };
  }
}

/** For readers (`history`, `diff`, `prune`): the store must exist. */
export function openExistingStore(ctx: CliContext, db: string | undefined): { store: Store } | { code: number } {
  const path = db ?? defaultDbPath();
  try {
    return { store: Store.open(path, { create: false }) };
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    return { code: ctx.fail(EXIT.input, e.message) };
  }
}

/** `catalogWithSecrets`: the catalogue URL held credentials, which are not stored, so the resume needs it again. */
export function resumeHint(runId: number, path: string, explicitDb: string | undefined, catalogWithSecrets = false): string {
  const db = explicitDb ? ` --db ${JSON.stringify(path)}` : '';
  const catalog = catalogWithSecrets ? ' --catalog <the catalogue URL, with its credentials>' : '';
  return `Audit not finished: run ${runId} is saved; continue it with:  odbadge audit --resume ${runId}${db}${catalog}\n`;
}

/** Runs a store-reading command body, turning store failures into a message and exit 3. */
export function withStoreErrors(ctx: CliContext, fn: () => number): number {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    return ctx.fail(e.kind === 'usage' ? EXIT.usage : EXIT.input, e.message);
  }
}
