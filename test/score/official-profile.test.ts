// The official-compatibility profile (rules/tw-ndc-2017-official.json) reproduces the per-resource codes the platform
// checker published in 2017 for real data.gov.tw datasets (fixtures/corpora/datagovtw-catalogue): the datasets'
// real metadata, each resource served from 127.0.0.1 as a hand-made file of the kind the platform saw (the 2017 URLs
// are dead). The default ruleset's own verdicts on the same facts differ where odbadge parts from the platform.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetFromLegacyJson, officialQcFromDqEvent } from '../../src/catalog/datagovtw.ts';
import { Fetcher } from '../../src/fetch/index.ts';
import { inspectResource } from '../../src/inspect/index.ts';
import type { Dataset, DatasetResult } from '../../src/model.ts';
import { codeAgreement } from '../../src/report/agreement.ts';
import { evaluateDataset } from '../../src/score/evaluate.ts';
import { publishedCodes } from '../../src/score/official-codes.ts';
import { bundledRuleset, loadRuleset } from '../../src/score/ruleset.ts';
import { buildZip } from '../../src/util/zip-writer.ts';

const root = path.resolve(import.meta.dirname, '../..');
const corpus = path.join(root, 'fixtures/corpora/datagovtw-catalogue');
const read = (rel: string) => JSON.parse(readFileSync(path.join(corpus, rel), 'utf8')) as unknown;
const manifest = read('MANIFEST.json') as { files: Record<string, { resources: Record<string, number | string>[] }> };
const CODES = ['linkable', 'downloadable', 'structure', 'encoding_match', 'desc_match'] as const;

const BODIES: Record<string, { type: string; body: Buffer }> = {
  '/report.pdf': { type: 'application/pdf', body: readFileSync(path.join(root, 'fixtures/inspect/magic.pdf')) },
  '/yearbook.zip': { type: 'application/zip', body: buildZip([{ name: 'table.csv', data: Buffer.from('年度,稅目,金額\n105,所得稅,100\n') }]) },
  '/home': { type: 'text/html; charset=utf-8', body: readFileSync(path.join(root, 'fixtures/inspect/landing-page.html')) },
  '/stats.csv': { type: 'text/csv', body: Buffer.from('月份,件數,金額\n2017-09,10,2000\n') },
  '/stats.json': { type: 'application/json', body: Buffer.from('[{"月份":"2017-09","件數":10}]') },
  '/stats.xml': { type: 'application/xml', body: Buffer.from('<?xml version="1.0"?><rows><row><月份>2017-09</月份></row></rows>') },
};

let server: Server;
let base = '';
const fetcher = new Fetcher({ allowPrivateNetwork: true, retries: 0 });

