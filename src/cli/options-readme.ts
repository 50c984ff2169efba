// The README's option tables, rendered from the option definitions (options.ts and each CommandSpec) — the same data
// `--help` is built from. test/cli/option-tables.test.ts checks that the README holds exactly these tables;
// `npm run readme:options` rewrites them in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { packagePath } from '../paths.ts';
import { allCommands } from './main.ts';
import { COMMON_OPTIONS, type OptionDef } from './options.ts';
import { isEntryModule } from '../util/entry.ts';

/** Text safe in a Markdown table cell: no cell break, no emphasis, no HTML tag. */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/</g, '\\<');

export function optionTable(defs: readonly OptionDef[]): string {
  const rows = defs.map((d) => `| \`${d.flags}\` | ${d.defaultText ? cell(d.defaultText) : ''} | ${cell(d.description)} |`);
  return ['| option | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Every table the README holds, by name: each command's own options, and `common` for those of every command. */
export function optionTables(): Map<string, string> {
  const out = new Map<string, string>([['common', optionTable(COMMON_OPTIONS)]]);
  for (const { name, spec } of allCommands()) out.set(name, optionTable(spec.options));
  return out;
}

/** `<!-- options: NAME -->`, the table's lines (none yet, in a new block), `<!-- /options -->`. */
const BLOCK = /(<!-- options: ([a-z ]+?) -->\n)((?:(?!<!-- )[^\n]*\n)*?)(<!-- \/options -->)/g;

/** The README's tables, by name, as written there. */
export function readmeTables(readme: string): Map<string, string> {
  return new Map([...readme.matchAll(BLOCK)].map((m) => [m[2], m[3].replace(/\n$/, '')]));
}

/** The README with every table replaced by its rendering (tables it lacks are not added: they need a place). */
export function withTables(readme: string): string {
  const tables = optionTables();
  return readme.replace(BLOCK, (all, open: string, name: string, _body: string, close: string) => (tables.has(name) ? `${open}${tables.get(name)}\n${close}` : all));
}

if (isEntryModule(import.meta.url)) {
  const path = packagePath('README.md');
  const before = readFileSync(path, 'utf8');
  const after = withTables(before);
  if (after !== before) writeFileSync(path, after);
  const missing = [...optionTables().keys()].filter((n) => !readmeTables(after).has(n));
  process.stdout.write(`${after === before ? 'README.md: option tables already up to date' : 'README.md: option tables rewritten'}${missing.length ? `; no place yet for: ${missing.join(', ')} (add <!-- options: NAME -->…<!-- /options -->)` : ''}\n`);
}
