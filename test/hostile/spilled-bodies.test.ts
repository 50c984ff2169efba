// Bodies that spill to disk go through the audit like bodies held in memory: inspected streaming with the same
// verdicts, cut at the byte cap and still judged on the part received, and hashed streaming for the history store
// (an unchanged spilled file is recognised on the next audit). The per-body limit is lowered so small files spill.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore as Store } from '../../src/store/store.ts';
import { CSV, HANG_BOUND_MS, auditCase, csvRoute, startHostile, startPortal, type HostileServer, type Portal } from './harness.ts';

/** A CSV of ~60 KB, far above the lowered per-body limit. */
const BIG_CSV = `村名,人口\r\n${'大安里,1200\r\n'.repeat(4000)}`;
const SPILL = { spillAboveBytes: 1024 };

let portal: Portal;
let host: HostileServer;
let dir: string;

beforeAll(async () => {
  portal = await startPortal();
  host = await startHostile({
    '/big.csv': csvRoute(BIG_CSV),
    '/small.csv': csvRoute(CSV),
    '/api.json': csvRoute(JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ 村名: `里${i}`, 人口: i }))), 'application/json'),
  });
  dir = await mkdtemp(join(tmpdir(), 'odbadge-spilled-'));
});
afterAll(async () => {
  await Promise.all([portal?.close(), host?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('spilled bodies in an audit', () => {
  it('a spilled CSV and a spilled JSON get the same verdicts as in memory (gold), with their record counts', async () => {
    const r = await auditCase(portal, 'spilled', [
      { id: 'csv', urls: [`${host.origin}/big.csv`] },
      { id: 'json', urls: [`${host.origin}/api.json`], format: 'JSON' },
      { id: 'small', urls: [`${host.origin}/small.csv`] },
    ], { fetch: SPILL });
    expect(['csv', 'json', 'small'].map((id) => r.byId(id).badge)).toEqual(['gold', 'gold', 'gold']);
    expect(r.byId('csv').resources[0].facts?.recordCount).toBe(4000);
    expect(r.byId('json').resources[0].facts?.recordCount).toBe(300);
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it('a spilled body cut at the byte cap is judged on the part received, like one in memory (a cut last row is not an error)', async () => {
    // 15-byte header + 1250 rows of 16 bytes + "大安里" (9 bytes): the last row is cut after its first cell.
    const cap = 15 + 1250 * 16 + 9;
    const r = await auditCase(portal, 'spilled-cut', [{ id: 'cut', urls: [`${host.origin}/big.csv`] }], { fetch: { ...SPILL, maxBytes: cap } });
    const res = r.byId('cut').resources[0];
    expect(res.fetch).toMatchObject({ kind: 'ok', truncated: true, bytes: 20_024 });
    expect(res.facts?.structuralErrorCount).toBe(0);
    expect(r.v('cut', 'structured')).toBe('pass');
    expect(r.byId('cut').badge).toBe('gold');
  });

  it('with the history store, a spilled body is hashed streaming: unchanged on the next audit, its facts reused', async () => {
    const store = Store.open(join(dir, 'h.db'));
    try {
      const datasets = [{ id: 'csv', urls: [`${host.origin}/big.csv`] }];
      const first = await auditCase(portal, 'spilled-history', datasets, { fetch: SPILL, store });
      const second = await auditCase(portal, 'spilled-history', datasets, { fetch: SPILL, store });
      expect(first.byId('csv').badge).toBe('gold');
      expect(second.byId('csv').badge).toBe('gold');
      expect(first.result.stats.reusedResources).toBe(0);
      // The server sends no validators, so the body is downloaded again; its SHA-256 equals the stored one.
      expect(second.result.stats.reusedResources).toBe(1);
    } finally {
      await store.close();
    }
  });
});