beforeAll(async () => {
  // The 45749 CSV: Big5, with exactly the declared 主要欄位說明 as its header.
  const page = read('quality-2017/page-45749.json') as { 主要欄位說明?: string };
  const fields = (datasetFromLegacyJson(page).declared.fields ?? '').split('、');
  BODIES['/institutions.csv'] = { type: 'text/csv', body: iconv.encode(`${fields.join(',')}\r\n${fields.map((_, i) => `值${i}`).join(',')}\r\n`, 'big5') };
  server = createServer((req, res) => {
    const b = BODIES[req.url ?? ''];
    if (!b) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': b.type }).end(b.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fetcher.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** The dataset with each resource's URL pointed at the local stand-in; its published codes are kept. */
function serve(d: Dataset, paths: string[]): Dataset {
  return { ...d, resources: d.resources.map((r, i) => ({ ...r, url: `${base}${paths[i]}` })) };
}

async function evaluate(d: Dataset, rs = loadRuleset()): Promise<DatasetResult> {
  const resources = await Promise.all(d.resources.map(async (resource) => {
    const fetch = await fetcher.fetch(resource.url);
    const facts = fetch.body ? await inspectResource({ body: fetch.body, contentType: fetch.contentType, url: fetch.finalUrl, declaredFormat: resource.declared.format }) : undefined;
    return { resource, fetch, facts };
  }));
  return evaluateDataset({ dataset: d, resources, oas: [] }, rs, new Date('2017-10-01T00:00:00Z'));
}

/** The published codes of a corpus entry, as the manifest lists them. */
const published = (file: string) => manifest.files[file].resources.map((r) => Object.fromEntries(CODES.map((c) => [c, r[c]])));

describe('the official-compatibility profile reproduces the platform checker\'s 2017 codes', () => {
  it('dp-12639: three PDFs (structure 0, encoding 2, desc 0) and a ZIP (2, 2, 2)', async () => {
    const d = serve(datasetFromLegacyJson(read('quality-2017/dp-12639.json')), ['/report.pdf', '/report.pdf', '/report.pdf', '/yearbook.zip']);
    const r = await evaluate(d);
    expect(r.resources.map((x) => x.official)).toEqual(published('quality-2017/dp-12639.json'));
    expect(r.resources.map((x) => x.published)).toEqual(published('quality-2017/dp-12639.json'));
    // What odbadge itself says: a PDF has no fields to compare (not evaluated); the ZIP is judged by its CSV entry.
    expect(r.resources[0].indicators['fields-match'].verdict).toBe('not-evaluated');
    expect(r.resources[3].indicators.structured.verdict).toBe('pass');
    expect(r.resources[0].official).toEqual({ linkable: 1, downloadable: 1, structure: 0, encoding_match: 2, desc_match: 0 });
  });

  it('dp-13348: encoding declared 其他 gives encoding_match 0 on CSV, JSON, web service and XML alike', async () => {
    const d = serve(datasetFromLegacyJson(read('quality-2017/dp-13348.json')), ['/stats.csv', '/stats.json', '/stats.json', '/stats.xml']);
    const r = await evaluate(d);
    expect(r.resources.map((x) => x.official)).toEqual(published('quality-2017/dp-13348.json'));
  });

  it('dq_event 45750: a homepage is linkable but not downloadable, and nothing further is evaluated', async () => {
    const page = datasetFromLegacyJson(read('quality-2017/page-45750.json'));
    const d = serve(officialQcFromDqEvent(page, read('quality-2017/dq_event-45750.json')), ['/home']);
    const r = await evaluate(d);
    expect(r.resources[0].official).toEqual({ linkable: 1, downloadable: 0, structure: 2, encoding_match: 2, desc_match: 2 });
    expect(r.resources[0].published).toEqual(r.resources[0].official);
  });

  it('dq_event 45749: a Big5 CSV declared BIG5 whose header is the declared field list passes all five', async () => {
    const page = datasetFromLegacyJson(read('quality-2017/page-45749.json'));
    const d = serve(officialQcFromDqEvent(page, read('quality-2017/dq_event-45749.json')), ['/institutions.csv']);
    const r = await evaluate(d);
    expect(r.resources[0].official).toEqual({ linkable: 1, downloadable: 1, structure: 1, encoding_match: 1, desc_match: 1 });
    expect(r.badge).toBe('gold');
  });

  it('the agreement report compares every published code: all 45 agree', async () => {
    const all = await Promise.all([
      evaluate(serve(datasetFromLegacyJson(read('quality-2017/dp-12639.json')), ['/report.pdf', '/report.pdf', '/report.pdf', '/yearbook.zip'])),
      evaluate(serve(datasetFromLegacyJson(read('quality-2017/dp-13348.json')), ['/stats.csv', '/stats.json', '/stats.json', '/stats.xml'])),
      evaluate(serve(officialQcFromDqEvent(datasetFromLegacyJson(read('quality-2017/page-45750.json')), read('quality-2017/dq_event-45750.json')), ['/home'])),
    ]);
    const c = codeAgreement(all);
    expect(c.resources).toBe(9);
    expect(c.perCode).toEqual({
      linkable: { compared: 9, agree: 9 }, downloadable: { compared: 9, agree: 9 }, structure: { compared: 9, agree: 9 },
      encoding_match: { compared: 9, agree: 9 }, desc_match: { compared: 9, agree: 9 },
    });
    expect(c.disagreements).toEqual([]);
  });

  it('a disagreement names the resource, the code and our evidence', () => {
    const r = { id: 'x', title: 'T', resources: [{ published: { structure: 1 }, official: { linkable: 1, downloadable: 1, structure: 0, encoding_match: 2, desc_match: 2 }, indicators: { structured: { verdict: 'fail', evidence: '3 blank rows' } } }] };
    expect(codeAgreement([r as unknown as DatasetResult]).disagreements).toEqual([
      { dataset: 'x', title: 'T', resource: 1, code: 'structure', published: 1, ours: 0, evidence: 'fail: 3 blank rows' },
    ]);
  });

  it('published codes are read from the checker text; badge names are not codes', () => {
    expect(publishedCodes('linkable=1 downloadable=0 structure=2 encoding_match=2 desc_match=2 csv=2')).toEqual({ linkable: 1, downloadable: 0, structure: 2, encoding_match: 2, desc_match: 2 });
    expect(publishedCodes('金標章')).toBeUndefined();
    expect(publishedCodes(undefined)).toBeUndefined();
  });

  it('the profile is a ruleset of its own, naming itself', () => {
    const rs = bundledRuleset('tw-ndc-2017-official');
    expect(rs.officialProfile).toBe('tw-ndc-2017-official');
    expect(loadRuleset().officialProfile).toBe('tw-ndc-2017-official');
    expect(rs.gating).toEqual([['link-valid'], ['direct-download'], ['structured', 'fields-match'], ['encoding-match']]);
  });
});
