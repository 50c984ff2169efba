import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/model.ts';
import { enrichFromApiV2, enrichManyFromApiV2, formatResourceField, formatUpdateFrequency } from '../../src/catalog/datagovtw.ts';
import { loopbackCatalogHttp } from '../fetch/helpers.ts';

/** The catalogue reads through the audit's guarded fetcher (loopback allowed for these servers). */
const client = loopbackCatalogHttp();
afterAll(() => client.close());

function dataset(id: string, urls: string[], extra: Partial<Dataset> = {}): Dataset {
  return {
    id,
    title: `資料集 ${id}`,
    agency: '某機關',
    source: 'data.gov.tw',
    declared: {},
    officialBadge: null,
    whitelisted: false,
    findings: [],
    resources: urls.map((url, i) => ({ id: `${id}#${i}`, url, declared: { format: 'CSV', encoding: 'UTF-8', fields: '資料集層級欄位' } })),
    ...extra,
  };
}

const API: Record<string, unknown> = {
  '1001': {
    success: true,
    result: {
      datasetId: '1001',
      title: '空氣品質指標(AQI)',
      updateFrequency: { regularupdate: 'Y', Frequency: '1', unittime: '月' },
      distribution: [
        // Listed in a different order from the export: matching is by URL.
        {
          resourceDescription: 'AQI JSON',
          resourceField: [
            { name: 'SiteName', description: '測站名稱' },
            { name: 'AQI', description: 'AQI' },
            { name: 'County', description: '' },
          ],
          qcLevel: '金標章',
          resourceFormat: 'JSON',
          resourceCharacterEncoding: 'UTF-8',
          resourceDownloadUrl: 'https://x.example.gov.tw/aqi.json',
          resourceOasUrl: 'https://x.example.gov.tw/openapi.json',
          resourceModifiedDate: '2026-03-10 14:05:00',
        },
        {
          resourceDescription: 'AQI CSV',
          resourceField: '測站名稱(SiteName)、AQI',
          qcLevel: '銀標章',
          resourceFormat: 'CSV',
          resourceCharacterEncoding: 'BIG5',
          resourceDownloadUrl: 'https://x.example.gov.tw/aqi.csv',
        },
      ],
    },
  },
  '6000': {
    success: true,
    result: {
      updateFrequency: '每日',
      distribution: [
        { resourceFormat: 'XML', resourceDownloadUrl: 'https://y.example.gov.tw/new-location.xml', resourceField: [{ name: 'a' }] },
        { resourceFormat: 'JSON', resourceDownloadUrl: 'https://y.example.gov.tw/extra.json' },
      ],
    },
  },
  '4000': { success: false, message: 'not found' },
  '7000': { success: true, result: { updateFrequency: { regularupdate: 'N' }, distribution: [] } },
};

let server: Server;
let base: string;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const id = decodeURIComponent(req.url?.replace('/api/v2/rest/dataset/', '') ?? '');
    if (id === '3000') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success": true, "result": {');
      return;
    }
    if (id === '5000') return; // never answers: the caller's time-out must fire
    if (id.startsWith('batch-')) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: true, result: { distribution: [{ resourceFormat: 'JSON', resourceDownloadUrl: `https://b.example.gov.tw/${id}` }] } }));
      }, 100);
      return;
    }
    const body = API[id];
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"success":false}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('formatResourceField / formatUpdateFrequency', () => {
  it('turns resourceField arrays into a 、-joined declared list', () => {
    expect(formatResourceField('村名(name)、人口(population)')).toBe('村名(name)、人口(population)');
    expect(formatResourceField([{ name: 'name', description: '村名' }, { name: 'population', description: '人口' }])).toBe('村名(name)、人口(population)');
    expect(formatResourceField([{ name: '村名', description: '村名' }, { name: '人口' }, { description: '備註' }])).toBe('村名、人口、備註');
    expect(formatResourceField([])).toBeUndefined();
    expect(formatResourceField(42)).toBeUndefined();
  });

  it('turns the frequency object into text', () => {
    expect(formatUpdateFrequency({ regularupdate: 'Y', Frequency: '1', unittime: '月' })).toBe('每1月');
    expect(formatUpdateFrequency({ regularupdate: true, Frequency: 30, unittime: 'minute' })).toBe('每30分');
    expect(formatUpdateFrequency({ regularupdate: 'N' })).toBe('不定期');
    expect(formatUpdateFrequency('每日')).toBe('每日');
    expect(formatUpdateFrequency(null)).toBeUndefined();
  });
});

