// Turns the text of an OpenAPI/Swagger document into a plain object, or says precisely why it cannot.
// JSON is tried first (it is what most portals publish); YAML second. YAML is read with the JSON schema so that
// keys such as `200:` and values such as `2024-01-01` stay strings, exactly as swagger-parser itself reads them.

import { createRequire } from 'node:module';
import { locateJsonError } from '../tree/json-syntax.ts';
import { lineColumnAt } from '../tree/json-position.ts';
import { DEFAULT_INSPECT_LIMITS, raiseHint, type InspectLimits } from '../limits.ts';

// js-yaml ships no type declarations and @types/js-yaml is not installed; this is the slice we use.
interface YamlMark {
  line: number; // 0-based
  column: number; // 0-based
}
interface JsYaml {
  load(text: string, opts?: { schema?: unknown; json?: boolean }): unknown;
  JSON_SCHEMA: unknown;
}
const yaml = createRequire(import.meta.url)('js-yaml') as JsYaml;

export type DocFormat = 'json' | 'yaml' | 'unknown';

export type ParsedDoc =
  | { ok: true; doc: Record<string, unknown>; format: DocFormat; warnings: string[] }
  | { ok: false; format: DocFormat; message: string };

// The limits (limits.ts): maxOpenApiChars — larger documents are refused rather than risk minutes of validation;
// maxYamlNodes — YAML aliases let a few hundred bytes describe billions of nodes ("billion laughs") and the validators
// walk the expanded tree, so a document expanding past it is refused; maxOpenApiDepth — the validators recurse per
// level, so a deeper document is refused instead of overflowing the stack. Each refusal names its limit.
export type OpenApiLimits = Pick<InspectLimits, 'maxOpenApiChars' | 'maxYamlNodes' | 'maxOpenApiDepth'>;

export function parseOpenApiText(text: string, filename?: string, limits: OpenApiLimits = DEFAULT_INSPECT_LIMITS): ParsedDoc {
  if (typeof text !== 'string') return { ok: false, format: 'unknown', message: 'document is not text' };
  if (text.length > limits.maxOpenApiChars) {
    return { ok: false, format: 'unknown', message: `document is too large to validate (${text.length} characters; limit maxOpenApiChars = ${limits.maxOpenApiChars}; ${raiseHint('maxOpenApiChars')})` };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, format: 'unknown', message: 'document is empty' };
  if (looksBinary(body)) {
    return { ok: false, format: 'unknown', message: 'document is binary data, not JSON or YAML text' };
  }

  const ext = /\.([a-z]+)$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  const first = body.trimStart()[0];
  const looksJson = first === '{' || first === '[' || ext === 'json';

  let value: unknown;
  let format: DocFormat;
  const warnings: string[] = [];
  try {
    value = JSON.parse(body);
    format = 'json';
  } catch {
    const yamlResult = tryYaml(body);
    if (yamlResult.ok) {
      value = yamlResult.value;
      format = 'yaml';
      if (looksJson && ext === 'json') warnings.push('file is named .json but is not valid JSON; it was read as YAML');
    } else if (looksJson) {
      return { ok: false, format: 'json', message: jsonErrorMessage(body) };
    } else {
      return { ok: false, format: ext === 'yaml' || ext === 'yml' ? 'yaml' : 'unknown', message: yamlResult.message };
    }
  }

  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, format, message: `top level must be an object (an OpenAPI document), found ${what}` };
  }
  const size = expandedSize(value, limits);
  if (size === 'cyclic') return { ok: false, format, message: 'document refers to itself through YAML aliases' };
  if (size === 'deep') return { ok: false, format, message: `document is nested more than ${limits.maxOpenApiDepth} levels deep (limit maxOpenApiDepth; ${raiseHint('maxOpenApiDepth')})` };
  if (size > limits.maxYamlNodes) {
    return { ok: false, format, message: `document expands to more than ${limits.maxYamlNodes} nodes (YAML aliases?; limit maxYamlNodes; ${raiseHint('maxYamlNodes')})` };
  }
  return { ok: true, doc: value as Record<string, unknown>, format, warnings };
}

function tryYaml(body: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: yaml.load(body, { schema: yaml.JSON_SCHEMA }) };
  } catch (err) {
    const e = err as { reason?: string; mark?: YamlMark; message?: string };
    const where = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
    return { ok: false, message: `not valid JSON or YAML: YAML error${where}: ${e.reason ?? e.message ?? String(err)}` };
  }
}

function jsonErrorMessage(body: string): string {
  const found = locateJsonError(body);
  if (!found) return 'not valid JSON';
  const { line, column } = lineColumnAt(body, found.offset);
  return `not valid JSON: ${found.message} at line ${line}, column ${column}`;
}

/** NUL characters or a high share of U+FFFD (bytes that were not valid UTF-8) mean this is not a text document. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd) bad++;
  }
  return bad > 8 && bad / sample.length > 0.05;
}

/**
 * Node count of the value as a tree, counting shared (aliased) subtrees once per use. Memoised per object so it
 * runs in time linear in the *distinct* nodes even when the expansion is astronomically large.
 */
function expandedSize(root: object, limits: OpenApiLimits): number | 'cyclic' | 'deep' {
  const memo = new Map<object, number>();
  const inProgress = new Set<object>();
  const visit = (v: unknown, depth: number): number => {
    if (v === null || typeof v !== 'object') return 1;
    if (depth > limits.maxOpenApiDepth) throw new TooDeep();
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (inProgress.has(v)) throw new CycleFound();
    inProgress.add(v);
    let n = 1;
    for (const child of Object.values(v)) {
      n += visit(child, depth + 1);
      if (n > limits.maxYamlNodes) break; // no need for the exact figure
    }
    inProgress.delete(v);
    memo.set(v, n);
    return n;
  };
  try {
    return visit(root, 0);
  } catch (err) {
    if (err instanceof CycleFound) return 'cyclic';
    if (err instanceof TooDeep) return 'deep';
    throw err;
  }
}

class CycleFound extends Error {}
class TooDeep extends Error {}
