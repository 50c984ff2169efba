// Store problems a person can act on. Every SQLite failure that reaches a command becomes a StoreError with the
// file's path and what to do, never a stack trace.

export type StoreErrorKind = 'not-sqlite' | 'corrupt' | 'foreign' | 'newer-schema' | 'missing' | 'io' | 'busy' | 'usage';

export class StoreError extends Error {
  override name = 'StoreError';
  readonly kind: StoreErrorKind;
  readonly path: string;
  constructor(kind: StoreErrorKind, path: string, message: string) {
    super(message);
    this.kind = kind;
    this.path = path;
  }
}

interface SqliteErr {
  code?: string;
  errcode?: number;
  errstr?: string;
  message?: string;
}

/** Maps an error thrown by node:sqlite to a StoreError; other errors are returned unchanged. */
export function storeErrorFrom(e: unknown, path: string): unknown {
  if (e instanceof StoreError) return e;
  const err = e as SqliteErr;
  if (err?.code !== 'ERR_SQLITE_ERROR' && !/SQLITE|database/i.test(err?.message ?? '')) return e;
  const primary = (err.errcode ?? 0) & 0xff; // extended result codes keep the primary code in the low byte
  switch (primary) {
    case 26: // SQLITE_NOTADB
      return new StoreError('not-sqlite', path, `${path} is not an odbadge history store (not an SQLite database); choose another file with --db`);
    case 11: // SQLITE_CORRUPT
      return new StoreError('corrupt', path, `the history store ${path} is corrupted (${err.errstr ?? err.message}); move it aside or restore a backup, or use --db <new file>`);
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return new StoreError('busy', path, `the history store ${path} stayed locked by another process; try again when that audit finishes`);
    case 14: // SQLITE_CANTOPEN
    case 10: // SQLITE_IOERR
    case 8: // SQLITE_READONLY
    case 13: // SQLITE_FULL
      return new StoreError('io', path, `cannot use the history store ${path}: ${err.errstr ?? err.message}`);
    default:
      return new StoreError('io', path, `history store ${path}: ${err.message ?? String(e)}`);
  }
}
