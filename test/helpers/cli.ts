// Runs the odbadge CLI as a user does — a child process on the same Node — and returns its exit code and output.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const CLI = resolve(__dirname, '../../src/cli/main.ts');
const execP = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Any program as a child process (no shell): its exit code and output, whatever the code. */
export async function runProgram(file: string, args: string[], opts: RunOptions = {}): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execP(file, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, cwd: opts.cwd, env: opts.env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

export function odbadge(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliRun> {
  return runProgram(process.execPath, [CLI, ...args], opts);
}
