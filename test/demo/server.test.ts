import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import SwaggerParser from '@apidevtools/swagger-parser';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoPortal, type DemoDataset, type DemoResource } from '../../src/demo/portal.ts';
import { EXPORT_HEADER } from '../../src/catalog/datagovtw-export.ts';
import { startDemoServer, type DemoServer } from '../../src/demo/server.ts';
import type { ScenarioId } from '../../src/demo/scenarios.ts';

const portal = buildDemoPortal();
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer(portal, { timeoutScenarioHoldMs: 1_000 });
});
afterAll(async () => {
  await server?.close();
});

/** One raw GET: no redirects followed, no content decoding. */
async function get(url: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') {
  const res = await request(url, { method, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const body = Buffer.from(await res.body.arrayBuffer());
  const header = (name: string) => {
    const v = res.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  return { status: res.statusCode, header, body };
}

function first(scenario: ScenarioId, format?: string): { d: DemoDataset; r: DemoResource; url: string } {
  for (const d of portal.datasets) {
    for (const r of d.resources) {
      if (r.scenario === scenario && (!format || r.format === format)) return { d, r, url: server.urlOf(r, d) };
    }
  }
  throw new Error(`no resource with scenario ${scenario}`);
}

const csvRows = (text: string) => parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
const isUtf8 = (b: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('catalogue server', () => {
  it('serves the bulk export like data.gov.tw: BOM, text/html, the 22 columns, one row per dataset', async () => {
    const res = await get(server.exportUrl);
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toMatch(/^text\/html/);
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(res.body, { bom: true }) as string[][];
    expect(rows[0]).toEqual(EXPORT_HEADER); // its literal spelling: test/catalog/datagovtw-export.test.ts
    expect(rows[0][8]).toBe('資資料集上架方式');
    expect(rows).toHaveLength(563);
    for (const [i, d] of portal.datasets.entries()) {
      const row = rows[i + 1];
      expect(row).toHaveLength(22);
      expect(row[0]).toBe(d.id);
      expect(row[1]).toBe(d.title);
      expect(row[4]).toBe(d.officialBadgeText);
      expect(row[5].split(';')).toEqual(d.resources.map((r) => r.format));
      expect(row[6].split(';')).toEqual(d.resources.map((r) => server.urlOf(r, d)));
      expect(row[10]).toBe(d.resources[0].declaredFields); // one 主要欄位說明 per dataset
      expect(row[12]).toBe(d.frequency);
      expect(row[19]).toBe(d.metadataUpdatedAtText);
      for (const u of row[6].split(';')) expect(new URL(u).hostname).toMatch(/^127\./);
    }
    // descriptions with commas survive CSV quoting
    expect(rows.some((r) => r[9].includes(','))).toBe(true);
  });

  it('puts each agency on its own host', () => {
    expect(new Set(server.hosts).size).toBe(portal.agencies.length);
    for (const h of server.hosts) expect(new URL(h).hostname).toMatch(/^127\./);
    for (const d of portal.datasets.slice(0, 50)) {
      const agency = portal.agencies.find((a) => a.name === d.agency)!;
      expect(server.urlOf(d.resources[0], d).startsWith(server.hosts[agency.hostIndex] + '/')).toBe(true);
    }
  });

  it('serves GET /api/v2/rest/dataset/{id} with both resourceField shapes and resourceOasUrl', async () => {
    const shapes = new Set<string>();
    const oasDataset = portal.datasets.find((d) => d.resources.some((r) => r.oas))!;
    for (const d of [...portal.datasets.slice(0, 12), oasDataset]) {
      const res = await get(`${server.apiBase}/api/v2/rest/dataset/${d.id}`);
      expect(res.status).toBe(200);
      const json = JSON.parse(res.body.toString('utf8'));
      expect(json.success).toBe(true);
      expect(json.result).toMatchObject({ datasetId: d.id, title: d.title });
      expect(json.result.distribution).toHaveLength(d.resources.length);
      for (const [i, dist] of json.result.distribution.entries()) {
        const r = d.resources[i];
        shapes.add(typeof dist.resourceField === 'string' ? 'string' : 'list');
        expect(dist).toMatchObject({ resourceFormat: r.format, resourceCharacterEncoding: r.declaredEncoding, resourceDownloadUrl: server.urlOf(r, d) });
        expect(dist.resourceOasUrl).toBe(r.oas ? server.urlOf({ ...r, path: r.oas.path }, d) : '');
      }
    }
    expect(shapes).toEqual(new Set(['string', 'list']));
    const missing = await get(`${server.apiBase}/api/v2/rest/dataset/999999`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).success).toBe(false);
  });

  it('answers unknown paths with 404 and other methods with 405, on every server', async () => {
    expect((await get(`${server.portalBase}/nope`)).status).toBe(404);
    expect((await get(`${server.exportUrl.replace('format=csv', 'format=xml')}`)).status).toBe(400);
    for (const h of server.hosts) expect((await get(`${h}/OdService/download/none`)).status).toBe(404);
    expect((await get(server.exportUrl, 'POST')).status).toBe(405);
    const { url } = first('ok', 'CSV');
    expect((await get(url + '/hop1')).status).toBe(404);
  });
});

describe('resource scenarios', () => {
  it('ok CSV: 200 text/csv whose header equals the declared fields', async () => {
    const { r, url } = first('ok', 'CSV');
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toMatch(/^text\/csv/);
    expect(res.header('last-modified')).toBe(new Date(r.updatedAt).toUTCString());
    const rows = csvRows(res.body.toString('utf8'));
    expect(rows[0]).toEqual(r.declaredColumns.map((c) => c.name));
    expect(rows.slice(1).filter((x) => x.length > 1)).toHaveLength(r.recordCount);
  });

  it('HEAD answers headers only', async () => {
    const res = await get(first('ok', 'CSV').url, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(0);
  });

  it('not-found: 404', async () => {
    expect((await get(first('not-found').url)).status).toBe(404);
  });

  it('retry-after-503: 503 with Retry-After, then the data', async () => {
    const { url } = first('retry-after-503');
    const a = await get(url);
    expect(a.status).toBe(503);
    expect(a.header('retry-after')).toBe('1');
    expect((await get(url)).status).toBe(200);
  });

  it('redirect-chain: 301 → 302 → 307 → 200 data', async () => {
    const { url } = first('redirect-chain');
    const statuses: number[] = [];
    let next = url;
    for (let hop = 0; hop < 5; hop++) {
      const res = await get(next);
      statuses.push(res.status);
      if (res.status < 300 || res.status >= 400) break;
      next = new URL(res.header('location')!, next).href;
    }
    expect(statuses).toEqual([301, 302, 307, 200]);
  });

  it('html-landing: 200 HTML page with the file behind an icon link', async () => {
    const { url } = first('html-landing');
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toMatch(/^text\/html/);
    const html = res.body.toString('utf8');
    const href = /<a href="([^"]+)"><img[^>]+alt="CSV"/.exec(html)?.[1];
    expect(href).toBeTruthy();
    expect((await get(new URL(href!, url).href)).status).toBe(200);
  });

  it('login-redirect: 302 to a login form', async () => {
    const { url } = first('login-redirect');
    const res = await get(url);
    expect(res.status).toBe(302);
    const login = await get(new URL(res.header('location')!, url).href);
    expect(login.status).toBe(200);
    expect(login.body.toString('utf8')).toContain('type="password"');
  });

  it('no-data-200: status 200 and 查無資料', async () => {
    const res = await get(first('no-data-200').url);
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toMatch(/查無資料/);
  });

  it('big5-declared-utf8: Big5 bytes that are not UTF-8, declared UTF-8', async () => {
    const { r, url } = first('big5-declared-utf8');
    expect(r.declaredEncoding.replace('-', '').toUpperCase()).toBe('UTF8');
    const res = await get(url);
    expect(isUtf8(res.body)).toBe(false);
    const text = iconv.decode(res.body, 'big5');
    expect(csvRows(text)[0]).toEqual(r.columns.map((c) => c.name));
    expect(iconv.encode(text, 'big5').equals(res.body)).toBe(true);
  });

  it('big5-declared-big5: Big5 bytes declared as Big5', async () => {
    const { r, url } = first('big5-declared-big5');
    expect(r.declaredEncoding).toMatch(/^(big-?5|cp950)$/i);
    const res = await get(url);
    expect(isUtf8(res.body)).toBe(false);
    expect(csvRows(iconv.decode(res.body, 'big5'))[0]).toEqual(r.columns.map((c) => c.name));
  });

  it('utf8-bom: starts with the UTF-8 BOM', async () => {
    const res = await get(first('utf8-bom').url);
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('csv-as-html: CSV bytes labelled text/html', async () => {
    const { r, url } = first('csv-as-html');
    const res = await get(url);
    expect(res.header('content-type')).toMatch(/^text\/html/);
    expect(csvRows(res.body.toString('utf8'))[0]).toEqual(r.columns.map((c) => c.name));
  });

  it('gzip: Content-Encoding gzip whatever the request asked, CSV inside', async () => {
    const { r, url } = first('gzip', 'CSV');
    const res = await get(url);
    expect(res.header('content-encoding')).toBe('gzip');
    expect(csvRows(gunzipSync(res.body).toString('utf8'))[0]).toEqual(r.columns.map((c) => c.name));
  });

  it('api-capped-1000: a JSON array of exactly 1,000 records', async () => {
    const res = await get(first('api-capped-1000').url);
    expect(res.header('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(res.body.toString('utf8'))).toHaveLength(1000);
  });

  it('blank-row, subtotal-row, title-row, ragged-rows: the CSV is broken as stated', async () => {
    const blank = csvRows((await get(first('blank-row').url)).body.toString('utf8'));
    expect(blank.some((row, i) => i > 0 && row.every((c) => c === ''))).toBe(true);

    const sub = csvRows((await get(first('subtotal-row').url)).body.toString('utf8'));
    expect(sub[sub.length - 1][0]).toBe('合計');

    const { d, r, url } = first('title-row');
    const titled = csvRows((await get(url)).body.toString('utf8'));
    expect(titled[0][0]).toBe(`${d.title}統計表`);
    expect(titled[1]).toEqual(r.columns.map((c) => c.name));

    const ragged = csvRows((await get(first('ragged-rows').url)).body.toString('utf8'));
    expect(new Set(ragged.map((row) => row.length)).size).toBeGreaterThan(1);
  });

  it('missing-field: a declared field is not in the header', async () => {
    const { r, url } = first('missing-field');
    const header = csvRows((await get(url)).body.toString('utf8'))[0];
    expect(r.declaredFields).toContain('備註');
    expect(header).not.toContain('備註');
  });

  it('unstructured PDF and ODT', async () => {
    const pdf = await get(first('unstructured-pdf').url);
    expect(pdf.header('content-type')).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const odt = await get(first('unstructured-odt').url);
    expect(odt.body.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(odt.body.subarray(30, 38).toString('latin1')).toBe('mimetype');
    expect(odt.body.includes(Buffer.from('application/vnd.oasis.opendocument.text'))).toBe(true);
  });

  it('malformed JSON and XML do not parse; healthy XML does', async () => {
    const json = (await get(first('malformed-json').url)).body.toString('utf8');
    expect(() => JSON.parse(json)).toThrow();
    const xml = (await get(first('malformed-xml').url)).body.toString('utf8');
    expect(XMLValidator.validate(xml)).not.toBe(true);
    const good = (await get(first('ok', 'XML').url)).body.toString('utf8');
    expect(XMLValidator.validate(good)).toBe(true);
    const goodJson = (await get(first('ok', 'JSON').url)).body.toString('utf8');
    expect(Array.isArray(JSON.parse(goodJson))).toBe(true);
  });

  it('stale datasets serve an old Last-Modified', async () => {
    const d = portal.datasets.find((x) => x.truth.stale && x.resources[0].scenario === 'ok')!;
    const res = await get(server.urlOf(d.resources[0], d));
    expect(Date.parse(res.header('last-modified')!)).toBe(Date.parse(d.metadataUpdatedAt));
  });

  it('OpenAPI documents: the valid ones validate, the invalid one does not', async () => {
    // json-schema-ref-parser refuses loopback URLs unless told otherwise
    const options = { resolve: { http: { safeUrlResolver: false } } } as SwaggerParser.Options;
    const docs = portal.datasets.flatMap((d) => d.resources.filter((r) => r.oas).map((r) => ({ d, r })));
    for (const { d, r } of docs) {
      const url = server.urlOf({ ...r, path: r.oas!.path }, d);
      if (r.oas!.valid) await expect(SwaggerParser.validate(url, options), url).resolves.toBeTruthy();
      else await expect(SwaggerParser.validate(url, options), url).rejects.toThrow();
    }
  });

  it('timeout: the socket is held without an answer, then dropped', async () => {
    await expect(get(first('timeout').url)).rejects.toThrow();
  });
});

describe('close()', () => {
  it('ends held sockets at once, so a process can exit', async () => {
    const own = await startDemoServer(portal, { timeoutScenarioHoldMs: 600_000 });
    const d = portal.datasets.find((x) => x.resources.some((r) => r.scenario === 'timeout'))!;
    const r = d.resources.find((x) => x.scenario === 'timeout')!;
    const pending = get(own.urlOf(r, d)).then(() => 'answered', () => 'dropped');
    // let the request reach the server before closing
    for (let i = 0; i < 10 && (await Promise.race([pending, new Promise((res) => setTimeout(() => res('waiting'), 20))])) === 'waiting'; i++) {
      /* bounded wait */
    }
    const guard = new Promise((res) => setTimeout(() => res('still open'), 20_000).unref());
    expect(await Promise.race([own.close().then(() => 'closed'), guard])).toBe('closed');
    expect(await Promise.race([pending, guard])).toBe('dropped');
  });
});
