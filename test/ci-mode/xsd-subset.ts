// A minimal XML Schema validator: the subset schemas/junit.xsd uses (no XSD validator is installed). Elements with
// named or inline complex types, sequence/choice with minOccurs/maxOccurs, complexContent and simpleContent
// extensions, required and undeclared attributes, and the simple types xs:int, xs:decimal, xs:token, xs:string,
// xs:dateTime with pattern/minLength restrictions. Returns every violation with its element path.
import { XMLParser } from 'fast-xml-parser';

type PNode = Record<string, unknown> & { ':@'?: Record<string, string> };
const parser = () => new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false });

const tag = (n: PNode) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: PNode) => (n[tag(n)] as PNode[]) ?? [];
const attrs = (n: PNode) => n[':@'] ?? {};
const elems = (n: PNode) => kids(n).filter((k) => !tag(k).startsWith('#') && !tag(k).startsWith('?'));
const child = (n: PNode, name: string) => elems(n).find((k) => tag(k) === name);
const local = (q: string) => q.replace(/^xs:/, '');

export function validateAgainstXsd(xml: string, xsd: string): string[] {
  const schema = parser().parse(xsd) as PNode[];
  const root = schema.find((n) => tag(n) === 'xs:schema')!;
  const named = (kind: string) => new Map(elems(root).filter((e) => tag(e) === kind).map((e) => [attrs(e).name, e]));
  const elements = named('xs:element');
  const complexTypes = named('xs:complexType');
  const simpleTypes = named('xs:simpleType');
  const errors: string[] = [];

  function checkSimple(value: string, type: string | PNode, where: string) {
    if (typeof type === 'string') {
      const st = simpleTypes.get(type);
      if (st) return checkSimple(value, st, where);
      const t = local(type);
      const ok = {
        int: () => /^[+-]?\d+$/.test(value) && Math.abs(Number(value)) <= 2 ** 31,
        decimal: () => /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value),
        token: () => !/[\t\n\r]|^ | $| {2}/.test(value),
        string: () => true,
        dateTime: () => /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value),
      }[t];
      if (!ok) errors.push(`${where}: unsupported type ${type}`);
      else if (!ok()) errors.push(`${where}: "${value}" is not a valid xs:${t}`);
      return;
    }
    const r = child(type, 'xs:restriction');
    if (!r) return;
    checkSimple(value, attrs(r).base, where);
    for (const f of elems(r)) {
      const v = attrs(f).value;
      if (tag(f) === 'xs:pattern' && !new RegExp(`^(?:${v})$`).test(value)) errors.push(`${where}: "${value}" does not match pattern ${v}`);
      if (tag(f) === 'xs:minLength' && value.length < Number(v)) errors.push(`${where}: "${value}" is shorter than ${v}`);
    }
  }

  interface Shape { attributes: PNode[]; particle?: PNode; text?: string | PNode }
  function shapeOf(ct: PNode): Shape {
    const shape: Shape = { attributes: elems(ct).filter((e) => tag(e) === 'xs:attribute') };
    for (const e of elems(ct)) {
      if (tag(e) === 'xs:sequence' || tag(e) === 'xs:choice') shape.particle = e;
      if (tag(e) === 'xs:complexContent' || tag(e) === 'xs:simpleContent') {
        const ext = child(e, 'xs:extension')!;
        const base = attrs(ext).base;
        const own = elems(ext).filter((x) => tag(x) === 'xs:attribute');
        if (tag(e) === 'xs:complexContent') {
          const b = shapeOf(complexTypes.get(base)!);
          shape.attributes.push(...b.attributes, ...own);
          shape.particle = b.particle;
        } else {
          shape.attributes.push(...own);
          shape.text = base;
        }
      }
    }
    return shape;
  }

  function checkElement(inst: PNode, decl: PNode, path: string) {
    const typeName = attrs(decl).type;
    const inlineCt = child(decl, 'xs:complexType');
    const inlineSt = child(decl, 'xs:simpleType');
    const ct = inlineCt ?? (typeName ? complexTypes.get(typeName) : undefined);
    const text = kids(inst).filter((k) => tag(k) === '#text').map((k) => String(k['#text'])).join('');
    if (!ct) {
      if (elems(inst).length) errors.push(`${path}: simple content may not have child elements`);
      checkSimple(text, inlineSt ?? typeName ?? 'xs:string', path);
      return;
    }
    const shape = shapeOf(ct);
    const given = attrs(inst);
    for (const a of shape.attributes) {
      const { name, use, type } = attrs(a);
      if (!(name in given)) {
        if (use === 'required') errors.push(`${path}: missing required attribute ${name}`);
        continue;
      }
      checkSimple(given[name], child(a, 'xs:simpleType') ?? type ?? 'xs:string', `${path}/@${name}`);
    }
    for (const name of Object.keys(given)) if (!name.startsWith('xmlns') && !shape.attributes.some((a) => attrs(a).name === name)) errors.push(`${path}: undeclared attribute ${name}`);
    if (shape.text !== undefined) {
      if (elems(inst).length) errors.push(`${path}: simple content may not have child elements`);
      checkSimple(text, shape.text, path);
      return;
    }
    if (text.trim()) errors.push(`${path}: element-only content has text "${text.trim().slice(0, 40)}"`);
    const children = elems(inst);
    let i = 0;
    const occurs = (p: PNode) => ({ min: Number(attrs(p).minOccurs ?? 1), max: attrs(p).maxOccurs === 'unbounded' ? Infinity : Number(attrs(p).maxOccurs ?? 1) });
    const matchParticle = (p: PNode) => {
      if (tag(p) === 'xs:sequence') {
        for (const item of elems(p)) {
          if (tag(item) !== 'xs:element') continue;
          const { min, max } = occurs(item);
          let n = 0;
          while (i < children.length && tag(children[i]) === attrs(item).name && n < max) checkElement(children[i], item, `${path}/${tag(children[i++])}[${n++}]`);
          if (n < min) errors.push(`${path}: expected <${attrs(item).name}> (at least ${min}), found ${children[i] ? `<${tag(children[i])}>` : 'nothing'}`);
        }
      } else if (tag(p) === 'xs:choice') {
        const { min } = occurs(p);
        const opt = elems(p).find((o) => children[i] && attrs(o).name === tag(children[i]));
        if (opt) checkElement(children[i], opt, `${path}/${tag(children[i++])}`);
        else if (min > 0) errors.push(`${path}: expected one of ${elems(p).map((o) => attrs(o).name).join(', ')}`);
      }
    };
    if (shape.particle) matchParticle(shape.particle);
    if (i < children.length) errors.push(`${path}: unexpected <${tag(children[i])}>`);
  }

  const doc = parser().parse(xml) as PNode[];
  const roots = doc.filter((n) => !tag(n).startsWith('?') && !tag(n).startsWith('#'));
  if (roots.length !== 1) return [`expected one root element, found ${roots.length}`];
  const decl = elements.get(tag(roots[0]));
  if (!decl) return [`root <${tag(roots[0])}> is not declared in the schema`];
  checkElement(roots[0], decl, `/${tag(roots[0])}`);
  return errors;
}
