// Output paths are checked before any download (one line on stderr, exit 2 for the wrong kind of path, 3 when it
// cannot be written), and files are written to a temporary name and renamed — never through a planted symlink.
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputError, writeFileAtomic } from '../../src/util/atomic-write.ts';
import { odbadge } from '../helpers/cli.ts';
import { startFixturePortal } from '../helpers/portal-fixture.ts';

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
let aFile: string;
const downloads = () => portal.hits.get('/good.csv') ?? 0;
const catalogReads = () => portal.hits.get('/api/front/dataset/export') ?? 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-outpaths-'));
  aFile = join(dir, 'a-file');
  await writeFile(aFile, 'not a directory');
  portal = await startFixturePortal(
    [{ id: 'a1', title: '好資料', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] }],
    { '/good.csv': (_q, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('村名,人口\n大安里,1200\n') },
  );
});
afterAll(() => portal?.close());

/** One line on stderr, naming the option and the path, no stack trace. */
function oneLine(stderr: string, ...parts: string[]) {
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  for (const p of parts) expect(stderr).toContain(p);
}

describe('checked before any download', () => {
  it('audit --out naming a file: exit 2; under a file: exit 3; the catalogue is not even read', async () => {
    const before = catalogReads();
    const a = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', aFile, '--allow-private-network', '--no-store']);
    expect(a.code).toBe(2);
    oneLine(a.stderr, '--out', aFile, 'is a file, not a directory');
    const b = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', join(aFile, 'out'), '--allow-private-network', '--no-store']);
    expect(b.code).toBe(3);
    oneLine(b.stderr, '--out', join(aFile, 'out'), 'cannot write there');
    expect(catalogReads()).toBe(before);
  });

  it('audit --db in a directory that cannot be created: exit 3, one line (was exit 70 with a stack trace)', async () => {
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', join(dir, 'o-db'), '--allow-private-network', '--db', join(aFile, 'h.db')]);
    expect(r.code).toBe(3);
    oneLine(r.stderr, join(aFile, 'h.db'));
    expect(downloads()).toBe(0);
  });

  it('ci --junit / --markdown / --out: a directory given as a file is exit 2, an unwritable place exit 3, nothing downloaded', async () => {
    const sub = join(dir, 'a-dir');
    await mkdir(sub);
    const cases: [string[], number, string][] = [
      [['--junit', sub], 2, 'is a directory, not a file'],
      [['--markdown', sub], 2, 'is a directory, not a file'],
      [['--junit', join(aFile, 'junit.xml')], 3, 'cannot write in'],
      [['--markdown', join(aFile, 'summary.md')], 3, 'cannot write in'],
      [['--out', aFile], 2, 'is a file, not a directory'],
    ];
    for (const [args, code, text] of cases) {
      const r = await odbadge(['ci', '--catalog', portal.exportUrl, '--allow-private-network', '--quiet', ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      oneLine(r.stderr, args[0], args[1], text);
    }
    expect(downloads()).toBe(0);
  });

  it('report --out under a file: exit 3, one line', async () => {
    const r = await odbadge(['report', '--results', 'fixtures/runs/awards-2025.json', '--out', join(aFile, 'rep')]);
    expect(r.code).toBe(3);
    oneLine(r.stderr, '--out', join(aFile, 'rep'));
  });
});

describe('atomic writes', () => {
  it('a symlink planted at <out>/fix-first.csv is replaced, its target left alone', async () => {
    const out = join(dir, 'planted');
    await mkdir(out);
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious');
    await symlink(victim, join(out, 'fix-first.csv'));
    await symlink(victim, join(out, 'index.html'));
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out, '--allow-private-network', '--no-store', '--quiet']);
    expect(r.code).toBe(0);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    for (const f of ['fix-first.csv', 'index.html']) {
      const st = await lstat(join(out, f));
      expect(st.isSymbolicLink(), f).toBe(false);
      expect(st.isFile(), f).toBe(true);
    }
    expect((await readFile(join(out, 'fix-first.csv'), 'utf8')).startsWith('\ufeffagency,rank')).toBe(true);
    // No temporary file is left behind.
    expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writeFileAtomic replaces a file whole and reports a failure as an OutputError naming the path', async () => {
    const f = join(dir, 'w', 'x.txt');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, 'two');
    expect(await readFile(f, 'utf8')).toBe('two');
    const bad = join(aFile, 'x.txt');
    await expect(writeFileAtomic(bad, 'x')).rejects.toThrow(OutputError);
    await expect(writeFileAtomic(bad, 'x')).rejects.toThrow(`cannot write ${bad}: a part of the path is not a directory`);
  });
});
