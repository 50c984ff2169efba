// The prose rules of OpenAPI 3.0/3.1 that no JSON Schema expresses and swagger-parser checks only for Swagger 2.0:
// - every template expression of a path (`/pets/{petId}`) MUST correspond to a path parameter of each operation
//   (path-level or operation-level, `$ref`'d ones included), and every `in: path` parameter MUST name a template
//   expression (OAS 3.0.4 / 3.1.1 §4.8.12.1 "Path Templating", §4.8.12.2 Parameter Object "name");
// - operationId MUST be unique among all operations (§4.8.10.1).
// Local `$ref`s only; anything malformed is left to the schema check (this never throws).
import type { OpenApiError } from './errors.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** RFC 6901 pointer segment. */
const seg = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follows a local `$ref` chain (at most a few hops: a cycle or a remote ref gives undefined). */
function deref(doc: Json, v: unknown): Json | undefined {
  let cur = v;
  for (let hops = 0; hops < 16 && isObj(cur) && typeof cur.$ref === 'string'; hops++) {
    const ref = cur.$ref;
    if (!ref.startsWith('#/')) return undefined;
    let node: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObj(node) || Array.isArray(node) ? (node as Json)[key] : undefined;
    }
    cur = node;
  }
  return isObj(cur) && typeof cur.$ref !== 'string' ? cur : undefined;
}

/** Template expressions of a path: "/pets/{petId}/photos/{photoId}" → ["petId", "photoId"]. */
export function templateNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
}

function pathParams(doc: Json, list: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!Array.isArray(list)) return out;
  list.forEach((p, i) => {
    const param = deref(doc, p);
    if (param?.in === 'path' && typeof param.name === 'string') out.set(param.name, i);
  });
  return out;
}

export function checkOas3Semantics(doc: Json): OpenApiError[] {
  const errors: OpenApiError[] = [];
  try {
    const paths = isObj(doc.paths) ? doc.paths : {};
    const operationIds = new Map<string, string>();
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = isObj(rawItem) && typeof rawItem.$ref === 'string' ? deref(doc, rawItem) : isObj(rawItem) ? rawItem : undefined;
      if (!item) continue;
      const at = `/paths/${seg(path)}`;
      const template = templateNames(path);
      const shared = pathParams(doc, item.parameters);
      for (const method of METHODS) {
        const op = item[method];
        if (!isObj(op)) continue;
        const own = pathParams(doc, op.parameters);
        const declared = new Set([...shared.keys(), ...own.keys()]);
        const missing = template.filter((n) => !declared.has(n));
        if (missing.length > 0) {
          errors.push({
            pointer: `${at}/${method}`,
            message: `path template expression${missing.length > 1 ? 's' : ''} ${missing.map((n) => `{${n}}`).join(', ')} of "${path}" ${missing.length > 1 ? 'have' : 'has'} no matching "in: path" parameter in the ${method.toUpperCase()} operation`,
          });
        }
        for (const [name, i] of own) {
          if (!template.includes(name)) errors.push({ pointer: `${at}/${method}/parameters/${i}`, message: `path parameter "${name}" does not appear in the path template "${path}"` });
        }
        if (typeof op.operationId === 'string') {
          const first = operationIds.get(op.operationId);
          if (first) errors.push({ pointer: `${at}/${method}/operationId`, message: `operationId "${op.operationId}" is not unique: ${first} uses it too` });
          else operationIds.set(op.operationId, `${at}/${method}`);
        }
      }
      for (const [name, i] of shared) {
        if (!template.includes(name)) errors.push({ pointer: `${at}/parameters/${i}`, message: `path parameter "${name}" does not appear in the path template "${path}"` });
      }
    }
  } catch {
    // A shape the schema check reports anyway.
  }
  return errors;
}
