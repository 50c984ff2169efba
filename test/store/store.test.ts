// The history store file: created with our schema, refuses foreign / corrupted / newer files with a clear error
// (exit 3 from the CLI, never a crash), and prune keeps it consistent.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.ts';
import { defaultDbPath } from '../../src/store/paths.ts';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/schema.ts';
import { SqliteStore as Store } from '../../src/store/store.ts';
import { odbadge as runCli } from '../helpers/cli.ts';
import { addRun } from '../helpers/stores.ts';

// The store's CLI errors come quickly; keep a tighter hang guard than the default.
const odbadge = (args: string[]) => runCli(args, { timeoutMs: 30_000 });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-store-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});


describe('store file', () => {
  it('defaults under $ODBADGE_HOME, else $XDG_DATA_HOME/odbadge, else ~/.local/share/odbadge', async () => {
    expect(defaultDbPath({ ODBADGE_HOME: '/srv/odb' })).toBe('/srv/odb/odbadge.db');
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' })).toBe('/data/odbadge/odbadge.db');
    expect(defaultDbPath({})).toMatch(/\.local\/share\/odbadge\/odbadge\.db$/);
  });

  it('is created in WAL mode with our application id and schema version; reopening keeps the runs', async () => {
    const path = join(dir, 'sub', 'new.db');
    const s = Store.open(path);
    await addRun(s, 'gold', 100);
    await s.close();
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA application_id').get()).toEqual({ application_id: APPLICATION_ID });
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    raw.close();
    const again = Store.open(path);
    expect((await again.listRuns()).map((r) => r.status)).toEqual(['complete']);
    await again.close();
  });

  const cases: [string, () => Promise<string>, RegExp, string][] = [
    ['a text file', async () => {
      const p = join(dir, 'text.db');
      await writeFile(p, 'this is not a database\n'.repeat(100));
      return p;
    }, /not an odbadge history store \(not an SQLite database\)/, 'not-sqlite'],
    ['another program\'s SQLite database', async () => {
      const p = join(dir, 'foreign.db');
      const d = new DatabaseSync(p);
      d.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
      d.close();
      return p;
    }, /an SQLite database but not an odbadge history store/, 'foreign'],
    ['a store written by a newer odbadge', async () => {
      const p = join(dir, 'newer.db');
      await Store.open(p).close();
      const d = new DatabaseSync(p);
      d.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
      d.close();
      return p;
    }, /newer than this odbadge understands/, 'newer-schema'],
    ['a corrupted store', async () => {
      const p = join(dir, 'corrupt.db');
      const s = Store.open(p);
      for (let i = 0; i < 20; i++) await addRun(s, 'gold', 100);
      await s.close();
      const d = new DatabaseSync(p);
      d.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      d.close();
      const b = await readFile(p);
      for (let i = 4096; i < b.length; i++) b[i] = (i * 7) & 0xff; // every page after the header page
      await writeFile(p, b);
      return p;
    }, /is corrupted/, 'corrupt'],
  ];

  for (const [name, make, message, kind] of cases) {
    it(`${name}: a clear StoreError, and exit 3 from history, diff, prune and audit`, async () => {
      const p = await make();
      let err: unknown;
      try {
        await Store.open(p).close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).kind).toBe(kind);
      expect((err as Error).message).toMatch(message);
      for (const args of [['history'], ['diff'], ['prune', '--keep', '1'], ['audit', '--catalog', 'nothing.csv', '--out', join(dir, 'o')]]) {
        const r = await odbadge([...args, '--db', p]);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
      }
    });
  }

  it('history and diff on a store that does not exist: exit 3, no file created', async () => {
    const p = join(dir, 'absent.db');
    const r = await odbadge(['history', '--db', p]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no history store at/);
  });
});

describe('prune', () => {
  it('keeps the newest runs in one transaction; history and diff still work; integrity_check ok', async () => {
    const path = join(dir, 'prune.db');
    const s = Store.open(path);
    const ids = [await addRun(s, 'none', 30), await addRun(s, 'bronze', 30), await addRun(s, 'silver', 60), await addRun(s, 'gold', 100)];
    expect(await s.prune(2)).toEqual({ deletedRuns: ids.slice(0, 2), urlsDropped: 2 });
    expect((await s.listRuns()).map((r) => r.id)).toEqual(ids.slice(2));
    expect((await s.runResults(ids[0])).datasets).toEqual([]);
    expect(await s.urlState(`http://x/${ids[0]}`)).toBeUndefined();
    expect((await s.urlState(`http://x/${ids[3]}`))?.hash).toBe(`h${ids[3]}`);
    expect(await s.integrityCheck()).toBe('ok');
    await s.close();
    const h = await odbadge(['history', '--db', path, '--json']);
    expect(JSON.parse(h.stdout).runs.map((r: { id: number }) => r.id)).toEqual(ids.slice(2));
    const d = await odbadge(['diff', '--db', path, '--json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout).rose).toEqual([expect.objectContaining({ id: 'd1', from: 'silver', to: 'gold' })]);
    const p = await odbadge(['prune', '--keep', '5', '--db', path]);
    expect(p.stdout).toMatch(/Nothing to prune/);
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect(raw.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    raw.close();
  });
});
