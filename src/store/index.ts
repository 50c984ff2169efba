// The history store's public surface.
export { Store, type RunInfo, type RunStatus, type UrlState } from './store.ts';
export { StoreError, type StoreErrorKind } from './errors.ts';
export { defaultDbPath } from './paths.ts';
export { improvementFromStore, type StoredImprovement } from './improvement.ts';
export { storedAuditResult, storeHistory } from './run-history.ts';
export { baselineOf, comparableBasis, comparableRuns, measuredThePortal } from './comparable.ts';
