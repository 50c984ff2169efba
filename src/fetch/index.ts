// The resource fetcher: one bounded, polite, safe download per resource.
export { Fetcher } from './fetcher.ts';
export type { FetchCallOptions, FetchResult, FetchStats, FetchStream } from './fetcher.ts';
export { catalogHttpOf } from './catalog-http.ts';
export { DEFAULT_FETCH_OPTIONS, resolveOptions } from './options.ts';
export type { FetchOptions } from './options.ts';
export { HostGateUnavailable, type HostGate } from './host-gate.ts';
export { redactUrl } from '../util/redact.ts';
export { privateAddressReason, guardedLookup } from './ip-guard.ts';
export { classifyError, classifyStatus, parseRetryAfter } from './classify.ts';
