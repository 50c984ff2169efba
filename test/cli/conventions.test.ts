// The CLI conventions every command follows (issue 11): one usage-error style — one line naming the command's help,
// exit 2, nothing on stdout — whoever found the error (commander, the config file, the command); bare `odbadge`;
// contradicting output options; JSON errors on stdout with the exit code unchanged; -q/-v; ODBADGE_LIMITS checked
// when a command starts.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, odbadge, runProgram } from '../helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-conventions-'));
});

/** Exit 2, nothing on stdout, exactly `line` on stderr. */
function usageError(r: { code: number; stdout: string; stderr: string }, line: string) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`${line}\n`);
}

describe('usage errors: one line pointing at the command\'s help, exit 2, in every command', () => {
  it.each([
    ['audit'], ['ci'], ['inspect', 'x.csv'], ['report'], ['awards'], ['plan'], ['plan', 'import', 'x.txt'], ['history'], ['diff'], ['prune'],
  ])('an unknown option: %s', async (...cmd) => {
    const r = await odbadge([...cmd, '--bogus']);
    usageError(r, `odbadge: unknown option '--bogus'; see odbadge ${cmd.filter((c) => !c.includes('.')).join(' ')} --help`);
  });

  it('a missing required option: report, awards, prune, ci, audit (was commander\'s error and the whole help)', async () => {
    usageError(await odbadge(['report', '--out', dir]), 'odbadge: report needs --results <file> or --run <id>; see odbadge report --help');
    usageError(await odbadge(['awards']), 'odbadge: awards needs --results; see odbadge awards --help');
    usageError(await odbadge(['prune']), 'odbadge: prune needs --keep; see odbadge prune --help');
    usageError(await odbadge(['ci']), 'odbadge: ci needs --catalog (or --resume); see odbadge ci --help');
    usageError(await odbadge(['audit', '--catalog', 'x.csv']), 'odbadge: audit needs --out (or --resume); see odbadge audit --help');
  });

  it('a bad value, named with the option', async () => {
    usageError(await odbadge(['prune', '--keep', 'all']), 'odbadge: option \'--keep <n>\' argument \'all\' is invalid. expected a whole number ≥ 1; see odbadge prune --help');
    usageError(await odbadge(['history', '--format', 'xml']), 'odbadge: option \'--format <format>\' argument \'xml\' is invalid. expected text or json; see odbadge history --help');
  });

  it('bare odbadge prints the help on stderr and exits 2; --help prints it on stdout and exits 0', async () => {
    const bare = await odbadge([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^Usage: odbadge \[options\] \[command\]/);
    expect(bare.stderr).toContain('inspect [options] <file|url|->');
    const help = await odbadge(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: odbadge/);
    usageError(await odbadge(['audits']), 'odbadge: unknown command \'audits\' (Did you mean audit?); see odbadge --help');
  });

  it('contradicting output options are a usage error (diff --markdown --json silently picked one)', async () => {
    usageError(await odbadge(['diff', '--markdown', '--json']), 'odbadge: --json and --markdown ask for different output; give one; see odbadge diff --help');
    usageError(await odbadge(['inspect', 'x.csv', '--format', 'text', '--json']), 'odbadge: --format text and --json ask for different output; give one; see odbadge inspect --help');
    usageError(await odbadge(['history', '-q', '-v']), 'odbadge: --quiet and --verbose contradict each other; give one; see odbadge history --help');
  });
});

describe('errors in JSON mode: { "error": { code, message } } on stdout, the line on stderr, the exit code unchanged', () => {
  it('a store that cannot be read: exit 3, code "input"', async () => {
    const r = await odbadge(['history', '--db', join(dir, 'none.db'), '--format', 'json']);
    expect(r.code).toBe(3);
    const message = `no history store at ${join(dir, 'none.db')} (run an audit first, or choose one with --db)`;
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'input', message } });
    expect(r.stderr).toBe(`odbadge: ${message}\n`);
  });

  it('a usage error found while parsing the command line: exit 2, code "usage"', async () => {
    const r = await odbadge(['audit', '--json-please', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'usage', message: 'unknown option \'--json-please\'; see odbadge audit --help' } });
  });

  it('inspect --json of a missing file: exit 3', async () => {
    const r = await odbadge(['inspect', join(dir, 'missing.csv'), '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'input', message: `cannot read ${join(dir, 'missing.csv')}: no such file` } });
  });

  it('the same errors in text mode print nothing on stdout', async () => {
    const r = await odbadge(['history', '--db', join(dir, 'none.db')]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
});

describe('ODBADGE_LIMITS is checked when any command starts', () => {
  const withLimits = (value: string, args: string[]) => runProgram(process.execPath, [CLI, ...args], { env: { ...process.env, ODBADGE_LIMITS: value } });

  it('an unknown limit or a bad value is a usage error for every command, not a failure of each resource', async () => {
    const csv = join(dir, 'ok.csv');
    await writeFile(csv, '村名,人口\n大安里,1200\n');
    for (const args of [['inspect', csv], ['history', '--db', join(dir, 'none.db')], ['audit', '--catalog', csv, '--out', join(dir, 'never')]]) {
      const r = await withLimits('maxCellChars=10,maxCells=0', args);
      usageError(r, `odbadge: ODBADGE_LIMITS: limit maxCells must be a positive number, got 0; see odbadge ${args[0]} --help`);
    }
    const unknown = await withLimits('maxCelChars=10', ['inspect', csv]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^odbadge: ODBADGE_LIMITS: unknown limit "maxCelChars" \(known: maxCellChars, .*\); see odbadge inspect --help\n$/);
  });

  it('a good value still applies (the file is judged under it)', async () => {
    const csv = join(dir, 'wide.csv');
    await writeFile(csv, 'a,b,c\n1,2,3\n');
    const r = await withLimits('maxColumns=2', ['inspect', csv, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).limits.map((h: { name: string }) => h.name)).toEqual(['maxColumns']);
  });
});

describe('the distributed settings are checked when any command starts', () => {
  const withEnv = (env: Record<string, string>, args: string[]) => runProgram(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  // A database that is not there: the settings are refused before it is asked for (else this would be exit 3).
  const db = `postgres://odbadge@/none?host=${encodeURIComponent(join(tmpdir(), 'no-such-socket-dir'))}`;

  it('ODBADGE_QUEUE_TIMING that is not JSON, names an unknown setting or a heartbeat under 10 s: one usage line, exit 2', async () => {
    const cases: [string, string][] = [
      ['{heartbeat', 'odbadge: ODBADGE_QUEUE_TIMING must be a JSON object such as {"heartbeatSeconds":10}, not "{heartbeat"; see odbadge worker --help'],
      ['{"heartbeat":10}', 'odbadge: ODBADGE_QUEUE_TIMING: unknown setting "heartbeat" (known: heartbeatSeconds, monitorIntervalSeconds, retryLimit, retryDelay, pollingIntervalSeconds, hostLeaseSeconds); see odbadge worker --help'],
      ['{"heartbeatSeconds":5}', "odbadge: ODBADGE_QUEUE_TIMING: heartbeatSeconds must be 10 or more (pg-boss's least), not 5; see odbadge worker --help"],
      ['{"retryLimit":"2"}', 'odbadge: ODBADGE_QUEUE_TIMING: retryLimit must be a number of 0 or more, not "2"; see odbadge worker --help'],
    ];
    for (const [value, line] of cases) usageError(await withEnv({ ODBADGE_QUEUE_TIMING: value }, ['worker', '--db', db]), line);
  });

  it('ODBADGE_DB_RECONNECT_SECONDS that is not a number of seconds: one usage line, exit 2', async () => {
    for (const value of ['five', '-1']) {
      usageError(await withEnv({ ODBADGE_DB_RECONNECT_SECONDS: value }, ['history', '--db', db]),
        `odbadge: ODBADGE_DB_RECONNECT_SECONDS must be a number of seconds (0 or more), not "${value}"; see odbadge history --help`);
    }
    // A good value passes the check: the missing database is what stops the command then.
    expect((await withEnv({ ODBADGE_DB_RECONNECT_SECONDS: '30' }, ['history', '--db', db])).code).toBe(3);
  });
});
