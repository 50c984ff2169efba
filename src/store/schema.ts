// The store's schema, one list of migrations for both engines: migration i brings a store from version i to i + 1,
// with the SQL of each engine where they must differ (PostgreSQL: BIGINT ids and times, DOUBLE PRECISION, a row id
// column standing in for SQLite's rowid). JSON stays TEXT in both, so what is read back is byte for byte what was
// written. SQLite versions a file by PRAGMA user_version and marks it as odbadge's by PRAGMA application_id;
// PostgreSQL keeps both in the table odbadge_meta (pg-store.ts).
// Never edit a released migration; append a new one. An SQLite migration is SQL, or a function for what SQL
// cannot say (it runs inside the migration's transaction).
import type { DatabaseSync } from 'node:sqlite';
import { hasSecrets, redactDeep, redactText, redactUrl, urlSecrets } from '../util/redact.ts';

/** "odbg" in ASCII: identifies an odbadge store among SQLite files (see sqlite.org/fileformat.html#appid). */
export const APPLICATION_ID = 0x6f646267;

export type SqliteMigration = string | ((db: DatabaseSync) => void);

export interface Migration {
  sqlite: SqliteMigration;
  /** Run in one transaction; '' when there is nothing to do in PostgreSQL. */
  postgres: string;
}

/**
 * Stores written before the one redaction policy hold raw URLs: the catalogue (with its token) in runs.options,
 * resource URLs with user-info and signatures in run_resources and url_state, and whatever findings quoted. This
 * rewrites every such value redacted, as a new audit would have written it. Two URLs that differed only in a secret
 * now share one url_state row (the later one wins: it is a cache, the worst case is one full download).
 * A secret a server echoed outside URL syntax is found through the URLs in the same row and the catalogue URLs.
 * secure_delete makes SQLite zero the old bytes instead of leaving them in free space.
 */
export function scrubSecrets(db: DatabaseSync): void {
  db.exec('PRAGMA secure_delete = ON');
  const catalogues = db.prepare('SELECT catalog, options FROM runs').all() as { catalog: string; options: string }[];
  const global = [...new Set(catalogues.flatMap((r) => [...urlSecrets(r.catalog), ...urlsIn(r.options).flatMap(urlSecrets)]))];
  let row: string[] = global;
  /** JSON text of a column, or undefined when it is not JSON (a hand-edited file): such a cell is scrubbed as text. */
  const parse = (v: string): unknown => {
    try {
      return JSON.parse(v);
    } catch {
      return undefined;
    }
  };
  const json = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const before = parse(v);
    if (before === undefined) return redactText(v);
    const after = redactDeep(before, row);
    return after === before ? v : JSON.stringify(after);
  };
  const url = (v: unknown): unknown => (typeof v === 'string' ? redactUrl(v) : v);
  const options = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const o = parse(v) as Record<string, unknown> | undefined;
    if (!o || typeof o !== 'object') return redactText(v);
    // Mark what was masked, so `--resume` asks for the real URL instead of fetching a redacted one.
    const masked = ['catalog', 'enrichApiBase'].filter((k) => typeof o[k] === 'string' && hasSecrets(o[k] as string));
    const out = redactDeep(o);
    return masked.length ? JSON.stringify({ ...out, redacted: masked }) : out === o ? v : JSON.stringify(out);
  };
  const catalogKey = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const k = parse(v);
    if (k === undefined) return redactText(v); // not the JSON key this odbadge writes: scrub it as text
    return Array.isArray(k) && typeof k[0] === 'string' ? JSON.stringify([redactUrl(k[0]), ...k.slice(1)]) : v;
  };
  const text = (v: unknown): unknown => (typeof v === 'string' ? redactText(v) : v);
  const rewrite = (table: string, columns: Record<string, (v: unknown) => unknown>, conflict = '') => {
    const names = Object.keys(columns);
    const update = db.prepare(`UPDATE ${conflict} ${table} SET ${names.map((c) => `${c} = ?`).join(', ')} WHERE rowid = ?`);
    const changed: unknown[][] = [];
    for (const r of db.prepare(`SELECT rowid AS rid, ${names.join(', ')} FROM ${table}`).iterate() as Iterable<Record<string, unknown>>) {
      row = [...new Set([...global, ...names.flatMap((c) => (typeof r[c] === 'string' ? urlsIn(r[c] as string).flatMap(urlSecrets) : []))])];
      const values = names.map((c) => columns[c](r[c]));
      if (values.some((x, i) => x !== r[names[i]])) changed.push([...values, r.rid]);
    }
    for (const c of changed) update.run(...(c as Parameters<typeof update.run>));
  };
  rewrite('runs', { catalog: url, catalog_key: catalogKey, options, catalog_error: text });
  rewrite('run_datasets', { result: json });
  rewrite('run_agencies', { detail: json });
  rewrite('run_resources', { url, fetch: json, facts: json }, 'OR REPLACE');
  rewrite('url_state', { url, fetch: json, facts: json }, 'OR REPLACE');
}

