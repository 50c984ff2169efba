// Turns what the validators throw into `{ pointer, message }` pairs a person can act on.

import type { ErrorObject } from 'ajv';
import { escapeToken } from './refs.ts';

export interface OpenApiError {
  pointer: string;
  message: string;
}

/**
 * Combinator keywords (`oneOf`, `if`/`then`, …) report "must match a schema in …" beside the specific failure
 * that caused it; they are kept, but listed after the specific errors.
 */
const GENERIC_KEYWORDS = new Set(['if', 'oneOf', 'anyOf', 'allOf', 'then', 'else']);

export function fromAjvErrors(errors: readonly ErrorObject[]): OpenApiError[] {
  const specific: OpenApiError[] = [];
  const generic: OpenApiError[] = [];
  for (const e of errors) {
    (GENERIC_KEYWORDS.has(e.keyword) ? generic : specific).push({ pointer: e.instancePath, message: describeAjv(e) });
  }
  const all = dedupe([...specific, ...generic]);
  // "Object or Reference" alternatives make Ajv also say "must have required property '$ref'"; that is noise
  // whenever something more specific was said about the same object.
  return all.filter(
    (e) =>
      e.message !== "must have required property '$ref'" ||
      !all.some((o) => o !== e && (o.pointer === e.pointer || o.pointer.startsWith(`${e.pointer}/`))),
  );
}

function describeAjv(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `must not have property ${JSON.stringify(p.additionalProperty)} (not a field of this object)`;
    case 'unevaluatedProperties':
      return `must not have property ${JSON.stringify(p.unevaluatedProperty)} (not a field of this object here)`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${String(p.type).split(',').join(' or ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'not': {
      const required = (e.schema as { required?: unknown } | undefined)?.required;
      if (Array.isArray(required)) return `must not have both ${required.map((r) => `"${r}"`).join(' and ')}`;
      return e.message ?? 'must not match the excluded schema';
    }
    default:
      return e.message ?? `fails the "${e.keyword}" rule`;
  }
}

export function dedupe(errors: OpenApiError[]): OpenApiError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.pointer}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * swagger-parser's specification checks name the offending place as "/paths/users/{id}/get" — the path key is not
 * pointer-escaped. Rebuild a JSON pointer by matching the longest existing keys of the document; stop at the
 * deepest place that exists (e.g. ".../parameters/foo" names a parameter, not an array index).
 */
export function pointerFromMessage(message: string, doc: unknown): string {
  const m = /(?:^|[\s'"(])(\/(?:paths|definitions|parameters|responses)\/[^\s'"()]*)/.exec(message);
  if (!m?.[1]) return '';
  let rest = m[1];
  let node: unknown = doc;
  let pointer = '';
  while (rest.startsWith('/') && node !== null && typeof node === 'object' && !Array.isArray(node)) {
    const keys = Object.keys(node).filter(
      (k) => rest.startsWith(`/${k}`) && (rest.length === k.length + 1 || rest[k.length + 1] === '/'),
    );
    // Paths keys have no leading slash in the message ("/paths" + "/users") so also try "/" + key
    const slashKeys = Object.keys(node).filter(
      (k) => k.startsWith('/') && rest.startsWith(k) && (rest.length === k.length || rest[k.length] === '/'),
    );
    const best = [...keys.map((k) => ({ k, len: k.length + 1 })), ...slashKeys.map((k) => ({ k, len: k.length }))]
      .sort((a, b) => b.len - a.len)[0];
    if (!best) break;
    pointer += `/${escapeToken(best.k)}`;
    node = (node as Record<string, unknown>)[best.k];
    rest = rest.slice(best.len);
  }
  return pointer;
}
