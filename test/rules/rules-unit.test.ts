// Rule modules on hand-made facts: the verdict, the evidence a person acts on, and the hint.
import { describe, expect, it } from 'vitest';
import type { Dataset, FetchOutcome, ResourceFacts } from '../../src/model.ts';
import { RULES } from '../../src/rules/index.ts';
import { runRule, type DatasetRule, type ResourceRule } from '../../src/rules/rule.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';

const rs = loadRuleset();
const now = new Date('2026-11-25T00:00:00Z');
const dataset = (over: Partial<Dataset> = {}): Dataset => ({
  id: 'd', title: 't', agency: 'a', source: 'local', whitelisted: false, findings: [], declared: {}, resources: [{ id: 'd#0', url: 'http://x/f', declared: {} }], ...over,
});
const fetchOk = (over: Partial<FetchOutcome> = {}): FetchOutcome => ({
  url: 'http://x/f', finalUrl: 'http://x/f', kind: 'ok', transient: false, status: 200, redirects: [], headers: {}, truncated: false, bytes: 100, attempts: 1, elapsedMs: 5, ...over,
});
const facts = (over: Partial<ResourceFacts> = {}): ResourceFacts => ({
  format: 'csv', formatEvidence: 'sniffed', structured: true, structuredEvidence: 'one header, equal widths', structuralErrors: [], notes: [], ...over,
});
const resourceRule = (id: string) => RULES.get(id) as ResourceRule;
const datasetRule = (id: string) => RULES.get(id) as DatasetRule;
const check = (id: string, f: Partial<FetchOutcome>, fx?: Partial<ResourceFacts>, d = dataset()) =>
  runRule(resourceRule(id), { dataset: d, resource: d.resources[0], fetch: fetchOk(f), facts: fx ? facts(fx) : undefined, options: rs.options?.[id] ?? {}, now });

describe('link-valid', () => {
  it('a definite 410 fails; 503 after retries is unsure with the attempts', () => {
    expect(check('link-valid', { kind: 'http-error', status: 410 }).verdict).toBe('fail');
    const r = check('link-valid', { kind: 'http-error', status: 503, transient: true, attempts: 3 });
    expect(r.verdict).toBe('unsure');
    expect(r.evidence).toMatch(/3 attempts/);
  });
  it('an incomplete TLS chain follows the ruleset option', () => {
    const f = { kind: 'tls' as const, tlsProblem: 'incomplete-chain' as const, error: 'unable to verify the first certificate' };
    expect(check('link-valid', f).verdict).toBe('unsure');
    const strict = runRule(resourceRule('link-valid'), { dataset: dataset(), resource: dataset().resources[0], fetch: fetchOk(f), options: { incompleteChain: 'fail' }, now });
    expect(strict.verdict).toBe('fail');
    expect(check('link-valid', { kind: 'tls', tlsProblem: 'expired' }).verdict).toBe('fail');
  });
  it('a private address refused by the guard fails with the reason', () => {
    const r = check('link-valid', { kind: 'blocked', error: 'resolves to private address 10.1.2.3' });
    expect(r.verdict).toBe('fail');
    expect(r.hint?.en).toMatch(/private network/);
  });
});

describe('structured', () => {
  it('a ZIP is judged by its entries', () => {
    expect(check('structured', {}, { format: 'zip', structured: true, structuredEvidence: 'entries a.csv, b.csv are structured' }).verdict).toBe('pass');
    const pdf = check('structured', {}, { format: 'zip', structured: false, structuredEvidence: 'entry report.pdf is pdf' });
    expect(pdf.verdict).toBe('fail');
    expect(pdf.evidence).toContain('report.pdf');
  });
  it('PDF is never structured; counts per error type are in the detail', () => {
    expect(check('structured', {}, { format: 'pdf', structured: false }).verdict).toBe('fail');
    const r = check('structured', {}, { structuralErrors: [
      { type: 'blank-row', row: 4, field: null, message: '' }, { type: 'blank-row', row: 5, field: null, message: '' },
      { type: 'merged-cell', row: 7, field: 2, message: '', cell: 'Sheet1!B7:D7' },
    ] });
    expect(r.verdict).toBe('fail');
    expect(r.evidence).toContain('merged-cell at Sheet1!B7:D7');
    expect(r.detail?.counts).toEqual({ 'blank-row': 2, 'merged-cell': 1 });
  });
});

