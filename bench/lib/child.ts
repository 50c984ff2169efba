// Runs a bench worker as a child process, so each contender's peak RSS is its own, and reads the one JSON line it
// prints last on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/** Starts `node [nodeArgs] script [args]` with stdin and stdout piped, stderr shared with ours. */
export function spawnNode(script: string, env: Record<string, string>, args: string[] = [], nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Runs `script` to completion and returns the JSON object on its last stdout line. */
export function runChild<T>(script: string, env: Record<string, string>, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawnNode(script, env);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${line}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result: ${line.slice(0, 200)}`));
      }
    });
  });
}

/** Starts a long-running child that prints one JSON line when ready; stop() ends it. */
export function startChild<T>(script: string, env: Record<string, string>, readyTimeoutMs = 60_000): Promise<{ info: T; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawnNode(script, env);
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was not ready within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    const onData = (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const stop = () => new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      });
      try {
        resolve({ info: JSON.parse(out.slice(0, nl)) as T, stop });
      } catch (e) {
        void stop();
        reject(e);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited early with ${code}`));
    });
  });
}

/** Peak resident set size of this process so far, in MB (maxRSS is reported in KiB). */
export function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/**
 * Resident set size of another process now and its peak so far (VmRSS, VmHWM from /proc/<pid>/status), in MB;
 * undefined once it has exited. Linux only, as the benchmarks are.
 */
export function procRssMB(pid: number): { rssMB: number; peakMB: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  const rss = kb('VmRSS');
  const peak = kb('VmHWM');
  // A zombie (exited, not yet reaped) has no memory lines.
  if (!Number.isFinite(rss)) return undefined;
  return { rssMB: Math.round((rss / 1024) * 10) / 10, peakMB: Math.round((peak / 1024) * 10) / 10 };
}
