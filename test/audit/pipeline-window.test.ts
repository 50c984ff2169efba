// The audit pipeline's scheduling and memory bounds: a stretch of one slow host's datasets does not hold up the
// other hosts; a URL listed again far down the catalogue is judged the same (fetched again without a store, taken
// from the store's state of this run with one); a dataset odbadge fails on says so instead of "no resource".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';
import { RULES } from '../../src/rules/index.ts';
import { SqliteStore } from '../../src/store/store.ts';

const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
const FETCH = { allowPrivateNetwork: true, perHostMinSpacingMs: 0, retries: 0 };

/** Response order across all servers, and per-path request counts. */
const responded: string[] = [];
const requests = new Map<string, number>();
const servers: http.Server[] = [];
let dir: string;

/**
 * The slow host answers only once `release` resolves (every fast dataset served, or a fallback timer so a scheduler
 * that never reaches the other hosts cannot hang the test); the others answer at once.
 */
let release: Promise<void> = Promise.resolve();
function serve(host: string, name: string, gated: boolean): Promise<string> {
  const server = http.createServer((req, res) => {
    requests.set(`${name}${req.url}`, (requests.get(`${name}${req.url}`) ?? 0) + 1);
    const answer = () => {
      if (res.destroyed) return;
      responded.push(name);
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(CSV);
      onAnswer();
    };
    if (gated) void release.then(answer);
    else answer();
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`));
  });
}
let onAnswer = () => {};

const dataset = (id: string, url: string) => ({ id, title: `資料集 ${id}`, agency: '測試機關', fields: '村名、人口', frequency: '不定期', resources: [{ url, format: 'CSV', encoding: 'UTF-8' }] });

async function catalogue(name: string, datasets: ReturnType<typeof dataset>[]): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ agency: '測試機關', datasets }));
  return file;
}

let slow: string;
let fastA: string;
let fastB: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-window-'));
  // Distinct loopback addresses: the per-host limit is per host name.
  slow = await serve('127.0.0.1', 'slow', true);
  fastA = await serve('127.0.0.2', 'fastA', false);
  fastB = await serve('127.0.0.3', 'fastB', false);
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await rm(dir, { recursive: true, force: true });
});

describe('in-flight window', () => {
  it('datasets on other hosts are served while a slow host listed first still holds its datasets', async () => {
    responded.length = 0;
    let fallback: NodeJS.Timeout | undefined;
    let open = () => {};
    release = new Promise<void>((r) => {
      open = r;
      fallback = setTimeout(r, 5_000);
    });
    onAnswer = () => {
      if (responded.filter((n) => n !== 'slow').length === 40) open();
    };
    // 40 datasets on the slow host first: a window of 2×concurrency = 40 datasets would hold only slow ones, and
    // no other host would be asked until the slow host answered.
    const ds = [
      ...Array.from({ length: 40 }, (_, i) => dataset(`s${i}`, `${slow}/s/${i}.csv`)),
      ...Array.from({ length: 40 }, (_, i) => dataset(`f${i}`, `${i % 2 ? fastA : fastB}/f/${i}.csv`)),
    ];
    try {
      const r = await runAudit({ catalog: await catalogue('window', ds), fetch: { ...FETCH, concurrency: 20, perHost: 2 } });
      expect(r.datasets).toHaveLength(80);
      expect(r.datasets.every((d) => d.badge === 'gold')).toBe(true);
      // Results stay in catalogue order whatever the completion order.
      expect(r.datasets.map((d) => d.id)).toEqual(ds.map((d) => d.id));
    } finally {
      clearTimeout(fallback);
      onAnswer = () => {};
      release = Promise.resolve();
    }
    expect(responded).toHaveLength(80);
    // Every other host's resource was answered before the slow host's first.
    expect(responded.indexOf('slow')).toBe(40);
  });
});

describe('bounded URL dedupe', () => {
  // The dedupe keeps at least the last 1,024 URLs: 1,100 distinct ones push the first out before it recurs.
  const far = () => [
    dataset('first', `${fastA}/shared.csv`),
    ...Array.from({ length: 1100 }, (_, i) => dataset(`u${i}`, `${fastB}/u/${i}.csv`)),
    dataset('again', `${fastA}/shared.csv`),
    dataset('adjacent', `${fastA}/shared.csv`),
  ];

  it('without a store, a URL listed again far apart is fetched again and judged the same', async () => {
    requests.clear();
    const r = await runAudit({ catalog: await catalogue('far', far()), fetch: { ...FETCH, concurrency: 8 } });
    expect(r.datasets).toHaveLength(1103);
    const [first, again, adjacent] = ['first', 'again', 'adjacent'].map((id) => r.datasets.find((d) => d.id === id)!);
    expect(again.indicators).toEqual(first.indicators);
    expect(adjacent.indicators).toEqual(first.indicators);
    expect(requests.get('fastA/shared.csv')).toBe(2); // adjacent repeats are still fetched once
    expect(r.stats.distinctUrls).toBe(1101);
    expect(r.stats.resources).toBe(1103);
  });

  it("with a store, this run's stored state of the URL stands in: one request, the same verdicts", async () => {
    requests.clear();
    const store = SqliteStore.open(join(dir, 'h.db'));
    try {
      const r = await runAudit({ catalog: await catalogue('far-store', far()), fetch: { ...FETCH, concurrency: 8 }, store });
      const [first, again] = ['first', 'again'].map((id) => r.datasets.find((d) => d.id === id)!);
      expect(again.indicators).toEqual(first.indicators);
      expect(again.resources[0].facts).toEqual(first.resources[0].facts);
      expect(requests.get('fastA/shared.csv')).toBe(1);
      expect(r.run?.status).toBe('complete');
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('a dataset odbadge fails on', () => {
  it('reports unsure resource indicators naming the failure, plus the internal-error finding', async () => {
    const rs = loadRuleset();
    // An option of the wrong shape makes the structured rule throw: a stand-in for any bug on one dataset.
    const broken = { ...rs, options: { ...rs.options, structured: { structuredFormats: { length: 1 } } } };
    const r = await runAudit({ catalog: await catalogue('broken', [dataset('b', `${fastA}/b.csv`)]), ruleset: broken, fetch: FETCH });
    const d = r.datasets[0];
    expect(d.findings.map((f) => f.code)).toContain('internal-error');
    expect(d.badge).toBe('none');
    const resourceIds = Object.keys(d.indicators).filter((id) => RULES.get(id)?.scope === 'resource');
    expect(resourceIds.length).toBeGreaterThan(0);
    for (const id of resourceIds) {
      expect(d.indicators[id].verdict).toBe('unsure');
      expect(d.indicators[id].evidence).toMatch(/^odbadge failed on this dataset: .*includes/);
      expect(d.indicators[id].evidence).not.toContain('lists no resource');
    }
    // Dataset-level indicators are still judged from the catalogue entry.
    expect(d.indicators.timely?.verdict).toBe('pass');
  });
});
