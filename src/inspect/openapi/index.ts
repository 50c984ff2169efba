// The OpenAPI Specification check behind the 金質獎 bonus (0.1 point per dataset whose API description passes).
//
// Pipeline: parse JSON/YAML → detect the version from `swagger`/`openapi` → check every `$ref` without leaving the
// document → schema + specification validation. Swagger 2.0 and OpenAPI 3.0 use swagger-parser's `validate`
// (the OAI JSON Schema, plus for 2.0 the prose rules: unique operationIds, path parameters matching the template,
// one body parameter, …); for 3.x the same template and operationId rules are checked by openapi-semantics.ts. OpenAPI 3.1 uses the OAI 3.1 schema with published corrections (openapi-schema31.ts),
// and swagger-parser only to resolve local refs. External refs are never fetched: resolution is configured
// local-only, so validating a document makes no network or file access.

import type SwaggerParser from '@apidevtools/swagger-parser';
import { parseOpenApiText, type DocFormat } from './parse.ts';
import { resolveLimits, type InspectLimits } from '../limits.ts';
import { checkRefs } from './refs.ts';
import { checkOas3Semantics } from './semantics.ts';
import { validateOas31Schema } from './schema31.ts';
import { dedupe, fromAjvErrors, pointerFromMessage, type OpenApiError } from './errors.ts';
import type { ErrorObject } from 'ajv';

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

export interface OpenApiReport {
  valid: boolean;
  /**
   * Valid as far as the version's JSON Schema, version detection and `$ref`s go, i.e. before the 3.x prose rules
   * (path templates, unique operationIds) that no schema expresses. Schema-only validators answer this. For Swagger
   * 2.0, swagger-parser reports schema and prose errors together, so there it equals `valid`.
   */
  schemaValid: boolean;
  version?: OpenApiVersion;
  format: DocFormat;
  /** The first errors (at most MAX_ERRORS), each at a JSON pointer into the document ('' = the whole document). */
  errors: OpenApiError[];
  warnings: string[];
}

export const MAX_ERRORS = 10;

// Versions swagger-parser 13 accepts; a newer patch release of a known minor is validated as the latest it knows.
const PARSER_VERSIONS: Record<'3.0' | '3.1', readonly string[]> = {
  '3.0': ['3.0.0', '3.0.1', '3.0.2', '3.0.3', '3.0.4'],
  '3.1': ['3.1.0', '3.1.1', '3.1.2'],
};

export async function validateOpenApi(text: string, opts: { filename?: string; limits?: Partial<InspectLimits> } = {}): Promise<OpenApiReport> {
  try {
    return await validate(text, opts.filename, resolveLimits(opts.limits));
  } catch (err) {
    // Defensive: every expected failure is reported above; this keeps a validator bug from crashing a crawl.
    return {
      valid: false,
      schemaValid: false,
      format: 'unknown',
      errors: [{ pointer: '', message: `could not validate: ${errorMessage(err)}` }],
      warnings: [],
    };
  }
}

async function validate(text: string, filename: string | undefined, limits: InspectLimits): Promise<OpenApiReport> {
  const parsed = parseOpenApiText(text, filename, limits);
  if (!parsed.ok) return report(parsed.format, undefined, [{ pointer: '', message: parsed.message }], [], []);
  const { doc, format } = parsed;
  const warnings = [...parsed.warnings];

  const detected = detectVersion(doc);
  if ('error' in detected) return report(format, detected.version, [detected.error], warnings, []);
  const { version } = detected;

  const errors: OpenApiError[] = [];
  // Before swagger-parser runs: it dereferences in place, after which the original $refs are gone.
  for (const finding of checkRefs(doc, version)) {
    if (finding.severity === 'error') errors.push({ pointer: finding.pointer, message: finding.message });
    else warnings.push(`${finding.pointer || '/'}: ${finding.message}`);
  }

  if (version === '3.1') errors.push(...fromAjvErrors(validateOas31Schema(doc)));
  // swagger-parser checks these prose rules for 2.0 only; before it runs, as it dereferences the document in place.
  const prose = version !== '2.0' ? checkOas3Semantics(doc) : [];
  if (version === '3.0' && doc.paths === undefined) {
    // swagger-parser refuses such a document outright with an unhelpful message: say it the way the schema
    // would, then let it check the rest.
    errors.push({ pointer: '', message: "must have required property 'paths'" });
  }
  errors.push(...(await runSwaggerParser(doc, version, warnings, errors.length > 0)));
  if (version === '3.1') {
    warnings.push('3.1 Schema Objects are checked for shape (object or boolean), not against the JSON Schema dialect');
  }
  return report(format, version, errors, warnings, prose);
}

type Detected = { version: OpenApiVersion } | { version?: OpenApiVersion; error: OpenApiError };

