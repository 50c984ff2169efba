// Opening the history store from a command: --db, else $ODBADGE_DB, else the default file; an SQLite file or a
// PostgreSQL URL (history-store.ts). Every failure is a one-line message and an exit code (3: the store cannot be
// read — not SQLite, corrupted, another program's database, newer schema, no server or database at the URL).
import type { HistoryStore } from '../store/history-store.ts';
import { openStore } from '../store/open-store.ts';
import { defaultDbPath } from '../store/paths.ts';
import { StoreError } from '../store/errors.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';

/** The store a user chose: --db, else $ODBADGE_DB (a file path or a PostgreSQL URL); undefined: the default file. */
export function chosenDb(db: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return db || env.ODBADGE_DB || undefined;
}

/** The store a command uses: the chosen one, else the default file (paths.ts). */
export function storeSpec(db: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return chosenDb(db, env) ?? defaultDbPath(env);
}

/**
 * For `audit`: a store that cannot be created at the *default* path (read-only home, …) is a warning, and the audit
 * runs without history; an explicit --db, or a file that exists but is not a usable store, is an error.
 */
export async function openStoreForCli(ctx: CliContext, db: string | undefined, wanted: boolean): Promise<{ store?: HistoryStore } | { code: number }> {
  if (!wanted) return {};
  const explicit = chosenDb(db);
  try {
    return { store: await openStore(explicit ?? defaultDbPath(), { onUnreachable: (m) => ctx.warning(m) }) };
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    if (!explicit && e.kind === 'io') {
      ctx.warning(`${e.message}; auditing without history (use --db <file or postgres:// URL> or --no-store)`);
      return {};
    }
    return { code: ctx.fail(EXIT.input, e.message) };
  }
}

/** For readers (`history`, `diff`, `prune`): the store must exist. */
export async function openExistingStore(ctx: CliContext, db: string | undefined): Promise<{ store: HistoryStore } | { code: number }> {
  try {
    return { store: await openStore(storeSpec(db), { create: false, onUnreachable: (m) => ctx.warning(m) }) };
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
export async function withStoreErrors(ctx: CliContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    return ctx.fail(e.kind === 'usage' ? EXIT.usage : EXIT.input, e.message);
  }
}
