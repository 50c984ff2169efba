// Where odbadge's own files are: the package root holds rules/, schemas/ and seeds/ both in a checkout (src/ beside
// them) and in the installed package (dist/ beside them). One place, so no layer reaches into another for it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A file of the package by its path from the root, e.g. packagePath('schemas/results.schema.json'). */
export function packagePath(...parts: string[]): string {
  return resolve(PACKAGE_ROOT, ...parts);
}
