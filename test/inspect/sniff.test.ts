import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectNotData, sniffFormat } from '../../src/inspect/sniff.ts';
import { corporaDir, readBytes } from './corpora.ts';
import { buildZip } from './zip-builder.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('sniffFormat: magic bytes', () => {
  it('PDF even when labelled CSV', () => {
    const r = sniffFormat(enc('%PDF-1.7\n...'), { contentType: 'text/csv', declaredFormat: 'CSV' });
    expect(r.format).toBe('pdf');
    expect(r.evidence).toMatch(/%PDF/);
  });
  it('XLSX from the ZIP entry names (real file)', () => {
    expect(sniffFormat(readBytes(path.join(corporaDir, 'goodtables-py'), 'multilingual.xlsx')).format).toBe('xlsx');
  });
  it('ODS by its stored mimetype entry', () => {
    const zip = buildZip([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet', true], ['content.xml', '<x/>']]);
    expect(sniffFormat(zip).format).toBe('ods');
  });
  it('DOCX, KMZ and a plain ZIP', () => {
    expect(sniffFormat(buildZip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w/>']])).format).toBe('docx');
    expect(sniffFormat(buildZip([['doc.kml', '<kml/>'], ['files/icon.png', 'x']])).format).toBe('kmz');
    expect(sniffFormat(buildZip([['a.csv', 'a,b\n1,2\n'], ['b.csv', 'a,b\n']])).format).toBe('zip');
  });
  it('OLE2 compound files: XLS by hint when the stream names are not in the sample', () => {
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(sniffFormat(ole, { url: 'https://x.gov.tw/a.xls' }).format).toBe('xls');
    expect(sniffFormat(ole, { declaredFormat: 'DOC' }).format).toBe('doc');
  });
  it('images', () => {
    expect(sniffFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])).format).toBe('image');
    expect(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])).format).toBe('image');
  });
  it('empty and whitespace-only bodies', () => {
    expect(sniffFormat(new Uint8Array()).format).toBe('empty');
    expect(sniffFormat(enc(' \r\n ')).format).toBe('empty');
  });
});

describe('sniffFormat: content', () => {
  it('HTML wins over a CSV Content-Type', () => {
    const r = sniffFormat(enc('\n<!DOCTYPE html><html><body>x</body></html>'), { contentType: 'text/csv' });
    expect(r.format).toBe('html');
    expect(r.evidence).toMatch(/Content-Type text\/csv/);
  });
  it('a CSV served as text/html (the data.gov.tw export) is CSV', () => {
    expect(sniffFormat(enc('\ufeff資料集識別碼,資料集名稱\n1,a\n2,b\n'), { contentType: 'text/html' }).format).toBe('csv');
  });
  it('XML flavours by root element', () => {
    expect(sniffFormat(enc('<?xml version="1.0"?>\n<!-- c --><kml xmlns="http://www.opengis.net/kml/2.2"/>')).format).toBe('kml');
    expect(sniffFormat(enc('<rss version="2.0"><channel/></rss>')).format).toBe('rss');
    expect(sniffFormat(enc('<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" xmlns:gml="http://www.opengis.net/gml"/>')).format).toBe('gml');
    expect(sniffFormat(enc('<?xml version="1.0" encoding="Big5"?><Root><Row/></Root>')).format).toBe('xml');
  });
  it('JSON, GeoJSON and JSON Lines', () => {
    expect(sniffFormat(enc(' [{"a":1}]')).format).toBe('json');
    expect(sniffFormat(enc('{"type":"FeatureCollection","features":[]}')).format).toBe('geojson');
    expect(sniffFormat(enc('{"a":1}\n{"a":2}\n')).format).toBe('jsonl');
  });
  it('CSV, semicolon CSV and TSV by delimiter', () => {
    expect(sniffFormat(enc('a,b,c\n1,2,3\n4,5,6\n')).format).toBe('csv');
    const semi = sniffFormat(enc('a;b;c\n"1,5";2;3\n4;5;6\n'));
    expect(semi.format).toBe('csv');
    expect(semi.evidence).toMatch(/";"/);
    expect(sniffFormat(enc('a\tb\n1\t2\n')).format).toBe('tsv');
  });
  it('a one-column file is CSV only when labelled so; otherwise text', () => {
    expect(sniffFormat(enc('name\nA\nB\n'), { declaredFormat: 'CSV' }).format).toBe('csv');
    expect(sniffFormat(enc('just some words\non lines\n')).format).toBe('text');
  });
});

describe('detectNotData', () => {
  it('查無資料 and friends in a short body', () => {
    for (const s of ['查無資料', '  無資料\n', '查無相關資料。', 'No data found']) {
      expect(detectNotData(s, 'text')?.kind, s).toBe('no-data-text');
    }
  });
  it('a table with data rows is data even if a cell says 無資料', () => {
    expect(detectNotData('名稱,備註\n甲,無資料\n乙,有\n', 'csv')).toBeUndefined();
  });
  it('HTML error pages and login pages', () => {
    expect(detectNotData('<html><head><title>404 Not Found</title></head></html>', 'html')).toEqual({ kind: 'html-page', excerpt: '404 Not Found' });
    expect(detectNotData('<html><title>錯誤</title><body>系統錯誤</body></html>', 'html')?.excerpt).toBe('錯誤');
    expect(detectNotData('<html><body><form><input type="password"></form></body></html>', 'html')?.kind).toBe('login-page');
    expect(detectNotData('<html><body><form action="/signin">帳號</form></body></html>', 'html')?.kind).toBe('login-page');
  });
  it('JSON error envelopes but not JSON data', () => {
    expect(detectNotData('{"error":"invalid token"}', 'json')).toEqual({ kind: 'json-error', excerpt: 'error: invalid token' });
    expect(detectNotData('{"success":false,"message":"查無資料"}', 'json')?.kind).toBe('json-error');
    expect(detectNotData('{"success":true,"result":{"records":[{"a":1}]}}', 'json')).toBeUndefined();
    expect(detectNotData('[{"error":"x"}]', 'json')).toBeUndefined();
  });
  it('an empty body', () => {
    expect(detectNotData('\ufeff \n', 'empty')).toEqual({ kind: 'empty', excerpt: '' });
  });
});

describe('sniffing hostile input stays linear', () => {
  it('thousands of comments before the root, unterminated titles', () => {
    const comments = '<!---->'.repeat(5000);
    expect(sniffFormat(enc(`${comments}<!DOCTYPE html><html></html>`)).format).toBe('html');
    expect(sniffFormat(enc(`${comments}x`)).format).not.toBe('html');
    expect(sniffFormat(enc(`<?xml version="1.0"?>${comments}<kml/>`)).format).toBe('kml');
    expect(detectNotData('<html>' + '<title'.repeat(30_000), 'html')?.kind).toBe('html-page');
  });
});
