// Which engine a store spec names: a PostgreSQL URL (`postgres://…`, `postgresql://…`), else an SQLite file.
import type { HistoryStore, OpenStoreOptions } from './history-store.ts';
import { SqliteStore } from './store.ts';

/** A PostgreSQL connection string rather than a file path. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** Opens the store `db` names. Every failure is a StoreError (missing, foreign, newer-schema, io, …). */
export async function openStore(db: string, o: OpenStoreOptions = {}): Promise<HistoryStore> {
  if (isPostgresUrl(db)) {
    // Loaded only when asked for: an SQLite-only run never loads the driver.
    const { PgStore } = await import('./pg-store.ts');
    return PgStore.open(db, o);
  }
  return SqliteStore.open(db, o);
}
