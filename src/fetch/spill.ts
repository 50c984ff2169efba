// Spill files: bodies that do not fit the memory budget go to a private temporary directory (mode 0700, files 0600)
// that exists only while a fetcher needs it. Each file is deleted once its body has been inspected, the directory
// when the fetcher closes, and directories left by a killed process are removed the next time one is created.
import { lstat, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'odbadge-spill-';
/** Reads of a spill file (the streaming inspectors use the same size). */
const READ_CHUNK_BYTES = 64 * 1024;

/** One body being written to disk. Readers may follow it while it grows (`follow`). */
export class SpillFile {
  readonly path: string;
  readonly #fh: FileHandle;
  /** Bytes on disk so far. */
  written = 0;
  /** Set once the writer is done; `error` says whether it ended in a failure. */
  done = false;
  error: unknown;
  #wake: (() => void)[] = [];

  constructor(path: string, fh: FileHandle) {
    this.path = path;
    this.#fh = fh;
  }

  async write(chunk: Uint8Array): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.#fh.write(chunk, off, chunk.length - off, this.written + off);
      off += bytesWritten;
    }
    this.written += chunk.length;
    this.#notify();
  }

  /** Closes the file; `error` (if any) is what a follower will see after the last byte. */
  async end(error?: unknown): Promise<void> {
    if (this.done) return;
    try {
      await this.#fh.close();
    } finally {
      this.done = true;
      this.error = error;
      this.#notify();
    }
  }

  /** Resolves at the next write or at the end. */
  changed(): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise((resolve) => this.#wake.push(resolve));
  }

  #notify(): void {
    const w = this.#wake;
    this.#wake = [];
    for (const f of w) f();
  }
}

/**
 * Yields a spill file's bytes as they are written, ending when the writer is done (throwing its error, if any).
 * Lets a large document be parsed while it is still downloading, at the network's pace rather than the parser's.
 */
export async function* follow(file: SpillFile): AsyncGenerator<Buffer> {
  const fh = await open(file.path, 'r');
  try {
    let pos = 0;
    for (;;) {
      const available = file.written - pos;
      if (available > 0) {
        const buf = Buffer.allocUnsafe(Math.min(available, READ_CHUNK_BYTES));
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) throw new Error(`spill file ${file.path} shrank while being read`);
        pos += bytesRead;
        yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
        continue;
      }
      if (file.done) {
        if (file.error !== undefined) throw file.error;
        return;
      }
      await file.changed();
    }
  } finally {
    await fh.close();
  }
}

/** The private spill directory of one fetcher, created on first use. */
export class SpillArea {
  readonly #parent: string;
  #dir: Promise<string> | undefined;
  #next = 0;
  #closed = false;

  constructor(parent?: string) {
    this.#parent = parent ?? tmpdir();
  }

  async create(): Promise<SpillFile> {
    if (this.#closed) throw new Error('spill area is closed');
    this.#dir ??= this.#makeDir();
    const dir = await this.#dir;
    const path = join(dir, `${++this.#next}.body`);
    const fh = await open(path, 'wx', 0o600);
    return new SpillFile(path, fh);
  }

  /** Deletes one spill file (already gone is fine). */
  async remove(path: string): Promise<void> {
    await rm(path, { force: true }).catch(() => undefined);
  }

  /** Deletes the directory and everything left in it. */
  async close(): Promise<void> {
    this.#closed = true;
    const dir = this.#dir;
    if (!dir) return;
    await rm(await dir.catch(() => ''), { recursive: true, force: true }).catch(() => undefined);
  }

  async #makeDir(): Promise<string> {
    await removeStale(this.#parent);
    // mkdtemp creates the directory with mode 0700: other users cannot list or read the bodies.
    return mkdtemp(join(this.#parent, `${PREFIX}${process.pid}-`));
  }
}

/** Removes spill directories of processes that no longer run (killed audits), owned by this user. Best effort. */
export async function removeStale(parent: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const m = /^odbadge-spill-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    const path = join(parent, name);
    try {
      const st = await lstat(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Raced with another cleaner, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** Whether a process with this id exists (a reused id only means a stale directory is kept a while longer). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
