// The catalogue gets the fetcher's size and time limits and its retries, like any resource: an export past its byte
// limit stops with an error naming it, a dripping export is cut by the minimum transfer rate, and a CKAN page that
// fails once with 503 is retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { readDataGovTwExport } from '../../src/catalog/datagovtw.ts';
import { loopbackCatalogHttp } from '../fetch/helpers.ts';
import { CSV, HANG_BOUND_MS, HOSTILE_FETCH, csvRoute, startHostile, startPortal, type HostileServer, type Portal } from './harness.ts';

let portal: Portal;
let host: HostileServer;
let exportCsv = '';
let searches = 0;

beforeAll(async () => {
  portal = await startPortal();
  // A real export (from the harness portal) to serve in hostile ways.
  let origin = '';
  host = await startHostile({
    '/good.csv': csvRoute(CSV),
    '/export-drip': (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write(exportCsv.slice(0, 200));
      const t = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(t));
    },
    '/ckan/api/3/action/package_search': (_q, res) => {
      if (searches++ === 0) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        success: true,
        result: { count: 1, results: [{ name: 'p1', id: 'u1', title: 'P1', organization: { name: 'o', title: 'O' }, resources: [{ id: 'r1', url: `${origin}/good.csv`, format: 'CSV' }] }] },
      }));
    },
  });
  origin = host.origin;
  exportCsv = await (await fetch(portal.add('limits', [{ id: 'a', urls: [`${origin}/good.csv`] }, { id: 'b', urls: [`${origin}/good.csv`] }]))).text();
});
afterAll(async () => {
  await Promise.all([portal?.close(), host?.close()]);
});

describe.concurrent('hostile catalogues: size and time limits, retries', () => {
  it('an export over HTTP past maxBytes stops with an error naming the limit', async () => {
    const client = loopbackCatalogHttp();
    try {
      const read = async () => {
        for await (const _ of readDataGovTwExport(`${portal.origin}/export/limits`, { http: client.http, maxBytes: 500 })) { /* drain */ }
      };
      await expect(read()).rejects.toThrow(/^data\.gov\.tw export: the response exceeds the 500-byte limit$/);
    } finally {
      await client.close();
    }
  });

  it('an export that drips is cut by the minimum transfer rate: the catalogue broke off, with the reason', async () => {
    const started = performance.now();
    const r = await runAudit({ catalog: `${host.origin}/export-drip`, fetch: { ...HOSTILE_FETCH, totalTimeoutMs: 60_000, minSpeedBytesPerSec: 1000, minSpeedWindowMs: 400 } });
    expect(r.catalog.complete).toBe(false);
    expect(r.catalog.error).toMatch(/^data\.gov\.tw export: the transfer broke off: transfer too slow: \d+ bytes in 0\.4 s, below the minimum rate of 1000 bytes\/s/);
    expect(performance.now() - started).toBeLessThan(HANG_BOUND_MS);
  });

  it('a CKAN page answered 503 once is retried like a resource, and the catalogue is read whole', async () => {
    const r = await runAudit({ catalog: `ckan:${host.origin}/ckan`, fetch: HOSTILE_FETCH });
    expect(r.catalog).toMatchObject({ complete: true, datasets: 1 });
    expect(searches).toBe(2);
    expect(r.datasets[0].indicators['link-valid'].verdict).toBe('pass');
    // Catalogue requests are not counted as resource requests.
    expect(r.stats.requests).toBe(1);
  });
});
