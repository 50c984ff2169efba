// The history store's one interface, which every command and the audit use, and its two engines: an SQLite file
// (node:sqlite, src/store/store.ts) for one machine, PostgreSQL (`pg`, src/store/pg-store.ts) for a store several
// processes and machines share; open-store.ts chooses. Every method is async: PostgreSQL answers over the network.
// The types of what is stored are here, once, for both.
import type { AgencyScore, DatasetResult, FetchOutcome, ResourceFacts } from '../model.ts';

/**
 * A running session renews its run's heartbeat this often. SQLite: the heartbeat decides liveness only when the run
 * has no lock file to ask (see run-lock.ts). PostgreSQL: the heartbeat is the lease.
 */
export const HEARTBEAT_MS = 5_000;
/** A heartbeat older than this (three missed renewals) is an expired lease. */
export const LEASE_MS = 3 * HEARTBEAT_MS;

export type RunStatus = 'running' | 'complete' | 'interrupted';

export interface RunInfo {
  id: number;
  rulesetId: string;
  /** The ruleset JSON the run judges by. */
  ruleset: unknown;
  catalog: string;
  catalogKey: string;
  options: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  /** As recorded. A run killed outright (SIGKILL, power loss) stays `running` in the store… */
  storedStatus: RunStatus;
  /** …so this is what it really is: `running` only while a live session holds its lease. */
  status: RunStatus;
  /** The process that last worked on the run: for people reading `history`, never used to decide liveness. */
  pid?: number;
  /** When the session holding the run last renewed its lease (ms since the epoch). */
  heartbeatAt?: number;
  previousRunId?: number;
  catalogComplete?: boolean;
  catalogError?: string;
  catalogFindings: number;
  resumes: number;
  stats?: Record<string, number>;
  /** Decoded body bytes downloaded over every session of the run. */
  bytes: number;
  wireBytes: number;
  datasets: number;
}

/** What a new run is created with: the run's identity, before anything was audited. */
export type NewRun = Pick<RunInfo, 'rulesetId' | 'ruleset' | 'catalog' | 'catalogKey' | 'options' | 'startedAt' | 'previousRunId'>;

/** What the store remembers of a URL between audits. */
export interface UrlState {
  url: string;
  etag?: string;
  lastModified?: string;
  hash?: string;
  declaredFormat: string;
  fetch?: FetchOutcome;
  facts?: ResourceFacts;
  firstRun: number;
  seenRun: number;
  changedAt?: string;
  changedRun?: number;
}

export interface UrlObservation {
  url: string;
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  /** sha256 of the decoded body; undefined when no body was received (failure, or nothing to compare). */
  hash?: string;
  declaredFormat?: string;
  /** Response headers (a 304 may carry a fresh ETag). */
  headers: Record<string, string>;
}

export interface UrlVerdict {
  /** The audit time at which this URL's content was last seen to change. */
  changedAt?: string;
  /** The content hash changed in this run. */
  changedThisRun: boolean;
  /** A content hash from an earlier run exists to compare with. */
  seenBefore: boolean;
}

export interface StoredResource {
  url: string;
  fetch: FetchOutcome;
  facts?: ResourceFacts;
  hash?: string;
  reused: boolean;
}

/**
 * A run's resources as recorded: distinct URLs, bytes downloaded (facts reused from an earlier run cost none),
 * requests (a fetch's attempts) and retries, URLs whose facts were reused.
 */
export interface ResourceStats {
  distinctUrls: number;
  bytes: number;
  requests: number;
  retries: number;
  reused: number;
}

export interface DatasetRecord {
  runId: number;
  idx: number;
  result: DatasetResult;
  metadataUpdatedAt?: string;
  /** true: a resource's content changed in this run; false: none did (all known); null: cannot tell. */
  contentChanged: boolean | null;
  resources: StoredResource[];
  /** Run-level byte counters to record in the same transaction (so a SIGKILL loses none of them). */
  bytes?: { bytes: number; wireBytes: number };
}

export interface FinishRun {
  status: Exclude<RunStatus, 'running'>;
  finishedAt: string;
  catalogComplete: boolean;
  catalogError?: string;
  catalogFindings: number;
  stats: Record<string, number>;
  bytes: number;
  wireBytes: number;
  agencies: AgencyScore[];
}

export interface CompleteRunsFilter {
  beforeId?: number;
  catalogKey?: string;
  rulesetId?: string;
  /** Only the newest that many. */
  last?: number;
}

export interface HistoryStore {
  readonly kind: 'sqlite' | 'postgres';
  /** What messages show: the file path, or the PostgreSQL URL with its credentials redacted. */
  readonly path: string;

