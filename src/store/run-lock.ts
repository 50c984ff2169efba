// Is the session that holds a run still alive? Asked without its pid (pids are reused, so a SIGKILLed run could
// look alive, and a live one could be taken for dead). The session holds an exclusive SQLite lock on a small file
// beside the store, `<store>.run-<id>.lock`, for as long as it works on the run. SQLite locks are POSIX advisory
// locks (LockFileEx on Windows), which the kernel drops the instant the process ends however it ends (SIGKILL,
// out of memory) — so a killed run is resumable at once, and a live one (even stopped
// with SIGSTOP, or too busy to renew its heartbeat) is never taken over. The heartbeat in the store is the fallback
// for when there is no lock file to ask (see SqliteStore: a run being created, or an older odbadge's run).
import { existsSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

export type LockState = 'held' | 'free' | 'missing';

export function runLockPath(storePath: string, runId: number): string {
  return `${storePath}.run-${runId}.lock`;
}

/** An exclusive lock on a run, held until release() or the end of the process. */
export class RunLock {
  readonly path: string;
  readonly #db: DatabaseSync;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  /** Takes the lock, waiting up to `waitMs` for a prober to let go; undefined when another session holds it. */
  static acquire(path: string, waitMs = 1_000): RunLock | undefined {
    const db = new DatabaseSync(path, { timeout: waitMs });
    try {
      // The journal in memory: the lock file stays empty, and no -journal file is left behind by a killed holder.
      db.exec('PRAGMA journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
      return new RunLock(path, db);
    } catch (e) {
      db.close();
      if (isBusy(e)) return undefined;
      throw e;
    }
  }

  /**
   * Lets go. `removeFile` when the run is over: the file goes first, so nobody takes a lock on a file about to
   * vanish. A run left unfinished keeps its file, which then says at once that nobody holds the run.
   */
  release(removeFile: boolean): void {
    if (!this.#db.isOpen) return;
    if (removeFile) rmSync(this.path, { force: true });
    try {
      this.#db.exec('ROLLBACK');
    } finally {
      this.#db.close();
    }
  }
}

/**
 * Whether a session holds the lock at `path`. Read-only and never waits: a reader (`history`, `diff`) neither
 * creates the file nor blocks on it. In the holder's own process SQLite reports its lock as held too.
 */
export function probeRunLock(path: string): LockState {
  if (!existsSync(path)) return 'missing';
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { timeout: 0, readOnly: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return 'free';
  } catch (e) {
    if (isBusy(e)) return 'held';
    // Removed between the check and the open, or unreadable: nothing to learn from the file.
    return 'missing';
  } finally {
    db?.close();
  }
}

function isBusy(e: unknown): boolean {
  const code = ((e as { errcode?: number }).errcode ?? 0) & 0xff;
  return code === 5 || code === 6; // SQLITE_BUSY, SQLITE_LOCKED
}
