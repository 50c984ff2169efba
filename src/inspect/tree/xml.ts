// XML inspector: well-formedness (fast-xml-parser's validator, with positions repaired where it has none),
// the flavour (KML, GML, RSS, Atom), the repeating record element and its fields, and the declared encoding.
//
// Safety: entities are never expanded (`processEntities: false`), so a "billion laughs" DOCTYPE costs nothing;
// a well-formed document beyond the limits (nesting maxXmlDepth, attributes maxXmlAttributes, a text node or attribute
// value maxXmlTextChars: measured by the linear outline scan) is reported as a limit hit and never turned into a tree;
// the tree is built only for texts up to maxXmlTreeChars; every walk over it is iterative. Positions are 1-based line/column in the text after a leading BOM; messages do not repeat
// the error's own position (callers print it from the fields).
// Field naming: see xml-records.ts (local names; attributes written without '@').

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LimitHit } from '../../model.ts';
import { DEFAULT_INSPECT_LIMITS, limitHit } from '../limits.ts';
import { lineColumnAt } from './json-position.ts';
import { scanXmlOutline } from './xml-outline.ts';
import { ATTR_PREFIX, attributeNames, attributeValue, childrenOf, elementName, findXmlRecords, localName } from './xml-records.ts';
import type { Flavour, XmlNode } from './xml-records.ts';

export interface XmlFacts {
  ok: boolean;
  error?: { message: string; line?: number; column?: number };
  /** Root element name as written, e.g. `kml`, `wfs:FeatureCollection`. */
  root?: string;
  flavour: 'xml' | 'kml' | 'gml' | 'rss' | 'atom';
  /** Qualified name of the repeating record element, e.g. `Row`, `Placemark`, `gml:featureMember`. */
  recordElement?: string;
  /** Element path from the root, e.g. `Root/Data/Row`. */
  recordPath?: string;
  recordCount?: number;
  /** Local names of the records' child elements and attributes (attributes without '@'). */
  fields: string[];
  /** As written in `<?xml … encoding="…"?>`, e.g. `Big5`. */
  declaredEncoding?: string;
  /** A well-formed document beyond an inspection limit: `ok` stays true (it is well-formed), the resource fails. */
  limit?: LimitHit;
  /** Something skipped within budget (the record search of a very large document). */
  note?: string;
}

export interface XmlLimits {
  maxDepth: number;
  maxAttributes: number;
  maxTextChars: number;
  maxTreeChars: number;
}

const DEFAULT_XML_LIMITS: XmlLimits = {
  maxDepth: DEFAULT_INSPECT_LIMITS.maxXmlDepth,
  maxAttributes: DEFAULT_INSPECT_LIMITS.maxXmlAttributes,
  maxTextChars: DEFAULT_INSPECT_LIMITS.maxXmlTextChars,
  maxTreeChars: DEFAULT_INSPECT_LIMITS.maxXmlTreeChars,
};


const XML_NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-:\u00B7\u00C0-\uFFFF]*$/u;
const DECLARATION = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"'<>]*)\1/;

export function declaredXmlEncoding(text: string): string | undefined {
  const m = DECLARATION.exec(text.slice(0, 1024));
  const v = m?.[2].trim();
  return v ? v : undefined;
}

export function inspectXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlFacts {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const declaredEncoding = declaredXmlEncoding(body);
  const base: XmlFacts = { ok: false, flavour: 'xml', fields: [], ...(declaredEncoding ? { declaredEncoding } : {}) };
  try {
    return inspect(body, base, limits);
  } catch (e) {
    // Last line of defence: a hostile body must become a finding, never a crash of the audit.
    return { ...base, ok: false, error: { message: `XML could not be inspected: ${(e as Error)?.message ?? String(e)}` } };
  }
}

function where(body: string, offset: number): { line: number; column: number; text: string } {
  const p = lineColumnAt(body, offset);
  return { ...p, text: `line ${p.line}, column ${p.column}` };
}

