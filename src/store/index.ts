// The history store's public surface.
export { SqliteStore } from './store.ts';
export type { HistoryStore, RunInfo, RunStatus, UrlState } from './history-store.ts';
export { openStore, isPostgresUrl } from './open-store.ts';
export { StoreError, type StoreErrorKind } from './errors.ts';
export { defaultDbPath } from './paths.ts';
export { improvementFromStore, type StoredImprovement } from './improvement.ts';
export { storedAuditResult, storeHistory } from './run-history.ts';
export { baselineOf, comparableBasis, comparableRuns, measuredThePortal } from './comparable.ts';
