// A clone with nothing beside it must pass its tests: no source, test, benchmark or README example may read a
// path outside the repository root (the third-party corpora live in fixtures/corpora, the seeds in seeds/source).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
/** The folder beside the checkout that earlier versions read (spelt in two parts so this file does not match itself). */
const SHARED = ['..', 'shared'].join('/');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'tmp') return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js|mjs|json|md|sh)$/.test(name) ? [p] : [];
  });
}

/** Relative path literals in `text` that, taken from `dir` (or from the repository root), leave the root. */
export function escapingPaths(text: string, dir: string): string[] {
  const out: string[] = [];
  if (text.includes(`${SHARED}/`)) out.push(SHARED);
  for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
    const fromFile = path.resolve(dir, m[1]);
    // A literal is resolved against either the file's folder or the repository root, depending on the call.
    if (!fromFile.startsWith(root + path.sep) && fromFile !== root) out.push(m[1]);
  }
  return out;
}

describe('the repository is self-contained', () => {
  it('the scan itself notices a path above the root', () => {
    expect(escapingPaths(`readFileSync('../../${SHARED}/x.txt')`, path.join(root, 'test/inspect'))).toContain(SHARED);
    expect(escapingPaths(`resolve(here, '../../../corpora/a.csv')`, path.join(root, 'test/inspect'))).toEqual(['../../../corpora/a.csv']);
    expect(escapingPaths(`resolve(here, '../../fixtures/a.csv')`, path.join(root, 'test/inspect'))).toEqual([]);
  });

  it('src/, test/, bench/, the README and package.json reach nothing outside the repository', () => {
    const scanned = [
      ...files(path.join(root, 'src')), ...files(path.join(root, 'test')), ...files(path.join(root, 'bench')),
      path.join(root, 'README.md'), path.join(root, 'package.json'), path.join(root, '.ci/run'),
    ].filter((f) => f !== import.meta.filename); // its own examples of offending paths
    expect(scanned.length).toBeGreaterThan(100);
    const offenders = scanned.flatMap((f) => escapingPaths(readFileSync(f, 'utf8'), path.dirname(f)).map((p) => `${path.relative(root, f)}: ${p}`));
    expect(offenders).toEqual([]);
  });
});