function inspect(body: string, base: XmlFacts, limits: XmlLimits): XmlFacts {
  if (body.trim() === '') {
    return { ...base, error: { message: 'Empty body: no XML element', line: 1, column: 1 } };
  }
  const verdict = XMLValidator.validate(body, { allowBooleanAttributes: false });
  const outline = scanXmlOutline(body);
  const first = outline.roots[0]?.name;
  // The outline scan takes whatever follows '<'; only a plausible XML name is worth reporting as the root.
  const root = first !== undefined && first.length <= 200 && XML_NAME.test(first) ? first : undefined;
  if (verdict !== true) {
    const err = verdict.err;
    // Several elements left open at the end: the validator names them but places the error at 1:1.
    if (err.code === 'InvalidXml' && outline.open.length > 1 && outline.roots.length === 1) {
      const inner = outline.open[outline.open.length - 1];
      const w = where(body, inner.offset);
      const names = outline.open.map((t) => `<${t.name}>`).join(', ');
      return {
        ...base,
        ...(root ? { root } : {}),
        error: {
          message: `Not well-formed XML: the document ends with ${outline.open.length} unclosed elements (${names}); the innermost <${inner.name}> is never closed (truncated file?)`,
          line: w.line,
          column: w.column,
        },
      };
    }
    const line = typeof err.line === 'number' ? err.line : undefined;
    const column = typeof err.col === 'number' ? err.col : undefined;
    return {
      ...base,
      ...(root ? { root } : {}),
      error: { message: `Not well-formed XML: ${err.msg}`, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) },
    };
  }
  if (outline.roots.length > 1) {
    const second = outline.roots[1];
    const w = where(body, second.offset);
    return {
      ...base,
      ...(root ? { root } : {}),
      error: {
        message: `Not well-formed XML: a second root element <${second.name}> follows <${outline.roots[0].name}>; a document has exactly one root`,
        line: w.line,
        column: w.column,
      },
    };
  }

  const facts: XmlFacts = { ...base, ok: true, ...(root ? { root } : {}) };
  const limit = xmlLimit(body, outline, limits);
  if (limit) {
    facts.flavour = flavourFromName(root);
    facts.limit = limit;
    return facts;
  }
  if (body.length > limits.maxTreeChars) {
    facts.flavour = flavourFromName(root);
    facts.note = `the XML has ${body.length} characters, above the ${limits.maxTreeChars} (maxXmlTreeChars) searched for records: records and fields not reported`;
    return facts;
  }
  let rootNode: XmlNode | undefined;
  try {
    rootNode = parseRoot(body, limits.maxDepth);
  } catch {
    // Well-formed but beyond our nesting limit (or otherwise unparseable as a tree): no record search.
    facts.flavour = flavourFromName(root);
    return facts;
  }
  if (!rootNode) return facts;
  const rootName = elementName(rootNode)!;
  facts.root = rootName;
  facts.flavour = flavourOf(rootNode, rootName);
  const records = findXmlRecords(rootNode, facts.flavour);
  if (records) {
    facts.recordElement = records.recordElement;
    facts.recordPath = records.recordPath;
    facts.recordCount = records.recordCount;
    facts.fields = records.fields;
  }
  return facts;
}

function parseRoot(body: string, maxDepth: number): XmlNode | undefined {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: ATTR_PREFIX,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth + 1, // deeper documents never get here (xmlLimit)
  });
  const top = parser.parse(body) as unknown;
  if (!Array.isArray(top)) return undefined;
  return (top as XmlNode[]).find((n) => elementName(n) !== undefined);
}

function flavourFromName(root: string | undefined): Flavour {
  const l = root ? localName(root) : '';
  if (l === 'kml') return 'kml';
  if (l === 'rss') return 'rss';
  if (l === 'feed') return 'atom';
  if (l === 'FeatureCollection') return 'gml';
  return 'xml';
}

function namespaces(node: XmlNode): string[] {
  return attributeNames(node)
    .filter((a) => a === 'xmlns' || a.startsWith('xmlns:'))
    .map((a) => attributeValue(node, a) ?? '');
}

function flavourOf(root: XmlNode, rootName: string): Flavour {
  const l = localName(rootName);
  const ns = namespaces(root);
  const hasNs = (part: string): boolean => ns.some((u) => u.includes(part));
  if (l === 'kml' || hasNs('opengis.net/kml')) return 'kml';
  if (l === 'rss') return 'rss';
  if (l === 'RDF' && (hasNs('purl.org/rss') || childrenOf(root, rootName).some((c) => elementName(c) === 'item'))) return 'rss';
  if (l === 'feed' && (ns.length === 0 || hasNs('w3.org/2005/Atom'))) return 'atom';
  if (l === 'FeatureCollection' || (hasNs('opengis.net/gml') && hasGmlMembers(root, rootName))) return 'gml';
  return 'xml';
}

function hasGmlMembers(root: XmlNode, rootName: string): boolean {
  return childrenOf(root, rootName).some((c) => {
    const n = elementName(c);
    return n !== undefined && ['featureMember', 'featureMembers', 'member'].includes(localName(n));
  });
}

/** The first inspection limit a well-formed document goes past, from the outline scan's measurements. */
function xmlLimit(body: string, outline: ReturnType<typeof scanXmlOutline>, limits: XmlLimits): LimitHit | undefined {
  const at = (offset: number) => where(body, offset).text;
  if (outline.maxDepth.depth > limits.maxDepth) {
    const w = at(outline.maxDepth.offset);
    return limitHit('maxXmlDepth', limits.maxDepth, `elements nest ${outline.maxDepth.depth} levels deep (the deepest at ${w})`, { observed: outline.maxDepth.depth, where: w });
  }
  if (outline.maxAttributes.count > limits.maxAttributes) {
    const w = at(outline.maxAttributes.offset);
    return limitHit('maxXmlAttributes', limits.maxAttributes, `an element at ${w} has ${outline.maxAttributes.count} attributes`, { observed: outline.maxAttributes.count, where: w });
  }
  if (outline.maxText.length > limits.maxTextChars) {
    const w = at(outline.maxText.offset);
    return limitHit('maxXmlTextChars', limits.maxTextChars, `a text or attribute value at ${w} has ${outline.maxText.length} characters`, { observed: outline.maxText.length, where: w });
  }
  return undefined;
}
