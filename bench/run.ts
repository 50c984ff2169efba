// `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), each measuring odbadge
// against a baseline side by side in one run, and merges their figures into bench/results.json:
//   { "<benchmark>": { "ratio": …, "peakRssMB": …, … } }
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../src/util/atomic-write.ts';

export interface BenchFigures {
  ratio: number;
  peakRssMB?: number;
  [k: string]: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (!only.length || only.some((o) => f.includes(o)))).sort();
const out = join(here, 'results.json');
let all: Record<string, BenchFigures> = {};
try {
  all = JSON.parse(await readFile(out, 'utf8'));
} catch {
  // first run
}
for (const f of files) {
  process.stderr.write(`\n== ${f}\n`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<Record<string, BenchFigures>> };
  const figures = await mod.default();
  for (const [name, fig] of Object.entries(figures)) {
    all[name] = { ...fig, measuredAt: new Date().toISOString(), machine: `${(await import('node:os')).cpus().length} cores, Node ${process.version}` };
    process.stdout.write(`${name}: ${JSON.stringify(all[name])}\n`);
  }
  await writeFileAtomic(out, JSON.stringify(all, null, 2) + '\n');
}
process.stderr.write(`\nWrote ${out}\n`);
