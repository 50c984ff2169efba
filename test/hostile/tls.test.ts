// TLS failures end to end: an incomplete chain is its own finding whose verdict is the ruleset option
// `link-valid.incompleteChain` (default unsure); self-signed, expired and wrong-name certificates fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleset, type Ruleset } from '../../src/score/ruleset.ts';
import { hasOpenssl, makePki, type TestPki } from '../fetch/tls-certs.ts';
import { CSV, HANG_BOUND_MS, auditCase, csvRoute, startHostile, startPortal, type HostileServer, type Portal } from './harness.ts';

const opensslPresent = hasOpenssl();
if (!opensslPresent) console.warn('[hostile/tls] openssl not found on PATH: TLS cases skipped.');

/** The default ruleset with link-valid.incompleteChain set to `setting`. */
function withIncompleteChain(setting: 'pass' | 'unsure' | 'fail'): Ruleset {
  const rs = structuredClone(loadRuleset());
  rs.options = { ...rs.options, 'link-valid': { ...rs.options?.['link-valid'], incompleteChain: setting } };
  return rs;
}

describe.skipIf(!opensslPresent)('hostile servers: TLS', () => {
  let pki: TestPki;
  let portal: Portal;
  const servers: Record<string, HostileServer> = {};
  const fetch = () => ({ ca: pki.root });

  beforeAll(async () => {
    pki = makePki();
    portal = await startPortal();
    const serve = (tls: { key: string; cert: string }) => startHostile({ '/data.csv': csvRoute(CSV) }, { tls });
    servers.complete = await serve({ key: pki.good.key, cert: pki.good.cert + pki.intermediate });
    servers.incomplete = await serve(pki.good); // leaf only: the intermediate is missing
    servers.selfSigned = await serve(pki.selfSigned);
    servers.expired = await serve(pki.expired);
    servers.wrongName = await serve(pki.wrongName);
  });
  afterAll(async () => {
    await Promise.all([portal?.close(), ...Object.values(servers).map((s) => s.close())]);
    pki?.cleanup();
  });

  const one = (name: string) => [{ id: 'd', urls: [`${servers[name].origin}/data.csv`] }];

  it('a complete chain to a trusted root is gold', async () => {
    const r = await auditCase(portal, 'tls-complete', one('complete'), { fetch: fetch() });
    expect(r.byId('d').badge).toBe('gold');
  });

  it('incomplete chain, default ruleset: its own finding, unsure, not retried', async () => {
    const r = await auditCase(portal, 'tls-incomplete-default', one('incomplete'), { fetch: fetch() });
    expect(r.v('d', 'link-valid')).toBe('unsure');
    expect(r.ev('d', 'link-valid')).toMatch(/missing its intermediate certificate/);
    expect(r.byId('d').indicators['link-valid'].detail).toMatchObject({ tlsProblem: 'incomplete-chain' });
    expect(r.byId('d').resources[0].fetch).toMatchObject({ kind: 'tls', attempts: 1 });
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });

  it.each([
    ['pass', 'pass'],
    ['unsure', 'unsure'],
    ['fail', 'fail'],
  ] as const)('incomplete chain with incompleteChain: %s → link-valid %s', async (setting, verdict) => {
    const r = await auditCase(portal, `tls-incomplete-${setting}`, one('incomplete'), { fetch: fetch(), ruleset: withIncompleteChain(setting) });
    expect(r.v('d', 'link-valid')).toBe(verdict);
    expect(r.ev('d', 'link-valid')).toMatch(/missing its intermediate certificate/);
    // Nothing was downloaded, so even a pass on the link cannot make the file downloadable.
    expect(r.v('d', 'direct-download')).toBe(setting === 'pass' ? 'unsure' : 'not-evaluated');
    if (setting === 'pass') expect(r.ev('d', 'direct-download')).toMatch(/could not be read \(tls: incomplete-chain/);
    expect(r.byId('d').badge).toBe('none');
  });

  it.each([
    ['selfSigned', 'self-signed'],
    ['expired', 'expired'],
    ['wrongName', 'hostname-mismatch'],
  ] as const)('%s certificate → link-valid fail (%s), distinct from an incomplete chain', async (name, problem) => {
    const r = await auditCase(portal, `tls-${name}`, one(name), { fetch: fetch() });
    expect(r.v('d', 'link-valid')).toBe('fail');
    expect(r.ev('d', 'link-valid')).toContain(`TLS certificate problem (${problem})`);
    expect(r.byId('d').indicators['link-valid'].detail).toMatchObject({ tlsProblem: problem });
    expect(r.byId('d').resources[0].fetch).toMatchObject({ kind: 'tls', attempts: 1 });
    expect(r.byId('d').badge).toBe('none');
    expect(r.elapsed).toBeLessThan(HANG_BOUND_MS);
  });
});
