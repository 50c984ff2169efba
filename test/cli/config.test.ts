// odbadge.config.json: any long option by its name, discovered in the current directory (or --config <file>), under
// the command line; unknown keys and wrong types are one-line usage errors naming the file and the key.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runProgram } from '../helpers/cli.ts';

let dir: string;
let csv: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-config-'));
  csv = join(dir, 'villages.csv');
  await writeFile(csv, '村名,人口\n大安里,1200\n');
});

/** A project directory holding `config` as odbadge.config.json (unless undefined), and odbadge run inside it. */
async function project(name: string, config: unknown): Promise<(args: string[]) => ReturnType<typeof runProgram>> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  if (config !== undefined) await writeFile(join(cwd, 'odbadge.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return (args) => runProgram(process.execPath, [CLI, ...args], { cwd });
}

function usageError(r: { code: number; stdout: string; stderr: string }, line: string) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`${line}\n`);
}

describe('where the config comes from, and who wins', () => {
  it('./odbadge.config.json is read: top-level options apply to the command that has them (inspect: format, encoding, fields)', async () => {
    const run = await project('found', { format: 'json', encoding: 'UTF-8', fields: '村名、人口', concurrency: 8 });
    const r = await run(['inspect', csv]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.verdicts['encoding-match'].verdict).toBe('pass');
    expect(j.verdicts['fields-match'].verdict).toBe('pass');
  });

  it('the command line wins over the file', async () => {
    const run = await project('found', undefined);
    const text = await run(['inspect', csv, '--format', 'text', '--encoding', 'BIG5']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^.*villages\.csv\n  format: {4}csv/);
    expect(text.stdout).toMatch(/fail {10}encoding-match: /);
    // --json on the command line is --format json over a config's "format": "text".
    const other = await project('text-config', { format: 'text' });
    expect(JSON.parse((await other(['inspect', csv, '--json'])).stdout).format).toBe('csv');
  });

  it('--no-config ignores the file; --config <file> reads another one instead', async () => {
    const run = await project('found', undefined);
    const none = await run(['inspect', csv, '--no-config']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/not-evaluated encoding-match: no --encoding given/);
    const elsewhere = join(dir, 'elsewhere.json');
    await writeFile(elsewhere, JSON.stringify({ commands: { inspect: { format: 'json', 'declared-format': 'XML' } } }));
    const r = await run(['inspect', csv, '--config', elsewhere]);
    const j = JSON.parse(r.stdout);
    expect(j.formatMismatch).toEqual({ declared: 'XML', detected: 'csv' });
    expect(j.verdicts['encoding-match'].verdict).toBe('not-evaluated'); // ./odbadge.config.json was not read
  });

  it('a command section applies to that command only, over the top level', async () => {
    const run = await project('sections', { format: 'json', commands: { inspect: { format: 'text' }, 'plan import': { format: 'json' } } });
    const r = await run(['inspect', csv]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^.*villages\.csv\n/);
  });

  it('a required option may come from the file (prune --keep)', async () => {
    const run = await project('required', { commands: { prune: { keep: 3, db: join(dir, 'no-store-here.db') } } });
    const r = await run(['prune']);
    expect(r.code).toBe(3); // past the usage check: the store is what is missing
    expect(r.stderr).toMatch(/^odbadge: no history store at /);
  });
});

describe('a bad config file is a one-line usage error naming the file and the key', () => {
  const cases: [string, unknown, string[], (file: string) => string][] = [
    ['unknown-key', { concurency: 8 }, ['inspect', 'x.csv'], (f) => `odbadge: ${f}: unknown option "concurency"; see odbadge inspect --help`],
    ['dashes', { '--format': 'json' }, ['inspect', 'x.csv'], (f) => `odbadge: ${f}: unknown option "--format" (write the option's name without dashes: "format"); see odbadge inspect --help`],
    ['not-this-command', { commands: { inspect: { concurrency: 8 } } }, ['inspect', 'x.csv'], (f) => `odbadge: ${f} (commands.inspect): unknown option "concurrency" for inspect; see odbadge inspect --help`],
    ['unknown-command', { commands: { audits: {} } }, ['history'], (f) => `odbadge: ${f}: unknown command "audits" under "commands" (known: audit, inspect, report, awards, ci, plan, plan import, history, diff, prune, worker); see odbadge history --help`],
    ['wrong-type-flag', { 'allow-private-network': 'yes' }, ['inspect', 'x.csv'], (f) => `odbadge: ${f}: "allow-private-network" must be true or false, got "yes"; see odbadge inspect --help`],
    ['wrong-type-number', { concurrency: [8] }, ['audit', '--catalog', 'x.csv', '--out', 'o'], (f) => `odbadge: ${f}: "concurrency" must be a number, got [8]; see odbadge audit --help`],
    ['rejected-value', { concurrency: 0 }, ['audit', '--catalog', 'x.csv', '--out', 'o'], (f) => `odbadge: ${f}: "concurrency": 0 is invalid: expected a whole number ≥ 1; see odbadge audit --help`],
    ['wrong-type-list', { limit: 5 }, ['inspect', 'x.csv'], (f) => `odbadge: ${f}: "limit" must be a string or an array of strings, got 5; see odbadge inspect --help`],
    ['bad-choice', { format: 'xml' }, ['history'], (f) => `odbadge: ${f}: "format": "xml" is invalid: expected text or json; see odbadge history --help`],
    ['config-in-config', { config: 'other.json' }, ['history'], (f) => `odbadge: ${f}: "config" cannot be set in a config file; see odbadge history --help`],
    ['not-an-object', '["format"]', ['history'], (f) => `odbadge: ${f}: expected a JSON object of options, e.g. { "concurrency": 8 }; see odbadge history --help`],
  ];
  it.each(cases)('%s', async (name, config, args, line) => {
    const run = await project(name, config);
    usageError(await run(args), line(join(dir, name, 'odbadge.config.json')));
  });

  it('not JSON (the parser\'s own words vary with the Node version)', async () => {
    const run = await project('not-json', '{ "format": "json", }');
    const r = await run(['history']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^odbadge: ${join(dir, 'not-json', 'odbadge.config.json').replace(/[.]/g, '\\.')} is not valid JSON: [^\n]+; see odbadge history --help\n$`));
  });

  it('--config naming a file that does not exist', async () => {
    const run = await project('no-such', undefined);
    usageError(await run(['history', '--config', join(dir, 'nope.json')]), `odbadge: cannot read the config file ${join(dir, 'nope.json')}: no such file; see odbadge history --help`);
  });
});
