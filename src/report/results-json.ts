// results.json: the documented, schema-validated record of one audit (schemas/results.schema.json).
import type { AuditResult } from '../model.ts';
import { jsonText } from '../util/json-text.ts';
import { validateWith } from '../util/schemas.ts';

/** Returns the first schema violations (empty when the results are valid). */
export function validateResults(results: unknown): string[] {
  return validateWith('results', results).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

export function resultsJson(results: AuditResult): string {
  return jsonText(results, 2) + '\n';
}
