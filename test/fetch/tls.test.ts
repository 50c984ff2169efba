// TLS failures classified the way a portal operator fixes them. Certificates are generated with openssl at test
// time; without openssl these tests are skipped with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../src/fetch/index.ts';
import { FAST, startServer, text } from './helpers.ts';
import type { TestServer } from './helpers.ts';
import { hasOpenssl, makePki } from './tls-certs.ts';
import type { TestPki } from './tls-certs.ts';

const opensslPresent = hasOpenssl();
if (!opensslPresent) console.warn('[fetch/tls] openssl not found on PATH: TLS classification tests skipped.');

describe.skipIf(!opensslPresent)('Fetcher: TLS problems', () => {
  let pki: TestPki;
  const servers: Record<string, TestServer> = {};
  let fetcher: Fetcher;

  beforeAll(async () => {
    pki = makePki();
    const serve = (tls: { key: string; cert: string }) =>
      startServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end('a\n1\n');
      }, { tls });
    servers.chain = await serve({ key: pki.good.key, cert: pki.good.cert + pki.intermediate });
    servers.leafOnly = await serve(pki.good);
    servers.selfSigned = await serve(pki.selfSigned);
    servers.expired = await serve(pki.expired);
    servers.wrongName = await serve(pki.wrongName);
    fetcher = new Fetcher({ ...FAST, ca: pki.root });
  });
  afterAll(async () => {
    await fetcher?.close();
    await Promise.all(Object.values(servers).map((s) => s.close()));
    pki?.cleanup();
  });

  it('accepts a complete chain to a trusted root', async () => {
    const o = await fetcher.fetch(`${servers.chain.origin}/a.csv`);
    expect(o.kind).toBe('ok');
    expect(text(o.body)).toBe('a\n1\n');
  });

  it.each([
    ['leafOnly', 'incomplete-chain'],
    ['selfSigned', 'self-signed'],
    ['expired', 'expired'],
    ['wrongName', 'hostname-mismatch'],
  ] as const)('classifies %s as tlsProblem %s, definite, not retried', async (name, problem) => {
    const o = await fetcher.fetch(`${servers[name].origin}/a.csv`);
    expect(o).toMatchObject({ kind: 'tls', tlsProblem: problem, transient: false, attempts: 1 });
    expect(o.error).toBeTruthy();
  });
});
