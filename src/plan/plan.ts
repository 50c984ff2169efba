// The plan format (schemas/plan.schema.json): what an agency promised to open, when, in which formats.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { validateWith } from '../util/schemas.ts';

export interface PlanRow {
  section: string;
  number?: number;
  name: string;
  category?: string;
  agency?: string;
  /** YYYY-MM, or null when the document's date could not be read (then also listed in problems) */
  date: string | null;
  datePrecision?: 'day' | 'month' | 'year';
  dateText?: string;
  frequency?: string;
  formats: string[];
  remarks?: string;
  line?: number;
}

export interface PlanProblem {
  line: number;
  text: string;
  reason: string;
}

export interface Plan {
  agency: string;
  title?: string;
  source?: string;
  layout?: 'hk-plan' | 'tw-list' | 'manual';
  notApplicable?: string[];
  rows: PlanRow[];
  problems?: PlanProblem[];
}

interface JsYaml {
  load(text: string, opts?: { schema?: unknown }): unknown;
  dump(v: unknown, opts?: Record<string, unknown>): string;
  JSON_SCHEMA: unknown;
}
// js-yaml ships no type declarations; this is the slice we use.
const yaml = createRequire(import.meta.url)('js-yaml') as JsYaml;

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

export async function validatePlan(data: unknown): Promise<string[]> {
  return validateWith('plan', data).slice(0, 50).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}

/** Reads a plan file (YAML or JSON); throws PlanError listing each schema violation with its JSON pointer. */
export async function loadPlan(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PlanError(`cannot read plan ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    // The JSON schema keeps "2019-04" and "04/2019" as strings rather than dates or sexagesimal numbers.
    data = yaml.load(text.replace(/^\uFEFF/, ''), { schema: yaml.JSON_SCHEMA });
  } catch (e) {
    throw new PlanError(`plan ${path} is neither YAML nor JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const problems = await validatePlan(data);
  if (problems.length) throw new PlanError(`plan ${path} does not match schemas/plan.schema.json:\n  ${problems.join('\n  ')}`);
  return data as Plan;
}

export function planToYaml(plan: Plan): string {
  return `# yaml-language-server: $schema=../../schemas/plan.schema.json\n${yaml.dump(plan, { lineWidth: -1, noRefs: true, quotingType: '"' })}`;
}