  /** Creates a run held by this process. */
  createRun(r: NewRun): Promise<RunInfo>;
  /** Takes over an interrupted run for this process; refuses (StoreError usage) a run a live session holds. */
  claimRun(id: number): Promise<RunInfo>;
  /** Renews this process's lease on a run; false when it holds none (released, or taken over). */
  renewLease(id: number): Promise<boolean>;
  /** Lets go of a run this process holds (after finishRun, or when giving up on it): it is resumable at once. */
  releaseRun(id: number): Promise<void>;
  /** Deletes a run that recorded nothing worth keeping (its catalogue could not be read), and lets go of it. */
  discardRun(id: number): Promise<void>;
  getRun(id: number): Promise<RunInfo | undefined>;
  /** Every run, oldest first. */
  listRuns(): Promise<RunInfo[]>;
  /** The newest run that can be resumed (interrupted, or killed), optionally of one catalogue. */
  resumable(catalogKey?: string): Promise<RunInfo | undefined>;
  /** Complete runs matching the filter, oldest first. */
  completeRuns(by?: CompleteRunsFilter): Promise<RunInfo[]>;
  finishRun(id: number, f: FinishRun): Promise<void>;

  /** One dataset's result, verdicts and resource observations in one transaction; a second write of (run, idx) is ignored. */
  saveDataset(rec: DatasetRecord): Promise<void>;
  /** Per dataset: how many sessions started it and ended before recording it, keyed by `datasetKey(idx, id)`. */
  unfinishedAttempts(runId: number): Promise<Map<string, number>>;
  /** Notes that this session starts a dataset (undone by saveDataset); once per session, however often it is asked. */
  startAttempt(runId: number, idx: number, datasetId: string): Promise<void>;
  /** Deletes a run's dataset rows whose key is not in `keep`; returns how many went. */
  retainDatasets(runId: number, keep: ReadonlySet<string>): Promise<number>;
  /** The metadata update time a dataset had in a run (found = the dataset was in that run). */
  datasetMetadata(runId: number, datasetId: string): Promise<{ found: boolean; metadataUpdatedAt?: string }>;
  /** A run's dataset results in catalogue order and its agency scores. */
  runResults(runId: number): Promise<{ datasets: DatasetResult[]; agencies: AgencyScore[] }>;
  /** A run's results one at a time in catalogue order, optionally only at catalogue positions below `below`. */
  iterateRunResults(runId: number, below?: number): AsyncIterable<DatasetResult>;
  /** As iterateRunResults, with each result's catalogue position and dataset id (a resume reads them alongside the catalogue). */
  iterateRunDatasets(runId: number, below?: number): AsyncIterable<StoredDataset>;
  /** How many results a run holds at catalogue positions below `below` (a coordinator's progress, asked every 0.5 s). */
  countRunResults(runId: number, below?: number): Promise<number>;
  /** Row ids of a run's results in catalogue order (as iterateRunResults), for runResultAt: random access. */
  runResultRowids(runId: number, below?: number): Promise<Float64Array>;
  runResultAt(rowid: number): Promise<DatasetResult>;
  /** A run's agency scores by name, or as the audit recorded them (`recorded`: best first). */
  agencyScores(runId: number, order?: 'name' | 'recorded'): Promise<AgencyScore[]>;
  /** What a run's resources cost, each URL once, summed by the store (a national run has 150,000). */
  resourceStats(runId: number): Promise<ResourceStats>;

  /** What the store remembers of `url` (keyed by the redacted URL). */
  urlState(url: string): Promise<UrlState | undefined>;
  /** Records what run `run` saw at a URL and says whether its content changed; serialised per URL. */
  observeUrl(run: { id: number; startedAt: string }, obs: UrlObservation, checkedAt: string): Promise<UrlVerdict>;

  /** Deletes all but the `keep` newest runs (never a live one) and the URL state no kept run refers to. */
  prune(keep: number): Promise<{ deletedRuns: number[]; urlsDropped: number }>;
  /** `ok`, or the engine's list of problems. */
  integrityCheck(): Promise<string>;
  /** Releases every run this process holds and closes the connection(s). */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Create the store (file, or tables in the database) when missing (default true). Readers pass false. */
  create?: boolean;
  /** PostgreSQL: how long an operation waits for a server that went away mid-run (default ODBADGE_DB_RECONNECT_SECONDS, or 5 minutes). */
  reconnectMs?: number;
  /** PostgreSQL: told (at most every 30 s) that the server is unreachable and operations are waiting for it. */
  onUnreachable?: (message: string) => void;
}

/** A stored result with where the catalogue listed it. */
export interface StoredDataset {
  idx: number;
  id: string;
  result: DatasetResult;
}

export function datasetKey(idx: number, id: string): string {
  return `${idx}\u0000${id}`;
}
