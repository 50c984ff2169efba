// Paths to the third-party corpora (copied into fixtures/corpora with their licences) and our own fixtures,
// resolved from the repository root.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const corporaDir = path.resolve(repoRoot, 'fixtures/corpora');
export const fixturesDir = path.resolve(repoRoot, 'fixtures/inspect');

export function readManifest<T = any>(dir: string): T {
  return JSON.parse(readFileSync(path.join(dir, 'MANIFEST.json'), 'utf8')) as T;
}

export function readBytes(dir: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(dir, file)));
}

/**
 * Documents the OAI schema tests mark valid (level "schema": "must match schema-base.yaml") that break an OpenAPI 3.x
 * prose rule no schema expresses. odbadge checks those rules (src/inspect/openapi-semantics.ts), so it calls them
 * invalid while agreeing that they match the schema (`schemaValid`); openapi-spec-validator 0.9.0 rejects the first too
 * (MANIFEST crossCheck). Each with the first error odbadge must give.
 */
export const OAS_PROSE_RULE_VIOLATIONS: Record<string, { pointer: string; message: string }> = {
  'oai/v3.1/pass/operation-object-example.yaml': {
    pointer: '/paths/~1pets~1{id}/put',
    message: 'path template expression {id} of "/pets/{id}" has no matching "in: path" parameter in the PUT operation',
  },
  'oai/v3.1/pass/parameter-object-examples.yaml': {
    pointer: '/paths/~1user~1{username}/parameters/1',
    message: 'path parameter "usernames" does not appear in the path template "/user/{username}"',
  },
};
