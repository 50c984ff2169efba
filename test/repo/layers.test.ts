// The folder layout shows the flow — catalogue → fetch → inspect → rules → score → store → report, the pipeline and
// the CLI on top — and imports only point down it: a module may import from its own layer, from earlier ones and
// from the ground floor (model, paths, version, util), never from a later one; and no import cycle. Run alone with
// `npx vitest run test/repo/layers.test.ts`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const src = path.join(root, 'src');

/** Layer of each top-level entry of src/, lowest first. */
export const LAYERS: Record<string, number> = {
  'model.ts': 0, 'paths.ts': 0, 'version.ts': 0, util: 0, messages: 0,
  catalog: 1, fetch: 2, inspect: 3, rules: 4, score: 5, store: 6, report: 7, plan: 7,
  'audit.ts': 8, pipeline: 8, cli: 9, demo: 9,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
  });
}

/** Relative modules a file imports (static, dynamic and re-exports), as absolute paths. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    out.push(path.resolve(path.dirname(file), m[1] ?? m[2]));
  }
  return out;
}

const layerOf = (file: string): number | undefined => LAYERS[path.relative(src, file).split(path.sep)[0]];

describe('layers', () => {
  const all = files(src);

  it('every top-level entry of src/ has a layer', () => {
    expect(readdirSync(src).filter((n) => LAYERS[n] === undefined)).toEqual([]);
  });

  it('the check notices an import up the layers', () => {
    const f = path.join(src, 'store/x.ts');
    const up = importsOf(f, "import type { X } from '../report/y.ts';\nconst z = await import('../cli/z.ts');");
    expect(up.map((u) => layerOf(u)! > layerOf(f)!)).toEqual([true, true]);
  });

  it('no module imports from a later layer', () => {
    const up = all.flatMap((f) => importsOf(f)
      .filter((to) => to.startsWith(src) && (layerOf(to) ?? 0) > layerOf(f)!)
      .map((to) => `${path.relative(src, f)} → ${path.relative(src, to)}`));
    expect(up).toEqual([]);
  });

  it('no import cycle', () => {
    const graph = new Map(all.map((f) => [f, importsOf(f).filter((t) => t.startsWith(src))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(src, x)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of all) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