/** The http(s) URLs written in a text (a JSON column, a message). */
function urlsIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s"'<>\\]+/gi) ?? [];
}

export const MIGRATIONS: Migration[] = [
  // 1: runs, their per-dataset results, per-indicator verdicts, per-resource observations, agency scores, and the
  // per-URL state (validators, content hash, reusable facts) that makes re-audits incremental.
  {
    sqlite: `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    ruleset_id TEXT NOT NULL,
    ruleset TEXT NOT NULL,            -- the full ruleset JSON, so a resumed run judges by exactly the same rules
    catalog TEXT NOT NULL,            -- catalogue source, credentials redacted
    catalog_key TEXT NOT NULL,        -- catalogue + agency filter: which runs are comparable / resumable together
    options TEXT NOT NULL,            -- JSON: what a resume needs to continue the same audit
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
    pid INTEGER,
    previous_run_id INTEGER,          -- the run this one is compared with (history-based findings); fixed at creation
    catalog_complete INTEGER,
    catalog_error TEXT,
    catalog_findings INTEGER NOT NULL DEFAULT 0,
    resumes INTEGER NOT NULL DEFAULT 0,
    stats TEXT,                       -- JSON, accumulated over resumes
    bytes INTEGER NOT NULL DEFAULT 0, -- decoded body bytes downloaded, over all sessions of this run
    wire_bytes INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_catalog ON runs (catalog_key, id);
  CREATE TABLE run_datasets (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,             -- position among the audited datasets of the catalogue
    dataset_id TEXT NOT NULL,
    title TEXT NOT NULL,
    agency TEXT NOT NULL,
    badge TEXT NOT NULL,
    metadata_updated_at TEXT,
    content_changed INTEGER,          -- 1: a resource's content hash changed in this run; 0: none did; NULL: unknown
    result TEXT NOT NULL,             -- the DatasetResult JSON as reported
    PRIMARY KEY (run_id, idx, dataset_id)
  );
  CREATE INDEX run_datasets_id ON run_datasets (dataset_id, run_id);
  CREATE TABLE run_indicators (
    run_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    dataset_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (run_id, idx, dataset_id, indicator),
    FOREIGN KEY (run_id, idx, dataset_id) REFERENCES run_datasets (run_id, idx, dataset_id) ON DELETE CASCADE
  );
  CREATE TABLE run_resources (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    fetch TEXT NOT NULL,              -- FetchOutcome JSON without the body
    facts TEXT,                       -- ResourceFacts JSON
    content_hash TEXT,                -- sha256 of the decoded body
    reused INTEGER NOT NULL DEFAULT 0, -- 1: facts reused from an earlier audit (304 or identical hash)
    PRIMARY KEY (run_id, url)
  );
  CREATE TABLE run_agencies (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    agency TEXT NOT NULL,
    datasets INTEGER NOT NULL,
    score REAL NOT NULL,
    detail TEXT NOT NULL,             -- the AgencyScore JSON
    PRIMARY KEY (run_id, agency)
  );
  CREATE TABLE url_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    declared_format TEXT,             -- facts depend on the declared format (format mismatch), so reuse needs the same
    fetch TEXT,
    facts TEXT,
    first_run INTEGER NOT NULL,
    seen_run INTEGER NOT NULL,
    changed_at TEXT,                  -- audit time at which a changed content hash was first seen
    changed_run INTEGER,
    checked_at TEXT NOT NULL
  );
  CREATE INDEX url_state_seen ON url_state (seen_run);
  `,
    // The same tables; comments on the columns are SQLite's, above.
    postgres: `
    CREATE TABLE runs (
      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
      ruleset_id TEXT NOT NULL,
      ruleset TEXT NOT NULL,
      catalog TEXT NOT NULL,
      catalog_key TEXT NOT NULL,
      options TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
      pid INTEGER,
      previous_run_id BIGINT,
      catalog_complete INTEGER,
      catalog_error TEXT,
      catalog_findings INTEGER NOT NULL DEFAULT 0,
      resumes INTEGER NOT NULL DEFAULT 0,
      stats TEXT,
      bytes BIGINT NOT NULL DEFAULT 0,
      wire_bytes BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX runs_catalog ON runs (catalog_key, id);
    CREATE TABLE run_datasets (
      run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      dataset_id TEXT NOT NULL,
      title TEXT NOT NULL,
      agency TEXT NOT NULL,
      badge TEXT NOT NULL,
      metadata_updated_at TEXT,
      content_changed INTEGER,
      result TEXT NOT NULL,
      row_id BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, -- SQLite's rowid: random access to a run's results
      PRIMARY KEY (run_id, idx, dataset_id)
    );
    CREATE INDEX run_datasets_id ON run_datasets (dataset_id, run_id);
    CREATE TABLE run_indicators (
      run_id BIGINT NOT NULL,
      idx INTEGER NOT NULL,
      dataset_id TEXT NOT NULL,
      indicator TEXT NOT NULL,
      verdict TEXT NOT NULL,
      PRIMARY KEY (run_id, idx, dataset_id, indicator),
      FOREIGN KEY (run_id, idx, dataset_id) REFERENCES run_datasets (run_id, idx, dataset_id) ON DELETE CASCADE
    );
    CREATE TABLE run_resources (
      run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      url TEXT NOT NULL,
      "fetch" TEXT NOT NULL, -- FETCH is a keyword in PostgreSQL
      facts TEXT,
      content_hash TEXT,
      reused INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, url)
    );
    CREATE TABLE run_agencies (
      run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      agency TEXT NOT NULL,
      datasets INTEGER NOT NULL,
      score DOUBLE PRECISION NOT NULL,
      detail TEXT NOT NULL,
      row_id BIGINT GENERATED ALWAYS AS IDENTITY, -- the order the audit recorded them in (SQLite: rowid)
      PRIMARY KEY (run_id, agency)
    );
    CREATE TABLE url_state (
      url TEXT PRIMARY KEY,
      etag TEXT,
      last_modified TEXT,
      content_hash TEXT,
      declared_format TEXT,
      "fetch" TEXT,
      facts TEXT,
      first_run BIGINT NOT NULL,
      seen_run BIGINT NOT NULL,
      changed_at TEXT,
      changed_run BIGINT,
      checked_at TEXT NOT NULL
    );
    CREATE INDEX url_state_seen ON url_state (seen_run);
    `,
  },
  // 2: run liveness by lease instead of pid (pids are reused, and a SIGKILLed run could look alive), and the
  // datasets each session started but did not finish, so a dataset that kills the process cannot stop every resume.
  // Runs left 'running' by an older odbadge get a heartbeat of now: live for one lease, then resumable.
  {
    sqlite: `
  ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER; -- ms since the epoch, renewed by the session holding the run
  ALTER TABLE runs ADD COLUMN lease_owner TEXT;     -- random id of that session; a renewal by anyone else fails
  UPDATE runs SET heartbeat_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE status = 'running';
  CREATE TABLE run_attempts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    dataset_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,        -- sessions that started this dataset and ended before recording it
    PRIMARY KEY (run_id, idx, dataset_id)
  ) WITHOUT ROWID;
  `,
    postgres: `
    ALTER TABLE runs ADD COLUMN heartbeat_at BIGINT;
    ALTER TABLE runs ADD COLUMN lease_owner TEXT;
    UPDATE runs SET heartbeat_at = (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT WHERE status = 'running';
    CREATE TABLE run_attempts (
      run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      dataset_id TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      PRIMARY KEY (run_id, idx, dataset_id)
    );
    `,
  },
  // 3: secrets out of stores written before the one redaction policy.
  // PostgreSQL stores are all written under the one redaction policy: nothing to scrub.
  { sqlite: scrubSecrets, postgres: '' },
  // 4: a resource's bytes and attempts as columns, so a run's totals are summed by the database (a distributed run's
  // statistics come from what its workers recorded: 150,000 rows at national scale). Backfilled from the fetch JSON;
  // PostgreSQL cannot read JSON holding an escaped U+0000 (a hostile server's text), such rows keep the defaults.
  // PostgreSQL also names the session holding a run's lock (runs.lock_pid), so a killed holder frees its run at once.
  // An attempt is counted once per session (run_attempts.session): a start repeated after a lost reply adds nothing.
  {
    sqlite: `
  ALTER TABLE run_resources ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;   -- decoded bytes downloaded
  ALTER TABLE run_resources ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1; -- requests the fetch made
  ALTER TABLE run_attempts ADD COLUMN session TEXT; -- the session (lease owner) that counted the last attempt
  UPDATE run_resources SET bytes = coalesce(json_extract(fetch, '$.bytes'), 0), attempts = max(1, coalesce(json_extract(fetch, '$.attempts'), 1))
    WHERE json_valid(fetch);
  `,
    postgres: `
    -- the backend pid of the session holding the run's advisory lock (pg-run-locks.ts); NULL: judged by heartbeat
    ALTER TABLE runs ADD COLUMN lock_pid INTEGER;
    ALTER TABLE run_attempts ADD COLUMN session TEXT;
    ALTER TABLE run_resources ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0, ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
    UPDATE run_resources SET bytes = coalesce(("fetch"::json->>'bytes')::BIGINT, 0), attempts = GREATEST(1, coalesce(("fetch"::json->>'attempts')::INTEGER, 1))
      WHERE strpos("fetch", '\\u0000') = 0;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
