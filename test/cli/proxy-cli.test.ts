// The CLI honours HTTP_PROXY / NO_PROXY from its environment, and keeps the private-network guard through the proxy:
// a real forward proxy on 127.0.0.1 that alone can resolve the test's host names (test/helpers/proxy.ts).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fetch/helpers.ts';
import { CLI, runProgram } from '../helpers/cli.ts';
import { startProxy, type TestProxy } from '../helpers/proxy.ts';

let dir: string;
let site: TestServer;
let proxy: TestProxy;
const CSV = '村名,人口\n大安里,1200\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-proxy-cli-'));
  site = await startServer((req, res) => {
    if (req.url === '/a.csv') return res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
    res.writeHead(404).end();
  });
  proxy = await startProxy({ 'data.example.test': '127.0.0.1' });
});
afterAll(async () => {
  await proxy?.close();
  await site?.close();
});

/** odbadge with the proxy variables given as a user sets them (upper case; vitest clears the lower-case ones). */
function withProxy(vars: Record<string, string>, args: string[]) {
  const env = { ...process.env };
  for (const k of ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) delete env[k];
  return runProgram(process.execPath, [CLI, ...args], { env: { ...env, ...vars } });
}

describe('HTTP_PROXY and NO_PROXY', () => {
  it('inspect fetches through HTTP_PROXY a host name only the proxy can resolve', async () => {
    const url = `http://data.example.test:${site.port}/a.csv`;
    const r = await withProxy({ HTTP_PROXY: proxy.url }, ['inspect', url, '--allow-private-network', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'csv', fields: ['村名', '人口'] });
    expect(proxy.log).toContain(`GET ${url}`);
  });

  it('an audit goes through the proxy too, except the hosts NO_PROXY names', async () => {
    const catalog = join(dir, 'catalog.json');
    await writeFile(catalog, JSON.stringify({ datasets: [
      { id: 'p1', title: '經由代理', agency: '甲機關', fields: '村名、人口', encoding: 'UTF-8', frequency: '不定期', resources: [{ url: `http://data.example.test:${site.port}/a.csv`, format: 'CSV' }] },
      { id: 'd1', title: '直接連線', agency: '甲機關', fields: '村名、人口', encoding: 'UTF-8', frequency: '不定期', resources: [{ url: `${site.origin}/a.csv`, format: 'CSV' }] },
    ] }));
    const before = proxy.log.length;
    const out = join(dir, 'audit');
    const r = await withProxy({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, ['audit', '--catalog', catalog, '--out', out, '--no-store', '-q', '--allow-private-network']);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.datasets.map((d: { id: string; indicators: Record<string, { verdict: string }> }) => [d.id, d.indicators['link-valid'].verdict])).toEqual([['p1', 'pass'], ['d1', 'pass']]);
    expect(proxy.log.slice(before)).toEqual([`GET http://data.example.test:${site.port}/a.csv`]);
  });
});

describe('the private-network guard through the proxy', () => {
  it('a name that resolves to loopback is refused before the proxy is asked (exit 1, the refusal as evidence)', async () => {
    const before = proxy.log.length;
    const r = await withProxy({ HTTP_PROXY: proxy.url }, ['inspect', `http://localhost:${site.port}/a.csv`, '--format', 'json']);
    expect(r.code).toBe(1);
    const link = JSON.parse(r.stdout).verdicts['link-valid'];
    expect(link.verdict).toBe('fail');
    expect(link.evidence).toMatch(/localhost resolves to a refused address \((127\.0\.0\.1: loopback \(127\.0\.0\.0\/8\)|::1: loopback \(::1\))/);
    expect(link.evidence).toContain('refused before the request went to the proxy (use --allow-private-network to permit)');
    expect(proxy.log.slice(before)).toEqual([]);
  });

  it('a name odbadge cannot resolve is not handed to the proxy either', async () => {
    const before = proxy.log.length;
    const r = await withProxy({ HTTP_PROXY: proxy.url }, ['inspect', `http://data.example.test:${site.port}/a.csv`, '--format', 'json']);
    // NXDOMAIN is a definite failure (1); a resolver that cannot answer at all (EAI_AGAIN) a passing one (3).
    expect([1, 3]).toContain(r.code);
    expect(JSON.parse(r.stdout).verdicts['link-valid'].evidence).toMatch(/resolved by odbadge before sending the request through the proxy, to check its address/);
    expect(proxy.log.slice(before)).toEqual([]);
  });

  it('a run whose resources were all refused that way warns, as a direct one does', async () => {
    const catalog = join(dir, 'guarded.json');
    await writeFile(catalog, JSON.stringify({ datasets: [{ id: 'g1', title: '內網', agency: '乙機關', fields: '村名、人口', encoding: 'UTF-8', frequency: '不定期', resources: [{ url: `http://localhost:${site.port}/a.csv`, format: 'CSV' }] }] }));
    const out = join(dir, 'guarded');
    const r = await withProxy({ HTTP_PROXY: proxy.url }, ['audit', '--catalog', catalog, '--out', out, '--no-store', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^odbadge: warning: 1 of 1 resources were refused as private, loopback or link-local addresses;/);
    expect(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')).warnings[0].code).toBe('mostly-refused-as-private');
  });
});
