// The catalogue goes through the same guarded fetcher as resources: the data.gov.tw export, CKAN action API pages,
// API v2 enrichment and DATA.GOV.HK archive lookups. With the guard on, only the "public" test host (127.0.0.3) is
// exempt; a redirect or a DNS answer pointing anywhere else on loopback is refused before any connection, and no
// error message quotes what an internal address would have said (the decoys would answer with a secret).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit.ts';
import { fakeLookup } from '../fetch/helpers.ts';
import { odbadge } from '../helpers/cli.ts';
import { CSV, HANG_BOUND_MS, HOSTILE_FETCH, csvRoute, redirectRoute, startHostile, startPortal, type HostileServer, type Portal } from './harness.ts';

const SECRET = 'INTERNAL-ADMIN-PAGE token=hunter2';
const secretRoute = csvRoute(`${SECRET}\nsecond line\n`, 'text/plain');

let portal: Portal; // 127.0.0.3: data.gov.tw-style exports
let pub: HostileServer; // 127.0.0.3: the exempted "public" host
let decoy: HostileServer; // 127.0.0.2: an internal host that must never see a connection
let decoyLocal: HostileServer; // 127.0.0.1: what internal.example.test resolves to

const ckanPackage = (url: string) => ({
  name: 'hk-one', id: 'uuid-1', title: 'One dataset', organization: { name: 'org', title: 'Some Department' },
  update_frequency: 'Daily', resources: [{ id: 'r-1', url, format: 'CSV' }],
});

beforeAll(async () => {
  decoy = await startHostile({
    '/export': secretRoute, '/api/3/action/package_search': secretRoute, '/v2': secretRoute, '/archive': secretRoute,
  }, { host: '127.0.0.2' });
  decoyLocal = await startHostile({ '/export': secretRoute }, { host: '127.0.0.1' });
  portal = await startPortal({ host: '127.0.0.3' });
  let origin = '';
  pub = await startHostile({
    '/export-to-decoy': redirectRoute(`${decoy.origin}/export`),
    '/ckan/api/3/action/package_search': redirectRoute(`${decoy.origin}/api/3/action/package_search`),
    '/hk/api/3/action/package_search': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, result: { count: 1, results: [ckanPackage(`${origin}/good.csv`)] } }));
    },
    '/archive/v1/historical-archive/list-file-versions': redirectRoute(`${decoy.origin}/archive`),
    '/v2/api/v2/rest/dataset/e1': redirectRoute(`${decoy.origin}/v2`),
    '/good.csv': csvRoute(CSV),
  }, { host: '127.0.0.3' });
  origin = pub.origin;
});
afterAll(async () => {
  await Promise.all([portal?.close(), pub?.close(), decoy?.close(), decoyLocal?.close()]);
});

/** Guard on: only the "public" test host's address is exempt; internal.example.test resolves to 127.0.0.1. */
const GUARD = {
  ...HOSTILE_FETCH,
  allowPrivateNetwork: false,
  allowAddresses: ['127.0.0.3'],
  lookup: fakeLookup({ 'internal.example.test': '127.0.0.1' }),
};

describe.concurrent('hostile catalogues: the catalogue is fetched through the private-network guard', () => {
  it('a data.gov.tw export URL that redirects to an internal address: refused, no connection, no body in the error', async () => {
    const started = performance.now();
    const r = await runAudit({ catalog: `${pub.origin}/export-to-decoy`, fetch: GUARD });
    expect(r.catalog.complete).toBe(false);
    expect(r.datasets).toEqual([]);
    expect(r.catalog.error).toMatch(/^data\.gov\.tw export: cannot fetch .*address 127\.0\.0\.2 is loopback \(127\.0\.0\.0\/8\); refused/);
    expect(r.catalog.error).not.toMatch(/INTERNAL|hunter2/);
    expect(decoy.connections()).toBe(0);
    expect(performance.now() - started).toBeLessThan(HANG_BOUND_MS);
  });

  it('an export whose host name resolves to loopback: refused at connect time, no connection made', async () => {
    const before = decoyLocal.connections();
    const r = await runAudit({ catalog: `http://internal.example.test:${decoyLocal.port}/export`, fetch: GUARD });
    expect(r.catalog.complete).toBe(false);
    expect(r.catalog.error).toMatch(/internal\.example\.test resolves only to refused addresses \(127\.0\.0\.1: loopback/);
    expect(r.catalog.error).not.toMatch(/INTERNAL-ADMIN|hunter2/);
    expect(decoyLocal.connections()).toBe(before);
  });

  it('CKAN action API pages: a redirect to an internal address is refused and its body never quoted', async () => {
    const r = await runAudit({ catalog: `ckan:${pub.origin}/ckan`, fetch: GUARD });
    expect(r.catalog.complete).toBe(false);
    expect(r.catalog.error).toMatch(/^CKAN package_search: cannot reach http:\/\/127\.0\.0\.3:\d+\/ckan\/api\/3\/action\/package_search: address 127\.0\.0\.2 is loopback/);
    expect(r.catalog.error).not.toMatch(/INTERNAL|hunter2|begins/);
    expect(decoy.connections()).toBe(0);
  });

  it('a CKAN portal on the exempted host is read, and its archive lookups go through the guard too', async () => {
    const r = await runAudit({ catalog: `ckan:${pub.origin}/hk?archive=${encodeURIComponent(`${pub.origin}/archive`)}`, fetch: GUARD });
    expect(r.catalog).toMatchObject({ complete: true, datasets: 1 });
    expect(r.datasets[0].indicators['link-valid'].verdict).toBe('pass');
    // The archive answered with a redirect to 127.0.0.2: refused, so there is no capture evidence, and no connection.
    expect(pub.hits.get('/archive/v1/historical-archive/list-file-versions')).toBe(1);
    expect(r.datasets[0].findings.map((f) => f.code)).not.toContain('archive-capture-evidence');
    expect(decoy.connections()).toBe(0);
  });

  it('API v2 enrichment: a redirect to an internal address is a catalog-api-unreachable finding naming the refusal', async () => {
    const catalog = portal.add('enrich-guard', [{ id: 'e1', urls: [`${pub.origin}/good.csv`] }]);
    const r = await runAudit({ catalog, enrichApiBase: `${pub.origin}/v2`, fetch: GUARD });
    expect(r.catalog.complete).toBe(true);
    const f = r.datasets[0].findings.find((x) => x.code === 'catalog-api-unreachable');
    expect(f?.message).toMatch(/^API v2 lookup of e1 failed: address 127\.0\.0\.2 is loopback \(127\.0\.0\.0\/8\); refused/);
    expect(JSON.stringify(r.datasets[0].findings)).not.toMatch(/INTERNAL|hunter2/);
    expect(decoy.connections()).toBe(0);
    expect(r.datasets[0].badge).toBe('gold'); // the resource itself is fine
  });

  it('the CLI: a catalogue on a loopback address without --allow-private-network is refused, exit 3', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'odbadge-catalog-guard-'));
    const r = await odbadge(['audit', '--catalog', `${pub.origin}/export-to-decoy`, '--out', join(dir, 'out'), '--no-store', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot read the catalogue .*address 127\.0\.0\.3 is loopback \(127\.0\.0\.0\/8\); refused \(use --allow-private-network to permit\)/);
    expect(r.stderr).not.toMatch(/INTERNAL|hunter2/);
  });
});
