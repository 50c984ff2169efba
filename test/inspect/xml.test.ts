import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectXml } from '../../src/inspect/tree/xml.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/inspect/xml');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

describe('inspectXml: records and flavours', () => {
  it('reads records carried in attributes (fields without "@", xmlns/xsi excluded)', () => {
    const f = inspectXml(fixture('attributes.xml'));
    expect(f).toMatchObject({ ok: true, flavour: 'xml', root: 'Shelters', recordElement: 'Shelter', recordPath: 'Shelters/Shelter', recordCount: 3 });
    expect(f.fields).toEqual(['id', 'name', 'capacity', 'phone']);
    expect(f.declaredEncoding).toBe('UTF-8');
  });

  it('finds the record element at depth 3 in a Big5 file and reads the declared encoding', () => {
    const text = new TextDecoder('big5').decode(readFileSync(path.join(fixtures, 'depth3-big5.xml')));
    const f = inspectXml(text);
    expect(f).toMatchObject({ ok: true, root: 'DataSet', recordElement: 'Row', recordPath: 'DataSet/Data/Row', recordCount: 3 });
    expect(f.fields).toEqual(['縣市', '人口', '年度', '備註']);
    expect(f.declaredEncoding).toBe('Big5');
  });

  it('KML: Placemarks in every Folder are the records; ExtendedData names are fields', () => {
    const f = inspectXml(fixture('placemarks.kml'));
    expect(f).toMatchObject({ ok: true, flavour: 'kml', root: 'kml', recordElement: 'Placemark', recordCount: 3 });
    expect(f.recordPath).toBe('kml/Document/Folder/Placemark');
    expect(f.fields).toEqual(['name', '地址', '容納人數', '電話', '類型', 'Point']);
  });

  it('GML 2: featureMember records with the features\' properties as fields', () => {
    const f = inspectXml(fixture('roads.gml'));
    expect(f).toMatchObject({
      ok: true, flavour: 'gml', root: 'ogr:FeatureCollection', recordElement: 'gml:featureMember',
      recordPath: 'ogr:FeatureCollection/gml:featureMember', recordCount: 2,
    });
    expect(f.fields).toEqual(['geometryProperty', 'ROADNAME', 'LENGTH_M', 'LANES']);
  });

  it('GML 3.2 / WFS 2.0: wfs:member records', () => {
    const f = inspectXml(fixture('wfs2-members.gml'));
    expect(f).toMatchObject({ ok: true, flavour: 'gml', recordElement: 'wfs:member', recordCount: 3 });
    expect(f.fields).toEqual(['name', 'code', 'area']);
  });

  it('GML 3 featureMembers: its children are the records', () => {
    const f = inspectXml(
      '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"><gml:featureMembers>' +
        '<x:Pt><x:a>1</x:a></x:Pt><x:Pt><x:a>2</x:a><x:b>3</x:b></x:Pt></gml:featureMembers></gml:FeatureCollection>',
    );
    expect(f).toMatchObject({ flavour: 'gml', recordElement: 'x:Pt', recordCount: 2, fields: ['a', 'b'] });
  });

  it('RSS: items', () => {
    const f = inspectXml(fixture('news.rss'));
    expect(f).toMatchObject({ ok: true, flavour: 'rss', recordElement: 'item', recordPath: 'rss/channel/item', recordCount: 3 });
    expect(f.fields).toEqual(['title', 'link', 'pubDate', 'category']);
  });

  it('Atom: entries', () => {
    const f = inspectXml(fixture('updates.atom'));
    expect(f).toMatchObject({ ok: true, flavour: 'atom', recordElement: 'entry', recordPath: 'feed/entry', recordCount: 2 });
    expect(f.fields).toEqual(['title', 'id', 'updated', 'summary']);
  });

  it('prefers record-like elements to repeated name/value cells and text lists', () => {
    const f = inspectXml(
      '<Export><Tags><Tag>a</Tag><Tag>b</Tag><Tag>c</Tag><Tag>d</Tag></Tags>' +
        '<Records><Record><F name="x">1</F><F name="y">2</F><F name="z">3</F></Record>' +
        '<Record><F name="x">4</F><F name="y">5</F><F name="z">6</F></Record></Records></Export>',
    );
    expect(f).toMatchObject({ recordElement: 'Record', recordPath: 'Export/Records/Record', recordCount: 2, fields: ['F'] });
  });

  it('a lone element has no records but is well-formed', () => {
    const f = inspectXml('<status>查無資料</status>');
    expect(f).toMatchObject({ ok: true, root: 'status', fields: [] });
    expect(f.recordElement).toBeUndefined();
  });
});

describe('inspectXml: malformed and hostile input', () => {
  it('reports the line of an unclosed tag', () => {
    const f = inspectXml(fixture('malformed-unclosed.xml'));
    expect(f.ok).toBe(false);
    expect(f.error?.line).toBe(4);
    expect(f.error?.message).toMatch(/Name/);
    expect(f.declaredEncoding).toBe('UTF-8');
  });

  it('places elements left open at the end of a truncated document', () => {
    const f = inspectXml('<Root>\n  <Row><A>1</A></Row>\n  <Row><A>2');
    expect(f.ok).toBe(false);
    expect(f.error).toMatchObject({ line: 3, column: 8 });
    expect(f.error?.message).toMatch(/unclosed elements \(<Root>, <Row>, <A>\)/);
  });

  it('rejects a second root element, even after a self-closing one', () => {
    const f = inspectXml('<a/>\n<b/>');
    expect(f).toMatchObject({ ok: false, error: { line: 2, column: 1 } });
    expect(f.error?.message).toMatch(/second root/);
  });

  it('rejects empty bodies and non-XML text', () => {
    expect(inspectXml('')).toMatchObject({ ok: false, error: { line: 1 } });
    expect(inspectXml('查無資料').ok).toBe(false);
    expect(inspectXml('{"a":1}').ok).toBe(false);
  });

  it('does not expand entities: billion laughs is inspected safely', () => {
    const f = inspectXml(fixture('billion-laughs.xml'));
    expect(f.ok).toBe(true);
    expect(f).toMatchObject({ root: 'lolz', recordElement: 'lol', recordCount: 2 });
  });

  it('survives 100,000 levels of nesting', () => {
    const deep = inspectXml('<a>'.repeat(100_000) + '</a>'.repeat(100_000));
    expect(deep).toMatchObject({ ok: true, root: 'a' });
    const open = inspectXml('<a>'.repeat(100_000));
    expect(open.ok).toBe(false);
  });

  it('reads declared encodings written with single quotes or lower case', () => {
    expect(inspectXml("<?xml version='1.0' encoding='cp950'?><a/>").declaredEncoding).toBe('cp950');
    expect(inspectXml('\uFEFF<?xml version="1.0" encoding="utf-8"?><a/>').declaredEncoding).toBe('utf-8');
    expect(inspectXml('<a/>').declaredEncoding).toBeUndefined();
  });
});
