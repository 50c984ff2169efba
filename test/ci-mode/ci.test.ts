// CI mode: the JUnit file validates against the common JUnit schema (schemas/junit.xsd) with one failure per failing
// dataset, and `odbadge ci` exits 0/1/2/3 as documented, run as a child process against a loopback fixture portal.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/model.ts';
import { ciCheck, junitXml } from '../../src/report/junit.ts';
import { ciMarkdown } from '../../src/report/markdown-report.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';
import { odbadge } from '../helpers/cli.ts';
import { startFixturePortal } from '../helpers/portal-fixture.ts';
import { demoLikeRun, HOSTILE_TITLE } from '../report/demo-like-run.ts';
import { validateAgainstXsd } from './xsd-subset.ts';

const ROOT = resolve(__dirname, '../..');
const rs = loadRuleset();
let XSD = '';
const fixtureRun = async (name: string): Promise<AuditResult> => JSON.parse(await readFile(join(ROOT, 'fixtures/runs', name), 'utf8'));

beforeAll(async () => {
  XSD = await readFile(join(ROOT, 'schemas/junit.xsd'), 'utf8');
});

describe('JUnit XML', () => {
  it('validates against schemas/junit.xsd, with one failure per dataset below the minimum badge', async () => {
    const run = await fixtureRun('awards-2025.json');
    const outcome = ciCheck(run, rs, { minBadge: 'gold' });
    const xml = junitXml(run, outcome);
    expect(validateAgainstXsd(xml, XSD)).toEqual([]);
    const below = run.datasets.filter((d) => d.badge !== 'gold').length;
    expect(below).toBeGreaterThan(0);
    expect(outcome.failingDatasets).toHaveLength(below);
    expect(xml.match(/<failure /g)).toHaveLength(below);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml);
    const suites = doc.testsuites.testsuite as { name: string; tests: string; failures: string; testcase: { name: string; failure?: { '#text': string; type: string } }[] }[];
    expect(suites.map((s) => s.name).sort()).toEqual(run.agencies.map((a) => a.agency).sort());
    expect(suites.reduce((n, s) => n + Number(s.tests), 0)).toBe(run.datasets.length);
    expect(suites.reduce((n, s) => n + Number(s.failures), 0)).toBe(below);
    const none = suites.flatMap((s) => s.testcase).find((c) => c.name.startsWith('桃園市政府none資料1'))!;
    expect(none.failure?.type).toBe('link-valid');
    expect(none.failure?.['#text']).toContain('link-valid: fail — HTTP 404 from https://data.example.gov.tw/gone');
    expect(none.failure?.['#text']).toContain('fix: Update the download URL.');
  });

  it('the schema checker catches what the schema forbids (so a pass means something)', async () => {
    const run = await fixtureRun('awards-2024.json');
    const xml = junitXml(run, ciCheck(run, rs, { minBadge: 'silver' }));
    expect(validateAgainstXsd(xml.replace(/ hostname="odbadge"/, ''), XSD)).toEqual([expect.stringMatching(/missing required attribute hostname/)]);
    expect(validateAgainstXsd(xml.replace('<testsuites>', '<testsuites tests="3">'), XSD)).toEqual([expect.stringMatching(/undeclared attribute tests/)]);
    expect(validateAgainstXsd(xml.replace(/<system-out><\/system-out>\n/, ''), XSD).join()).toMatch(/expected <system-out>/);
    expect(validateAgainstXsd(xml.replace(/time="0\.\d+"/, 'time="fast"'), XSD).join()).toMatch(/not a valid xs:decimal/);
    expect(validateAgainstXsd(xml.replace(/timestamp="[^"]+"/, 'timestamp="2024-11-01T00:00:00.000Z"'), XSD).join()).toMatch(/does not match pattern/);
  });

  it('escapes hostile catalogue text and still validates; an agency score test is added with --min-score', () => {
    const run = demoLikeRun();
    const outcome = ciCheck(run, rs, { minBadge: 'bronze', minScore: 88 });
    const xml = junitXml(run, outcome);
    expect(validateAgainstXsd(xml, XSD)).toEqual([]);
    expect(xml).not.toContain('<script>');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const names = (doc.testsuites.testsuite as { testcase: { name: string }[] }[]).flatMap((s) => s.testcase.map((c) => c.name));
    expect(names).toContain(`${HOSTILE_TITLE} (${run.datasets.find((d) => d.title === HOSTILE_TITLE)!.id})`);
    expect(names.filter((n) => n === 'agency score ≥ 88')).toHaveLength(run.agencies.length);
    expect(outcome.failingAgencies.map((a) => a.agency).sort()).toEqual(run.agencies.filter((a) => a.score < 88).map((a) => a.agency).sort());
  });

  it('transient trouble alone is an <error>, not a <failure>', async () => {
    const run = await fixtureRun('awards-2025.json');
    const d = run.datasets.find((x) => x.badge === 'none')!;
    d.indicators['link-valid'] = { verdict: 'unsure', evidence: 'timed out after 60 s (transient)' };
    const outcome = ciCheck(run, rs, { minBadge: 'bronze' });
    expect(outcome.failingDatasets.find((f) => f.dataset === d)?.kind).toBe('error');
    const xml = junitXml(run, outcome);
    expect(validateAgainstXsd(xml, XSD)).toEqual([]);
    expect(xml.match(/<error /g)).toHaveLength(1);
  });

  it('the Markdown summary leads with the verdict and folds the failing datasets', async () => {
    const run = await fixtureRun('awards-2025.json');
    const md = ciMarkdown(run, ciCheck(run, rs, { minBadge: 'gold', minScore: 90 }));
    const below = run.datasets.filter((d) => d.badge !== 'gold').length;
    expect(md.split('\n')[0]).toMatch(new RegExp(`^## ❌ odbadge: ${below} of ${run.datasets.length} datasets below gold; \\d+ agencies below 90$`));
    expect(md).toContain(`<details><summary>Datasets below gold (${below})</summary>`);
    expect(ciMarkdown(run, ciCheck(run, rs, { minBadge: 'none' })).split('\n')[0]).toBe(`## ✅ odbadge: ${run.datasets.length} datasets checked, all meet no threshold`);
  });
});


describe('odbadge ci exit codes', () => {
  let portal: Awaited<ReturnType<typeof startFixturePortal>>;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'odbadge-ci-'));
    portal = await startFixturePortal(
      [
        { id: 'a1', title: '好資料', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
        { id: 'a2', title: '壞連結', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/gone.csv', format: 'CSV' }] },
        { id: 'b1', title: '乙的資料', agency: '乙機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
      ],
      { '/good.csv': (_q, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('村名,人口\n大安里,1200\n') },
    );
  });
  afterAll(() => portal?.close());

  it('0 when every dataset meets the minimum badge', async () => {
    const r = await odbadge(['ci', '--catalog', portal.exportUrl, '--allow-private-network', '--agency', '乙機關', '--min-badge', 'gold']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## ✅ odbadge: 1 datasets checked, all meet badge ≥ gold/);
  });

  it('1 when a dataset falls below, with JUnit (one failure) and Markdown written', async () => {
    const junit = join(dir, 'junit.xml');
    const md = join(dir, 'pr', 'summary.md');
    const r = await odbadge(['ci', '--catalog', portal.exportUrl, '--allow-private-network', '--min-badge', 'gold', '--junit', junit, '--markdown', md, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const xml = await readFile(junit, 'utf8');
    expect(validateAgainstXsd(xml, XSD)).toEqual([]);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(/<testcase name="壞連結 \(a2\)" classname="甲機關"[^>]*>\s*<failure message="badge none is below gold: link-valid fail — HTTP 404/);
    expect(await readFile(md, 'utf8')).toMatch(/^## ❌ odbadge: 1 of 3 datasets below gold/);
  });

  it('1 when an agency scores below --min-score, even if no badge threshold is missed', async () => {
    const r = await odbadge(['ci', '--catalog', portal.exportUrl, '--allow-private-network', '--min-badge', 'none', '--min-score', '60']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('## ❌ odbadge: 1 agencies below 60');
    expect(r.stdout).toMatch(/\| ❌ \| 甲機關 \| 2 \| 0 \| 50\.00 \|/);
  });

  it('2 on a usage error: unknown badge, missing --catalog, bad score', async () => {
    const bad = await odbadge(['ci', '--catalog', portal.exportUrl, '--min-badge', 'platinum']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown --min-badge "platinum" (this ruleset has: bronze, silver, gold, none)');
    expect((await odbadge(['ci'])).code).toBe(2);
    expect((await odbadge(['ci', '--catalog', portal.exportUrl, '--min-score', 'high'])).code).toBe(2);
  });

  it('3 when the catalogue cannot be read', async () => {
    const r = await odbadge(['ci', '--catalog', join(dir, 'missing.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot read the catalogue/);
  });
});
