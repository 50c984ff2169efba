// Finds every `$ref` in a parsed OpenAPI document and judges it without ever following it outside the document.
// Local refs (`#/…`) must resolve inside the document. Absolute URLs are legitimate references to published
// resources, but odbadge never fetches them: they are noted as warnings. Relative refs (`definitions/Pets`,
// `common.yaml#/Pet`) name a sibling file of a multi-file description that was published without being bundled;
// nothing a reader downloads can resolve them, so they are errors. So is a `$ref` that is not a URI at all.

export interface RefFinding {
  /** JSON pointer of the object holding the `$ref`. */
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Keys whose values are literal data (examples, defaults, enums), where `$ref` is just a property name. */
const LITERAL_KEYS = new Set(['example', 'default', 'enum', 'const']);
const MAX_FINDINGS = 50;

export function checkRefs(doc: Record<string, unknown>, version: '2.0' | '3.0' | '3.1'): RefFinding[] {
  const findings: RefFinding[] = [];
  const seen = new Set<object>();

  const visit = (node: unknown, pointer: string, parentKey: string, grandKey: string, inIdScope: boolean): void => {
    if (findings.length >= MAX_FINDINGS || node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node); // YAML aliases share objects; one report per shared object is enough
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, `${pointer}/${i}`, String(i), parentKey, inIdScope));
      return;
    }
    const obj = node as Record<string, unknown>;
    // In 3.1 a Schema Object with `$id` starts a new base URI; refs below it are resolved against that id.
    const scoped = inIdScope || (version === '3.1' && typeof obj.$id === 'string');
    if (typeof obj.$ref === 'string') {
      const finding = judgeRef(obj.$ref, doc, pointer, scoped);
      if (finding) findings.push(finding);
    }
    for (const [key, child] of Object.entries(obj)) {
      if (key === '$ref' || key.startsWith('x-') || LITERAL_KEYS.has(key)) continue;
      // Example Object `value`, and Swagger 2.0 response `examples` (mime type → literal body), are data.
      if (key === 'value' && grandKey === 'examples') continue;
      if (key === 'examples' && version === '2.0') continue;
      visit(child, `${pointer}/${escapeToken(key)}`, key, parentKey, scoped);
    }
  };
  visit(doc, '', '', '', false);
  return findings;
}

function judgeRef(ref: string, doc: unknown, pointer: string, scoped: boolean): RefFinding | undefined {
  if (ref.startsWith('#')) {
    // Characters a strict URI would need escaped (` in "KeyValuePair`2") are tolerated here, as resolvers do.
    if (scoped || !ref.startsWith('#/')) return undefined; // anchors and $id-relative refs: left to the resolver
    const missing = missingPart(doc, ref);
    if (missing === undefined) return undefined;
    return { pointer, severity: 'error', message: `$ref ${JSON.stringify(ref)} does not resolve: ${missing}` };
  }
  if (/[\s<>"{}|\\^`]/.test(ref) || ref === '') {
    return { pointer, severity: 'error', message: `$ref ${JSON.stringify(ref)} is not a valid URI reference` };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    return { pointer, severity: 'warning', message: `external $ref ${JSON.stringify(ref)} was not followed (not checked)` };
  }
  if (scoped) return undefined;
  const hint = missingPart(doc, `#/${ref}`) === undefined ? `; did you mean "#/${ref}"?` : '';
  return {
    pointer,
    severity: 'error',
    message: `$ref ${JSON.stringify(ref)} points to another file, which is not part of this document${hint}`,
  };
}

/** Describes which part of a local JSON-pointer ref is missing, or undefined when it resolves. */
function missingPart(doc: unknown, ref: string): string | undefined {
  let tokens: string[];
  try {
    tokens = ref.slice(2).split('/').map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
  } catch {
    return 'its percent-encoding is malformed';
  }
  if (ref === '#/') tokens = [''];
  let node: unknown = doc;
  let at = '';
  for (const token of tokens) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token)) {
      return `no ${JSON.stringify(token)} in ${at || 'the document root'}`;
    }
    node = (node as Record<string, unknown>)[token];
    at += `/${escapeToken(token)}`;
  }
  return undefined;
}

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
