// One source of truth for option names, defaults and descriptions: the definitions in src/cli/options.ts and each
// command's spec. `--help` is built from them, and the README's option tables must be exactly their rendering
// (`npm run readme:options` rewrites the tables after a change).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { optionsOf } from '../../src/cli/command.ts';
import { allCommands, buildProgram } from '../../src/cli/main.ts';
import { optionTables, readmeTables } from '../../src/cli/options-readme.ts';
import { odbadge } from '../helpers/cli.ts';

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

describe('the README option tables are the option definitions', () => {
  it('every command (and the options of every command) has its table in the README, exactly as defined', () => {
    const inReadme = readmeTables(README);
    const defined = optionTables();
    expect([...inReadme.keys()].sort()).toEqual([...defined.keys()].sort());
    expect([...defined.keys()].sort()).toEqual(['audit', 'awards', 'ci', 'common', 'diff', 'history', 'inspect', 'plan', 'plan import', 'prune', 'report', 'worker']);
    for (const [name, table] of defined) expect(inReadme.get(name), `README table "${name}" (run npm run readme:options)`).toBe(table);
  });

  it('a table row carries the flags, the default and the description', () => {
    expect(readmeTables(README).get('audit')).toContain('| `--concurrency <n>` | 32 | downloads in flight at once |');
    expect(readmeTables(README).get('ci')).toContain('| `--fail-on <verdict>` | fail |');
    expect(readmeTables(README).get('common')).toContain('| `-q, --quiet` |  | print nothing but errors and warnings');
  });
});

describe('--help is built from the same definitions', () => {
  it('each command\'s options in commander are the defined ones, in order, with the default in the description', () => {
    const program = buildProgram({ setExit: () => {}, setContext: () => {}, commandNames: [], longNames: new Set() });
    const find = (name: string): Command => name.split(' ').reduce((c: Command, n) => c.commands.find((x) => x.name() === n)!, program);
    for (const { name, spec } of allCommands()) {
      const cmd = find(name);
      const defs = optionsOf(spec);
      expect(cmd.options.map((o) => o.flags), name).toEqual(defs.map((d) => d.flags));
      expect(cmd.options.map((o) => o.description), name).toEqual(defs.map((d) => d.description + (d.defaultText ? ` (default: ${d.defaultText})` : '')));
    }
  });

  it('odbadge ci --help shows the audit options ci now takes, with their defaults', async () => {
    const r = await odbadge(['ci', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--db <file>', '--no-store', '--resume [runId]', '--limit <name=value>', '--fail-on <verdict>', '--format <format>', '-q, --quiet', '-v, --verbose', '--config <file>']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/--per-host <n> +downloads in flight per host .*\(default: 4\)/s);
  });
});