function detectVersion(doc: Record<string, unknown>): Detected {
  const { swagger, openapi } = doc;
  if (swagger !== undefined && openapi !== undefined) {
    return { error: { pointer: '', message: 'has both "swagger" and "openapi" fields; a document is one or the other' } };
  }
  if (swagger !== undefined) {
    if (swagger === '2.0') return { version: '2.0' };
    if (typeof swagger === 'number' && swagger === 2) {
      return { version: '2.0', error: { pointer: '/swagger', message: 'must be the string "2.0", not the number 2.0' } };
    }
    return { error: { pointer: '/swagger', message: `unsupported Swagger version ${JSON.stringify(swagger)}; only "2.0" is a Swagger version this checks` } };
  }
  if (openapi !== undefined) {
    const minor = typeof openapi === 'string' || typeof openapi === 'number' ? /^3\.([01])(?:\.|$)/.exec(String(openapi))?.[1] : undefined;
    const version = minor === undefined ? undefined : (`3.${minor}` as OpenApiVersion);
    if (typeof openapi !== 'string') {
      return { version, error: { pointer: '/openapi', message: `must be a string such as "3.0.4" (quote it in YAML), not the ${typeof openapi} ${JSON.stringify(openapi)}` } };
    }
    // The patterns of the official schemas: 3.0 allows one patch digit, 3.1 any number.
    if (/^3\.0\.\d(-.+)?$/.test(openapi)) return { version: '3.0' };
    if (/^3\.1\.\d+(-.+)?$/.test(openapi)) return { version: '3.1' };
    if (version) {
      return { version, error: { pointer: '/openapi', message: `"${openapi}" is not a full version number; write major.minor.patch, e.g. "${version}.0"` } };
    }
    return { error: { pointer: '/openapi', message: `unsupported OpenAPI version "${openapi}"; this checks 2.0, 3.0.x and 3.1.x` } };
  }
  return { error: { pointer: '', message: 'not an OpenAPI document: it has neither a "swagger" nor an "openapi" version field' } };
}

async function runSwaggerParser(
  doc: Record<string, unknown>,
  version: OpenApiVersion,
  warnings: string[],
  alreadyFailed: boolean,
): Promise<OpenApiError[]> {
  let api: Record<string, unknown> = doc;
  if (version !== '2.0') {
    const known = PARSER_VERSIONS[version];
    const declared = String(doc.openapi);
    if (!known.includes(declared)) {
      const stand = known[known.length - 1]!;
      warnings.push(`openapi "${declared}" is newer than this validator knows; checked as ${stand}`);
      api = { ...api, openapi: stand };
    }
    // 3.1 allows a document with only components or webhooks, but swagger-parser refuses to resolve a document
    // without paths; a missing 3.0 `paths` has already been reported above.
    if (api.paths === undefined) api = { ...api, paths: {} };
  }
  const options = {
    // Local refs only: no resolver may read a file or open a connection, whatever the document says.
    resolve: { external: false, file: false, http: false },
    dereference: { circular: 'ignore' as const },
    // 3.1 schema validation is done by validateOas31Schema; swagger-parser's copy of that schema is outdated.
    validate: { schema: version !== '3.1', spec: true },
  };
  try {
    // Loaded on first use (~17 MB): most audits and inspections never see an OpenAPI document.
    const { default: parser } = await import('@apidevtools/swagger-parser');
    await parser.validate(api as never, options as SwaggerParser.Options);
    return [];
  } catch (err) {
    const details = (err as { details?: unknown }).details;
    if (Array.isArray(details)) return fromAjvErrors(details as ErrorObject[]);
    const raw = errorMessage(err).replace(/^(SyntaxError: )+/, '').replace(/^Validation failed\. /, '');
    // A missing local ref was already reported, with its location, by checkRefs.
    if (alreadyFailed && /^Missing \$ref pointer|Error resolving \$ref|^URI malformed/.test(raw)) return [];
    return [{ pointer: pointerForParserMessage(raw, doc), message: raw.trim() }];
  }
}

function pointerForParserMessage(message: string, doc: unknown): string {
  if (/^API version number must be a string/.test(message)) return '/info/version';
  return pointerFromMessage(message, doc);
}

function report(format: DocFormat, version: OpenApiVersion | undefined, errors: OpenApiError[], warnings: string[], prose: OpenApiError[]): OpenApiReport {
  const unique = dedupe([...errors, ...prose]);
  return {
    valid: unique.length === 0,
    schemaValid: errors.length === 0,
    ...(version ? { version } : {}),
    format,
    errors: unique.slice(0, MAX_ERRORS),
    warnings: [...new Set(warnings)].slice(0, MAX_ERRORS * 2),
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
