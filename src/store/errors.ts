// Store problems a person can act on. Every SQLite or PostgreSQL failure that reaches a command becomes a
// StoreError with the store's path (or redacted URL) and what to do, never a stack trace.
import { redactText } from '../util/redact.ts';

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

/** Errors of our own code (bugs) stay themselves; everything else `pg` throws is about the store. */
const BUGS = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * Maps an error from PostgreSQL (`pg`: a server error with its SQLSTATE, or a connection failure) to a StoreError
 * naming the store by `where`, the URL with its credentials redacted. One line; never the password.
 */
export function pgStoreError(e: unknown, where: string): unknown {
  if (e instanceof StoreError || BUGS.some((B) => e instanceof B)) return e;
  const err = e as { code?: string; message?: string };
  const code = typeof err?.code === 'string' ? err.code : '';
  const msg = redactText(String(err?.message ?? e).split('\n')[0]);
  if (/^E[A-Z]+$/.test(code) || /^08/.test(code) || code === '57P03' || /timeout|terminated|connect/i.test(msg) && !code) {
    return new StoreError('io', where, `cannot connect to the history store ${where}: ${msg}`);
  }
  switch (code) {
    case '3D000': // invalid_catalog_name: the database does not exist
      return new StoreError('missing', where, `no history store at ${where}: ${msg} (create the database first: createdb, or CREATE DATABASE)`);
    case '28P01': // invalid_password
    case '28000': // invalid_authorization_specification
      return new StoreError('io', where, `cannot log in to the history store ${where}: ${msg}`);
    case '42501': // insufficient_privilege
      return new StoreError('io', where, `cannot use the history store ${where}: ${msg}`);
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case '55P03': // lock_not_available
    case '53300': // too_many_connections
      return new StoreError('busy', where, `the history store ${where} is busy (${msg}); try again`);
    default:
      return new StoreError('io', where, `history store ${where}: ${msg}${code ? ` (SQLSTATE ${code})` : ''}`);
  }
}