describe('encoding-match', () => {
  const enc = (detected: 'big5' | 'utf-8-bom' | 'ascii') => ({ encoding: { detected, compatible: detected === 'ascii' ? ['ascii', 'utf-8', 'big5'] as never : [detected] as never, evidence: '' } });
  it('spelling variants and a BOM are not mismatches', () => {
    const d = (e: string) => dataset({ resources: [{ id: 'd#0', url: 'u', declared: { encoding: e } }] });
    expect(check('encoding-match', {}, enc('big5'), d('BIG-5')).verdict).toBe('pass');
    expect(check('encoding-match', {}, enc('utf-8-bom'), d('utf8')).verdict).toBe('pass');
    expect(check('encoding-match', {}, enc('ascii'), d('Big5')).verdict).toBe('pass');
    const bad = check('encoding-match', {}, enc('big5'), d('UTF-8'));
    expect(bad.verdict).toBe('fail');
    expect(bad.evidence).toMatch(/big5/i);
  });
  it('no declaration fails; spreadsheets fix their own encoding', () => {
    expect(check('encoding-match', {}, enc('ascii')).verdict).toBe('fail');
    expect(check('encoding-match', {}, { format: 'xlsx' }).verdict).toBe('pass');
  });
});

describe('timely', () => {
  const ctx = (frequency: string | undefined, metadataUpdatedAt: string | undefined, extra: Partial<FetchOutcome> = {}) => {
    const d = dataset({ declared: { frequency }, metadataUpdatedAt });
    return runRule(datasetRule('timely'), { dataset: d, resources: [{ resource: d.resources[0], fetch: fetchOk(extra) }], oas: [], options: rs.options?.timely ?? {}, now });
  };
  it('每3月 allows 93 × 1.5 days', () => {
    expect(ctx('每3月', '2026-08-01T00:00:00+08:00').verdict).toBe('pass'); // 116 days
    expect(ctx('每3月', '2026-07-01T00:00:00+08:00').verdict).toBe('fail'); // 147 days
    const late = ctx('每3月', '2026-05-01T00:00:00+08:00'); // 208 days
    expect(late.verdict).toBe('fail');
    expect(late.detail?.windowDays).toBe(139.5);
  });
  it('Last-Modified beats the metadata time as evidence, and the evidence says so', () => {
    const r = ctx('每1月', '2020-01-01T00:00:00+08:00', { headers: { 'last-modified': 'Mon, 16 Nov 2026 00:00:00 GMT' } });
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toMatch(/Last-Modified/);
  });
  it('missing frequency fails, unknown text is unsure, no evidence is unsure', () => {
    expect(ctx(undefined, '2026-11-01T00:00:00+08:00').verdict).toBe('fail');
    expect(ctx('看心情', '2026-11-01T00:00:00+08:00').verdict).toBe('unsure');
    expect(ctx('每1月', undefined).verdict).toBe('unsure');
  });
});

describe('results never carry URL credentials', () => {
  it('user:pass@ and ?token= are redacted from resource URLs and evidence', async () => {
    const { evaluateDataset } = await import('../../src/score/evaluate.ts');
    const url = 'https://alice:s3cret@data.example.gov.tw/a.csv?token=abcdef123456&x=1';
    const d = dataset({ resources: [{ id: 'd#0', url, declared: {} }, { id: 'd#1', url: 'https://data.example.gov.tw/b.csv', declared: {} }] });
    const r = evaluateDataset({ dataset: d, resources: [
      // The fetcher already redacts what it records (test/fetch covers that); here the catalogue's raw URL is the risk.
      { resource: d.resources[0], fetch: fetchOk({ url: 'https://data.example.gov.tw/a.csv', finalUrl: 'https://data.example.gov.tw/a.csv', kind: 'http-error', status: 404 }) },
      { resource: d.resources[1], fetch: fetchOk() , facts: facts() },
    ], oas: [] }, rs, now);
    const text = JSON.stringify(r);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('abcdef123456');
    expect(r.resources[0].url).toContain('data.example.gov.tw/a.csv');
  });
});

describe('timely: historical-archive captures', () => {
  it('are used as evidence and named as capture times', () => {
    const d = dataset({ declared: { frequency: '每1月' }, metadataUpdatedAt: '2020-01-01T00:00:00+08:00', resources: [{ id: 'd#0', url: 'u', declared: {}, archiveCaptures: ['2026-10-01T00:00:00Z', '2026-11-20T00:00:00Z'] }] });
    const r = runRule(datasetRule('timely'), { dataset: d, resources: [{ resource: d.resources[0], fetch: fetchOk() }], oas: [], options: rs.options?.timely ?? {}, now });
    expect(r.verdict).toBe('pass');
    expect(r.evidence).toMatch(/historical-archive capture time/);
    expect(r.detail?.lastUpdate).toBe('2026-11-20T00:00:00.000Z');
  });
});
