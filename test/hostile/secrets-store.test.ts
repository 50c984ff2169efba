// The history store never holds a URL's secrets: new runs record redacted URLs (per-URL state keyed by them), and
// a store written before the redaction policy is scrubbed when this odbadge first opens it.
import { mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, MIGRATIONS } from '../../src/store/schema.ts';
import { SqliteStore as Store } from '../../src/store/store.ts';

const SECRETS = ['OLDPASS77', 'OLDTOKEN88', 'OLDSIG99', 'CATKEY55'];

async function fileBytes(path: string): Promise<string> {
  const parts = [path, `${path}-wal`].filter(existsSync);
  return (await Promise.all(parts.map((p) => readFile(p, 'latin1')))).join('');
}

/** A store as odbadge wrote it before: schema version 1, raw URLs everywhere. */
function oldStore(path: string): void {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
  db.exec(MIGRATIONS[0].sqlite as string);
  db.exec('PRAGMA user_version = 1');
  const catalog = 'https://portal.example/export?format=csv&apikey=CATKEY55';
  const res = 'https://bob:OLDPASS77@files.example/a.csv?token=OLDTOKEN88';
  const signed = 'https://bucket.example/b.csv?X-Amz-Signature=OLDSIG99';
  const fetch = JSON.stringify({ url: res, finalUrl: res, kind: 'ok', error: `server said: bad token OLDTOKEN88, password OLDPASS77 (${res})` });
  db.prepare(`INSERT INTO runs (id, ruleset_id, ruleset, catalog, catalog_key, options, started_at, status, catalog_error)
    VALUES (1, 'r', '{}', ?, ?, ?, '2026-01-01T00:00:00Z', 'interrupted', ?)`)
    .run(catalog, JSON.stringify([catalog, '', '']), JSON.stringify({ catalog, out: '/tmp/o' }), `HTTP 500 from ${catalog}`);
  const result = { id: 'd1', title: 't', agency: 'a', findings: [{ code: 'catalog-bad-url', message: `bad ${res}` }], resources: [{ url: res }] };
  db.prepare(`INSERT INTO run_datasets (run_id, idx, dataset_id, title, agency, badge, result) VALUES (1, 0, 'd1', 't', 'a', 'none', ?)`).run(JSON.stringify(result));
  db.prepare('INSERT INTO run_resources (run_id, url, fetch) VALUES (1, ?, ?)').run(res, fetch);
  db.prepare('INSERT INTO run_resources (run_id, url, fetch) VALUES (1, ?, ?)').run(signed, '{}');
  for (const [url, etag] of [[res, '"e1"'], [res.replace('OLDTOKEN88', 'OTHERTOKEN'), '"e2"'], [signed, '"e3"']]) {
    db.prepare('INSERT INTO url_state (url, etag, content_hash, declared_format, fetch, first_run, seen_run, checked_at) VALUES (?, ?, ?, ?, ?, 1, 1, ?)')
      .run(url, etag, 'h', 'CSV', fetch, '2026-01-01T00:00:00Z');
  }
  db.close();
}

describe('an existing store is scrubbed of secrets on upgrade', () => {
  it('every raw URL, token and echoed secret is gone from the file and its WAL; the runs stay readable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'odbadge-scrub-'));
    const path = join(dir, 'old.db');
    oldStore(path);
    const before = await fileBytes(path);
    for (const s of SECRETS) expect(before, s).toContain(s); // the test plants what it looks for

    const store = Store.open(path);
    const run = (await store.getRun(1))!;
    expect(run.catalog).toBe('https://portal.example/export?format=csv&apikey=***');
    expect(run.catalogKey).toBe(JSON.stringify(['https://portal.example/export?format=csv&apikey=***', '', '']));
    expect(run.options).toEqual({ catalog: 'https://portal.example/export?format=csv&apikey=***', out: '/tmp/o', redacted: ['catalog'] });
    expect(run.catalogError).toBe('HTTP 500 from https://portal.example/export?format=csv&apikey=***');
    const raw = new DatabaseSync(path, { readOnly: true });
    const urls = (raw.prepare('SELECT url FROM run_resources WHERE run_id = 1 ORDER BY url').all() as { url: string }[]).map((r) => r.url);
    raw.close();
    expect(urls).toEqual(['https://***@files.example/a.csv?token=***', 'https://bucket.example/b.csv?X-Amz-Signature=***']);
    expect((await store.urlState('https://bob:NEWPASS@files.example/a.csv?token=NEWTOKEN'))).toMatchObject({ url: 'https://***@files.example/a.csv?token=***' });
    expect((await store.runResults(1)).datasets[0].findings[0].message).toBe('bad https://***@files.example/a.csv?token=***');
    await store.close();

    const after = await fileBytes(path);
    for (const s of [...SECRETS, 'OTHERTOKEN', 'bob:']) expect(after, s).not.toContain(s);
  });
});

describe('new runs record redacted URLs', () => {
  it('per-URL state is keyed by the redacted URL and the run options hold no secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'odbadge-keys-'));
    const path = join(dir, 'new.db');
    const store = Store.open(path);
    const run = (await store.createRun({
      rulesetId: 'r', ruleset: {}, catalog: 'https://p.example/x?token=NEWCAT11', catalogKey: '[]',
      options: { catalog: 'https://p.example/x?token=NEWCAT11' }, startedAt: '2026-01-01T00:00:00Z',
    }));
    const url = 'https://u:NEWPASS22@h.example/a.csv?sig=NEWSIG33';
    await store.observeUrl(run, { url, fetch: { url: 'x', finalUrl: 'x', kind: 'ok', transient: false, redirects: [], headers: {}, truncated: false, bytes: 1, attempts: 1, elapsedMs: 1 }, hash: 'h', headers: { etag: '"e"' } }, '2026-01-01T00:00:00Z');
    expect((await store.urlState(url))?.etag).toBe('"e"');
    expect((await store.urlState('https://u:OTHER@h.example/a.csv?sig=OTHER'))?.url).toBe('https://***@h.example/a.csv?sig=***');
    expect((await store.getRun(run.id))!.catalog).toBe('https://p.example/x?token=***');
    await store.close();
    const bytes = await fileBytes(path);
    for (const s of ['NEWCAT11', 'NEWPASS22', 'NEWSIG33']) expect(bytes, s).not.toContain(s);
  });
});
