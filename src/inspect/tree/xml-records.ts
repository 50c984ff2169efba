// Finds the repeating record element in an XML document parsed by fast-xml-parser with `preserveOrder: true`
// (each node is `{ name: children[], ':@': { '@_attr': value } }`, text is `{ '#text': … }`).
//
// Generic XML: the element path whose instances repeat most as siblings under one parent, ranking first
// elements that look like records (they have child elements, or only attributes) above text-only cells and
// `<field name="x">value</field>` pairs, then by sibling count, then deeper paths.
// Known flavours name their record element: KML Placemark, RSS item, Atom entry, GML featureMember/member
// (or the children of featureMembers).
// Field names are local names (namespace prefix dropped) of the record's child elements and attributes, with
// attributes written plainly, without '@' — they are compared with the declared 主要欄位說明, which never marks
// attributes. xmlns declarations and xsi: attributes are not fields.

export type XmlNode = Record<string, unknown>;
export type Flavour = 'xml' | 'kml' | 'gml' | 'rss' | 'atom';

export const ATTR_PREFIX = '@_';
const MAX_ELEMENTS = 2_000_000;
const MAX_RECORDS_FOR_FIELDS = 10_000;
const MAX_FIELDS = 2_000;

export interface XmlRecords {
  recordElement: string;
  recordPath: string;
  recordCount: number;
  fields: string[];
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The element name of a node, or undefined for text, comments and processing instructions. */
export function elementName(node: XmlNode): string | undefined {
  for (const k of Object.keys(node)) {
    if (k === ':@' || k.startsWith('#') || k.startsWith('?')) continue;
    return k;
  }
  return undefined;
}

export function childrenOf(node: XmlNode, name: string): XmlNode[] {
  const c = node[name];
  return Array.isArray(c) ? (c as XmlNode[]) : [];
}

/** Attribute names as written (`xmlns:gml`, `id`), without the parser's prefix. */
export function attributeNames(node: XmlNode): string[] {
  const a = node[':@'];
  if (typeof a !== 'object' || a === null) return [];
  return Object.keys(a).map((k) => (k.startsWith(ATTR_PREFIX) ? k.slice(ATTR_PREFIX.length) : k));
}

export function attributeValue(node: XmlNode, attr: string): string | undefined {
  const a = node[':@'] as Record<string, unknown> | undefined;
  const v = a?.[ATTR_PREFIX + attr];
  return typeof v === 'string' ? v : v === undefined ? undefined : String(v);
}

function isFieldAttribute(name: string): boolean {
  return !(name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:'));
}

function hasText(children: XmlNode[]): boolean {
  for (const c of children) {
    const t = c['#text'];
    if (t !== undefined && String(t).trim() !== '') return true;
  }
  return false;
}

interface Visit {
  node: XmlNode;
  name: string;
  path: string[];
}

/** Every element under (and including) `root`, depth-first in document order, without recursion. */
function* walk(root: XmlNode): Generator<Visit> {
  const rootName = elementName(root);
  if (rootName === undefined) return;
  const stack: Visit[] = [{ node: root, name: rootName, path: [rootName] }];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_ELEMENTS) {
    const v = stack.pop()!;
    visited++;
    yield v;
    const kids = childrenOf(v.node, v.name);
    for (let i = kids.length - 1; i >= 0; i--) {
      const n = elementName(kids[i]);
      if (n !== undefined) stack.push({ node: kids[i], name: n, path: [...v.path, n] });
    }
  }
}

interface PathStat {
  path: string[];
  total: number;
  maxSiblings: number;
  rank: number;
  order: number;
}

/** 3: has child elements, or attributes only (a record); 2: attributes and text (a name/value cell); 1: text. */
function recordRank(node: XmlNode, name: string): number {
  const kids = childrenOf(node, name);
  if (kids.some((k) => elementName(k) !== undefined)) return 3;
  const attrs = attributeNames(node).filter(isFieldAttribute).length > 0;
  if (attrs) return hasText(kids) ? 2 : 3;
  return 1;
}

function pickGeneric(root: XmlNode): { path: string[]; total: number } | undefined {
  const stats = new Map<string, PathStat>();
  let order = 0;
  for (const v of walk(root)) {
    const key = v.path.join('/');
    let s = stats.get(key);
    if (!s) {
      s = { path: v.path, total: 0, maxSiblings: 0, rank: 0, order: order++ };
      stats.set(key, s);
    }
    s.total++;
    s.rank = Math.max(s.rank, recordRank(v.node, v.name));
    // Count this element's children by name: sibling repetition is the record signal.
    const counts = new Map<string, number>();
    for (const k of childrenOf(v.node, v.name)) {
      const n = elementName(k);
      if (n !== undefined) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const [n, c] of counts) {
      if (c < 2) continue;
      const childKey = `${key}/${n}`;
      let cs = stats.get(childKey);
      if (!cs) {
        cs = { path: [...v.path, n], total: 0, maxSiblings: 0, rank: 0, order: order++ };
        stats.set(childKey, cs);
      }
      cs.maxSiblings = Math.max(cs.maxSiblings, c);
    }
  }
  let best: PathStat | undefined;
  for (const s of stats.values()) {
    if (s.maxSiblings < 2) continue;
    if (
      !best ||
      s.rank > best.rank ||
      (s.rank === best.rank && (s.maxSiblings > best.maxSiblings ||
        (s.maxSiblings === best.maxSiblings && (s.path.length > best.path.length ||
          (s.path.length === best.path.length && s.order < best.order)))))
    ) best = s;
  }
  return best ? { path: best.path, total: best.total } : undefined;
}

/** Elements with one of `locals` as local name, anywhere; the path where most of them sit. */
function pickByName(root: XmlNode, locals: string[]): { path: string[]; total: number } | undefined {
  const byPath = new Map<string, { path: string[]; count: number }>();
  let total = 0;
  for (const v of walk(root)) {
    if (!locals.includes(localName(v.name))) continue;
    total++;
    const key = v.path.join('/');
    const e = byPath.get(key);
    if (e) e.count++;
    else byPath.set(key, { path: v.path, count: 1 });
  }
  let best: { path: string[]; count: number } | undefined;
  for (const e of byPath.values()) if (!best || e.count > best.count) best = e;
  return best ? { path: best.path, total } : undefined;
}

/** GML 3 `featureMembers` holds the features directly: they are the records. */
function pickGmlFeatureMembers(root: XmlNode): { path: string[]; total: number } | undefined {
  for (const v of walk(root)) {
    if (localName(v.name) !== 'featureMembers') continue;
    const byName = new Map<string, number>();
    for (const k of childrenOf(v.node, v.name)) {
      const n = elementName(k);
      if (n !== undefined) byName.set(n, (byName.get(n) ?? 0) + 1);
    }
    let name: string | undefined;
    let total = 0;
    for (const [n, c] of byName) {
      total += c;
      if (!name || c > (byName.get(name) ?? 0)) name = n;
    }
    if (name) return { path: [...v.path, name], total };
  }
  return undefined;
}

function addNames(into: Set<string>, names: Iterable<string>): void {
  for (const n of names) if (into.size < MAX_FIELDS) into.add(n);
}

/** Child element and attribute names of one record. KML's ExtendedData contributes its Data/SimpleData names. */
function recordFields(node: XmlNode, name: string, flavour: Flavour, into: Set<string>): void {
  let target = node;
  let targetName = name;
  // A GML featureMember wraps exactly one feature: the fields are the feature's.
  if (flavour === 'gml' && (localName(name) === 'featureMember' || localName(name) === 'member')) {
    const inner = childrenOf(node, name).find((k) => elementName(k) !== undefined);
    if (!inner) return;
    target = inner;
    targetName = elementName(inner)!;
  }
  // gml:id / fid identify the feature object; they are not attributes of the data.
  const attrs = attributeNames(target).filter(isFieldAttribute);
  const dataAttrs = flavour === 'gml' ? attrs.filter((a) => a !== 'fid' && !a.startsWith('gml:')) : attrs;
  addNames(into, dataAttrs.map(localName));
  for (const k of childrenOf(target, targetName)) {
    const n = elementName(k);
    if (n === undefined) continue;
    if (flavour === 'kml' && localName(n) === 'ExtendedData') {
      addNames(into, kmlDataNames(k, n));
      continue;
    }
    addNames(into, [localName(n)]);
  }
}

/** `<Data name="x">` and `<SchemaData><SimpleData name="x">` under one ExtendedData. */
function kmlDataNames(extended: XmlNode, name: string): string[] {
  const out: string[] = [];
  for (const k of childrenOf(extended, name)) {
    const n = elementName(k);
    if (n === undefined) continue;
    if (localName(n) === 'Data') {
      const v = attributeValue(k, 'name');
      if (v) out.push(v);
    } else if (localName(n) === 'SchemaData') {
      for (const s of childrenOf(k, n)) {
        const sn = elementName(s);
        const v = sn !== undefined && localName(sn) === 'SimpleData' ? attributeValue(s, 'name') : undefined;
        if (v) out.push(v);
      }
    }
  }
  return out;
}

export function findXmlRecords(root: XmlNode, flavour: Flavour): XmlRecords | undefined {
  let picked: { path: string[]; total: number } | undefined;
  let matchAnyPath: string[] | undefined; // flavour records are counted wherever they sit
  if (flavour === 'kml') matchAnyPath = ['Placemark'];
  else if (flavour === 'rss') matchAnyPath = ['item'];
  else if (flavour === 'atom') matchAnyPath = ['entry'];
  else if (flavour === 'gml') {
    picked = pickGmlFeatureMembers(root);
    if (!picked) matchAnyPath = ['featureMember', 'member'];
  }
  if (matchAnyPath) picked = pickByName(root, matchAnyPath);
  if (!picked) {
    matchAnyPath = undefined;
    picked = pickGeneric(root);
  }
  if (!picked) return undefined;

  const recordElement = picked.path[picked.path.length - 1];
  const key = picked.path.join('/');
  const fields = new Set<string>();
  let seen = 0;
  for (const v of walk(root)) {
    if (seen >= MAX_RECORDS_FOR_FIELDS || fields.size >= MAX_FIELDS) break;
    const match = matchAnyPath ? matchAnyPath.includes(localName(v.name)) : v.path.join('/') === key;
    if (!match) continue;
    seen++;
    recordFields(v.node, v.name, flavour, fields);
  }
  return { recordElement, recordPath: key, recordCount: picked.total, fields: [...fields] };
}
