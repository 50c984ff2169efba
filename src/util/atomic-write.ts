// The one file writer. Every file odbadge writes goes to a fresh temporary name in the same directory and is then
// renamed over the target: a reader never sees half a report, a crash leaves the old file whole, and a symlink
// planted at the target name is replaced, never followed (writing through it would overwrite whatever it points at).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A file could not be written: the path and the system's reason, for a one-line message (exit 3). */
export class OutputError extends Error {
  override name = 'OutputError';
  readonly path: string;
  /** `then`: what the user can do about it, appended to the message. */
  constructor(path: string, cause: unknown, then?: string) {
    super(`cannot write ${path}: ${reason(cause)}${then ? `; ${then}` : ''}`, { cause });
    this.path = path;
  }
}

export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOSPC: 'no space left on device',
    EISDIR: 'it is a directory', ENOTDIR: 'a part of the path is not a directory', ENOENT: 'no such directory', EDQUOT: 'disk quota exceeded',
    // mkdir -p where a file stands in the way of a directory (the temporary name itself is random and new)
    EEXIST: 'a part of the path is not a directory',
  };
  return (err?.code && why[err.code]) ?? err?.message ?? String(e);
}

// O_EXCL: the temporary name is created new, so nothing planted there (a symlink included) is ever written through.
const tempName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

/** Writes `data` to `path` atomically (temporary file + fsync + rename); creates the directory. Throws OutputError. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new OutputError(path, e);
  }
}

/** writeFileAtomic for synchronous callers (scripts). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < buf.length;) at += writeSync(fd, buf, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OutputError(path, e);
  }
}

/** A file written piece by piece, atomically: nothing is at `path` until commit() renames it into place. */
export interface AtomicFile {
  readonly path: string;
  /** Appends text (buffered; resolves once the buffer has room again). */
  write(text: string): Promise<void>;
  /** Flushes, fsyncs and renames into place. */
  commit(): Promise<void>;
  /** Throws the temporary file away (after a failure elsewhere); never throws. */
  abort(): Promise<void>;
}

/** Writes larger than this go to the file at once; smaller ones are gathered (thousands of rows, few syscalls). */
const FLUSH_BYTES = 256 * 1024;

/**
 * Opens `path` for writing by streaming, with writeFileAtomic's guarantees: a temporary file in the same directory
 * (created new, so nothing planted there is followed), fsync, rename. Throws OutputError.
 */
export async function openAtomic(path: string): Promise<AtomicFile> {
  const tmp = tempName(path);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    await mkdir(dirname(path), { recursive: true });
    fh = await open(tmp, 'wx', 0o644);
  } catch (e) {
    throw new OutputError(path, e);
  }
  let pending: string[] = [];
  let size = 0;
  let done = false;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await fh.write(text);
  };
  const fail = async (e: unknown): Promise<never> => {
    done = true;
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e instanceof OutputError ? e : new OutputError(path, e);
  };
  return {
    path,
    async write(text) {
      if (done) throw new OutputError(path, new Error('written after commit or abort'));
      pending.push(text);
      size += text.length;
      if (size >= FLUSH_BYTES) await flush().catch(fail);
    },
    async commit() {
      if (done) throw new OutputError(path, new Error('committed twice, or after abort'));
      try {
        await flush();
        await fh.sync();
        await fh.close();
        done = true;
        await rename(tmp, path);
      } catch (e) {
        await fail(e);
      }
    },
    async abort() {
      if (done) return;
      done = true;
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
    },
  };
}
