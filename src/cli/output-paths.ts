// Output paths are checked before any download: an unwritable --out or --junit found after a two-hour audit costs
// the audit. The check creates the directory and a probe file in it (permission bits alone do not tell: ACLs,
// read-only mounts, root). Exit 2 when the path is the wrong kind of thing, 3 when the system refuses.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { reason } from '../util/atomic-write.ts';
import { EXIT } from './exit-codes.ts';

export interface OutputProblem {
  code: number;
  message: string;
}

async function probe(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const p = join(dir, `.odbadge-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await open(p, 'wx');
  await fh.close();
  await rm(p, { force: true });
}

/** `--out <dir>`: a directory odbadge can create files in (created if missing). */
export async function checkOutputDir(flag: string, dir: string): Promise<OutputProblem | undefined> {
  const st = await stat(dir).catch(() => undefined);
  if (st && !st.isDirectory()) return { code: EXIT.usage, message: `${flag} ${dir} is a file, not a directory` };
  try {
    await probe(dir);
  } catch (e) {
    return { code: EXIT.input, message: `${flag} ${dir}: cannot write there (${reason(e)})` };
  }
  return undefined;
}

/** `--junit <file>`, `--markdown <file>`: a file name whose directory odbadge can write in. */
export async function checkOutputFile(flag: string, file: string): Promise<OutputProblem | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (st?.isDirectory()) return { code: EXIT.usage, message: `${flag} ${file} is a directory, not a file` };
  try {
    await probe(dirname(file));
  } catch (e) {
    return { code: EXIT.input, message: `${flag} ${file}: cannot write in ${dirname(file)} (${reason(e)})` };
  }
  return undefined;
}

/** Checks each output in turn; the first problem is the answer. */
export async function checkOutputs(dirs: [string, string | undefined][], files: [string, string | undefined][] = []): Promise<OutputProblem | undefined> {
  for (const [flag, dir] of dirs) {
    const p = dir === undefined ? undefined : await checkOutputDir(flag, dir);
    if (p) return p;
  }
  for (const [flag, file] of files) {
    const p = file === undefined ? undefined : await checkOutputFile(flag, file);
    if (p) return p;
  }
  return undefined;
}
