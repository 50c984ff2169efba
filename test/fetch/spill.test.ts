// Bounded memory for bodies: a global budget across downloads in flight, spill files for bodies that do not fit
// (private, deleted on release and on close, stale ones cleaned), and streamed downloads for large documents.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { FAST, startServer, text } from './helpers.ts';
import type { TestServer } from './helpers.ts';

const KB = 1024;
/** A recognisable body of `n` bytes: line numbers, so a reordered or short copy shows. */
function numbered(n: number): Buffer {
  const lines: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const l = `${String(i).padStart(9, '0')}\n`;
    lines.push(l);
    len += l.length;
  }
  return Buffer.from(lines.join('')).subarray(0, n);
}
const BIG = numbered(300 * KB);
const SMALL = numbered(40 * KB);

let srv: TestServer;
let parent: string;
/** Released by a test to let /held finish its body. */
let releaseHeld: (() => void) | undefined;
let heldServed = 0;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'odbadge-spill-test-'));
  srv = await startServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').replace(/\?.*/, '');
    if (path === '/big') return void res.writeHead(200, { 'content-type': 'text/csv' }).end(BIG);
    if (path === '/small') return void res.writeHead(200, { 'content-type': 'text/csv' }).end(SMALL);
    if (path === '/held') {
      // Sends half the body, then waits for the test before sending the rest.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write(BIG.subarray(0, BIG.length / 2));
      heldServed = BIG.length / 2;
      releaseHeld = () => {
        heldServed = BIG.length;
        res.end(BIG.subarray(BIG.length / 2));
      };
      return;
    }
    if (path === '/missing') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  await srv.close();
  rmSync(parent, { recursive: true, force: true });
});

const spillDirs = () => readdirSync(parent).filter((n) => n.startsWith('odbadge-spill-'));

