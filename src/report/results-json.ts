// results.json: the documented, schema-validated record of one audit (schemas/results.schema.json).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { AuditResult } from '../audit.ts';
import { REPO_ROOT } from '../score/ruleset.ts';
import { jsonText } from '../util/json-text.ts';

let validate: ReturnType<Ajv['compile']> | undefined;

/** Returns the first schema violations (empty when the results are valid). */
export function validateResults(results: unknown): string[] {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(resolve(REPO_ROOT, 'schemas/results.schema.json'), 'utf8')));
  }
  return validate(results) ? [] : (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

export function resultsJson(results: AuditResult): string {
  return jsonText(results, 2) + '\n';
}
