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