describe('enrichFromApiV2', () => {
  it('fills per-resource declarations, matching distribution entries by download URL', async () => {
    const before = dataset('1001', ['https://x.example.gov.tw/aqi.csv', 'https://x.example.gov.tw/aqi.json']);
    const d = await enrichFromApiV2(before, base, { http: client.http });
    expect(d.findings).toEqual([]);
    expect(d.declared.frequency).toBe('每1月');
    expect(d.resources).toEqual([
      {
        id: '1001#0',
        url: 'https://x.example.gov.tw/aqi.csv',
        declared: { format: 'CSV', encoding: 'BIG5', fields: '測站名稱(SiteName)、AQI', description: 'AQI CSV' },
        officialQc: '銀標章',
      },
      {
        id: '1001#1',
        url: 'https://x.example.gov.tw/aqi.json',
        declared: {
          format: 'JSON',
          encoding: 'UTF-8',
          fields: '測站名稱(SiteName)、AQI、County',
          description: 'AQI JSON',
          oasUrl: 'https://x.example.gov.tw/openapi.json',
          updatedAt: '2026-03-10T14:05:00+08:00',
          isApi: true,
        },
        officialQc: '金標章',
      },
    ]);
    expect(before.resources[0].declared.encoding).toBe('UTF-8'); // the input is not mutated
  });

  it('keeps the export frequency, falls back to order for unmatched URLs and appends extra entries', async () => {
    const d = await enrichFromApiV2(dataset('6000', ['https://y.example.gov.tw/old.xml'], { declared: { frequency: '每月' } }), base, { http: client.http });
    expect(d.declared.frequency).toBe('每月');
    expect(d.resources.map((r) => [r.id, r.url, r.declared.format, r.declared.fields])).toEqual([
      ['6000#0', 'https://y.example.gov.tw/old.xml', 'XML', 'a'],
      ['6000#1', 'https://y.example.gov.tw/extra.json', 'JSON', undefined],
    ]);
  });

  it('maps an irregular frequency object to 不定期', async () => {
    expect((await enrichFromApiV2(dataset('7000', []), base, { http: client.http })).declared.frequency).toBe('不定期');
  });

  it.each([
    ['2000', 'catalog-api-http-error', /HTTP 404/],
    ['3000', 'catalog-api-malformed', /not JSON/],
    ['4000', 'catalog-api-unsuccessful', /success=false/],
  ])('dataset %s: leaves the dataset as it was plus %s', async (id, code, message) => {
    const before = dataset(id, ['https://z.example.gov.tw/a.csv']);
    const d = await enrichFromApiV2(before, base, { http: client.http });
    expect(d.findings.map((f) => f.code)).toEqual([code]);
    expect(d.findings[0].message).toMatch(message);
    expect({ ...d, findings: [] }).toEqual(before);
  });

  it('reports a time-out instead of hanging', async () => {
    const d = await enrichFromApiV2(dataset('5000', []), base, { timeoutMs: 300, http: client.http });
    expect(d.findings.map((f) => f.code)).toEqual(['catalog-api-timeout']);
  });

  it('reports an unreachable server', async () => {
    const d = await enrichFromApiV2(dataset('1001', []), 'http://127.0.0.1:1', { http: client.http });
    expect(d.findings.map((f) => f.code)).toEqual(['catalog-api-unreachable']);
  });
});

describe('enrichManyFromApiV2', () => {
  it('keeps order and never exceeds the concurrency limit', async () => {
    maxInFlight = 0;
    const input = Array.from({ length: 12 }, (_, i) => dataset(`batch-${i}`, [`https://b.example.gov.tw/batch-${i}`]));
    const out = await enrichManyFromApiV2(input, base, { concurrency: 3, http: client.http });
    expect(out.map((d) => d.id)).toEqual(input.map((d) => d.id));
    expect(out.every((d) => d.resources[0].declared.format === 'JSON' && d.findings.length === 0)).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
  });
});