describe('memory budget and spill files', () => {
  it('a body above the per-body limit goes to a private file with the exact bytes; release deletes it', async () => {
    const f = new Fetcher({ ...FAST, spillAboveBytes: 100 * KB, spillDir: parent });
    try {
      const o = await f.fetch(`${srv.origin}/big`);
      expect(o).toMatchObject({ kind: 'ok', bytes: 300 * KB, truncated: false });
      expect(o.body).toBeUndefined();
      expect(o.bodyFile).toBeDefined();
      expect(readFileSync(o.bodyFile!).equals(BIG)).toBe(true);
      expect(statSync(o.bodyFile!).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(o.bodyFile!)).mode & 0o777).toBe(0o700);
      expect(f.stats).toMatchObject({ spilled: 1, bodyBytesInMemory: 0 });
      await f.release(o);
      expect(existsSync(o.bodyFile!)).toBe(false);
      await f.release(o); // twice is harmless
    } finally {
      await f.close();
    }
  });

  it('bodies in flight share one budget: what does not fit spills, and release gives the bytes back', async () => {
    // 100 KB budget, 40 KB bodies: two fit in memory, the third cannot.
    const f = new Fetcher({ ...FAST, memoryBudgetBytes: 100 * KB, spillDir: parent });
    try {
      const a = await f.fetch(`${srv.origin}/small?1`);
      const b = await f.fetch(`${srv.origin}/small?2`);
      expect(f.stats.bodyBytesInMemory).toBe(80 * KB);
      const c = await f.fetch(`${srv.origin}/small?3`);
      expect([a, b].map((o) => text(o.body) === SMALL.toString())).toEqual([true, true]);
      expect(c.body).toBeUndefined();
      expect(readFileSync(c.bodyFile!).equals(SMALL)).toBe(true);
      expect(f.stats.peakBodyBytesInMemory).toBe(80 * KB);
      await f.release(a);
      expect(f.stats.bodyBytesInMemory).toBe(40 * KB);
      // With room again, the next body stays in memory.
      const d = await f.fetch(`${srv.origin}/small?4`);
      expect(d.bodyFile).toBeUndefined();
      expect(text(d.body)).toBe(SMALL.toString());
      for (const o of [b, c, d]) await f.release(o);
      expect(f.stats.bodyBytesInMemory).toBe(0);
      expect(existsSync(c.bodyFile!)).toBe(false);
    } finally {
      await f.close();
    }
  });

  it('error pages and failed attempts hold nothing once released; close removes the spill directory', async () => {
    const f = new Fetcher({ ...FAST, spillAboveBytes: 100 * KB, spillDir: parent });
    const miss = await f.fetch(`${srv.origin}/missing`);
    expect(miss).toMatchObject({ kind: 'http-error', status: 404 });
    expect(text(miss.body)).toBe('not here');
    await f.release(miss);
    expect(f.stats.bodyBytesInMemory).toBe(0);
    const kept = await f.fetch(`${srv.origin}/big?kept`); // never released: close() must remove it
    const dir = dirname(kept.bodyFile!);
    expect(existsSync(kept.bodyFile!)).toBe(true);
    await f.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('removes spill directories left by dead processes, and keeps those of live ones', async () => {
    const stale = join(parent, 'odbadge-spill-999999999-abc123'); // no such pid
    const live = join(parent, `odbadge-spill-${process.ppid}-def456`); // the test runner's parent: alive
    mkdirSync(stale);
    mkdirSync(live);
    const f = new Fetcher({ ...FAST, spillAboveBytes: 0, spillDir: parent });
    try {
      const o = await f.fetch(`${srv.origin}/small?stale`);
      expect(o.bodyFile).toBeDefined();
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      await f.close();
      rmSync(live, { recursive: true, force: true });
    }
    expect(spillDirs()).toEqual([]);
  });

  it('when the disk refuses the spill, the body stays in memory (over budget) with a note, and the download succeeds', async () => {
    const f = new Fetcher({ ...FAST, spillAboveBytes: 100 * KB, spillDir: join(parent, 'no', 'such', 'dir') });
    try {
      const o = await f.fetch(`${srv.origin}/big?nodisk`);
      expect(o.kind).toBe('ok');
      expect(o.bodyFile).toBeUndefined();
      expect(Buffer.from(o.body!).equals(BIG)).toBe(true);
      expect(o.notes.join(' ')).toMatch(/the body could not be spilled to disk \(ENOENT.*\); it was kept in memory/);
      await f.release(o);
      expect(f.stats.bodyBytesInMemory).toBe(0);
    } finally {
      await f.close();
    }
  });

  it('spillAboveBytes Infinity keeps every body in memory (a one-off inspect)', async () => {
    const f = new Fetcher({ ...FAST, spillAboveBytes: Infinity, memoryBudgetBytes: Infinity, spillDir: parent });
    try {
      const o = await f.fetch(`${srv.origin}/big?inf`);
      expect(o.bodyFile).toBeUndefined();
      expect(o.body?.length).toBe(300 * KB);
    } finally {
      await f.close();
    }
  });
});

describe('streamed downloads', () => {
  it('yields the body while the server is still sending, then deletes its spool file', async () => {
    const f = new Fetcher({ ...FAST, spillDir: parent });
    try {
      const s = await f.stream(`${srv.origin}/held`);
      expect(s.outcome).toMatchObject({ kind: 'ok', status: 200 });
      const chunks: Buffer[] = [];
      let servedAtFirst = -1;
      for await (const c of s.body!) {
        if (servedAtFirst < 0) {
          servedAtFirst = heldServed;
          releaseHeld!();
        }
        chunks.push(Buffer.from(c));
      }
      expect(servedAtFirst).toBe(BIG.length / 2); // the first bytes came before the server had sent everything
      expect(Buffer.concat(chunks).equals(BIG)).toBe(true);
      expect(spillDirs().flatMap((d) => readdirSync(join(parent, d)))).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('passing maxBytes ends the body with an error naming the limit', async () => {
    const f = new Fetcher({ ...FAST, spillDir: parent });
    try {
      const s = await f.stream(`${srv.origin}/big?cap`, { maxBytes: 100 * KB });
      let got = 0;
      await expect((async () => {
        for await (const c of s.body!) got += c.length;
      })()).rejects.toThrow(/the response exceeds the 102400-byte limit/);
      expect(got).toBe(100 * KB);
    } finally {
      await f.close();
    }
  });

  it('a reader that stops early cancels the download; a non-2xx answer has no body stream', async () => {
    const f = new Fetcher({ ...FAST, spillDir: parent });
    try {
      const s = await f.stream(`${srv.origin}/held?stop`);
      for await (const _ of s.body!) break;
      expect(spillDirs().flatMap((d) => readdirSync(join(parent, d)))).toEqual([]);
      const miss = await f.stream(`${srv.origin}/missing`);
      expect(miss.body).toBeUndefined();
      expect(miss.outcome).toMatchObject({ kind: 'http-error', status: 404 });
    } finally {
      await f.close();
    }
  });
});
