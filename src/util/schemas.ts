// The JSON Schemas odbadge ships (schemas/*.schema.json), compiled once each with one Ajv configuration.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { packagePath } from '../paths.ts';

export type SchemaName = 'results' | 'ruleset' | 'local-catalog' | 'plan';

const compiled = new Map<SchemaName, ValidateFunction>();
let ajv: Ajv | undefined;

/** The validator of schemas/<name>.schema.json. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    ajv ??= (() => {
      const a = new Ajv({ allErrors: true, strict: false });
      (addFormats as unknown as (a: Ajv) => void)(a);
      return a;
    })();
    v = ajv.compile(JSON.parse(readFileSync(packagePath('schemas', `${name}.schema.json`), 'utf8')));
    compiled.set(name, v);
  }
  return v;
}

/** Validates `data`; the errors as Ajv gives them (empty when valid). */
export function validateWith(name: SchemaName, data: unknown): ErrorObject[] {
  const v = schemaValidator(name);
  return v(data) ? [] : [...(v.errors ?? [])];
}

/** The validator of one definition inside schemas/<name>.schema.json, e.g. ('results', '#/definitions/dataset'). */
export function schemaPartValidator(name: SchemaName, pointer: string): ValidateFunction {
  const whole = schemaValidator(name);
  const id = (whole.schema as { $id?: string }).$id;
  const v = ajv!.getSchema(`${id}${pointer}`);
  if (!v) throw new Error(`no ${pointer} in schemas/${name}.schema.json`);
  return v;
}
