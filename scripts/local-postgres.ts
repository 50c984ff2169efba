// A real PostgreSQL server for the tests (through test/helpers/postgres.ts) and the distributed benchmark: Debian's `postgresql` package (initdb + pg_ctl) in a temporary directory,
// listening only on a Unix socket inside it (no TCP port, nothing reachable from elsewhere). PostgreSQL refuses to run
// as root, so under root it is started as the `postgres` user the package creates. .ci/run installs the package.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const PG_LIB = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin directory, or undefined when none is installed. */
export function postgresBin(): string | undefined {
  if (!existsSync(PG_LIB)) return undefined;
  const versions = readdirSync(PG_LIB).filter((v) => existsSync(join(PG_LIB, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(PG_LIB, versions[0], 'bin') : undefined;
}

export const havePostgres = postgresBin() !== undefined;

export interface TestPostgres {
  /** A connection string for `pg` (and `--db`): the socket directory as host. */
  url: string;
  dir: string;
  /** Stops the server at once (as a crash would) or cleanly. */
  stop(mode?: 'immediate' | 'fast'): void;
  start(): void;
  /** Stops and removes everything. */
  destroy(): void;
}

const asRoot = userInfo().uid === 0;

function run(bin: string, args: string[]): void {
  const cmd = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/** Starts a fresh server with one database, `odbadge`, owned by the superuser `odbadge` (trust auth on the socket). */
export function startPostgres(): TestPostgres {
  const bin = postgresBin();
  if (!bin) throw new Error(`PostgreSQL is not installed (${PG_LIB}/*/bin/initdb): apt-get install postgresql, as .ci/run does`);
  const dir = mkdtempSync(join(tmpdir(), 'odbadge-pg-'));
  chmodSync(dir, 0o755);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'odbadge', '--no-locale', '-E', 'UTF8']);
  const start = () => run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`, 'start']);
  start();
  run(join(bin, 'createdb'), ['-h', dir, '-U', 'odbadge', 'odbadge']);
  const stop = (mode: 'immediate' | 'fast' = 'fast') => run(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
  return {
    url: `postgres://odbadge@/odbadge?host=${encodeURIComponent(dir)}`,
    dir,
    stop,
    start,
    destroy: () => {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
