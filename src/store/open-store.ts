// Which engine a store spec names. Today only an SQLite file.
import type { HistoryStore, OpenStoreOptions } from './history-store.ts';
import { SqliteStore } from './store.ts';

/** Opens the store `db` names. Every failure is a StoreError (missing, foreign, newer-schema, io, …). */
export async function openStore(db: string, o: OpenStoreOptions = {}): Promise<HistoryStore> {
  return SqliteStore.open(db, o);
}
