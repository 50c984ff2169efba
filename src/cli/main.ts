#!/usr/bin/env node
// odbadge command line. A thin layer: parses arguments, calls the library, maps outcomes to exit codes.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { ODBADGE_VERSION } from '../audit.ts';
import { RulesetError } from '../score/ruleset.ts';
import { auditCommand } from './audit-command.ts';
import { EXIT } from './exit-codes.ts';
import { inspectCommand } from './inspect-command.ts';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('odbadge')
    .description('Checks government open data the way Taiwan\'s 資料開放金質獎 does: badges with evidence, agency scores.')
    .version(ODBADGE_VERSION)
    .exitOverride()
    .showHelpAfterError();

  program
    .command('audit')
    .description('audit a data.gov.tw catalogue export: every dataset\'s badge with evidence, every agency\'s score')
    .requiredOption('--catalog <url|file>', 'data.gov.tw bulk export (URL or local CSV file)')
    .requiredOption('--out <dir>', 'directory for results.json, summary.csv and summary.md')
    .option('--ruleset <file>', 'ruleset JSON (default: rules/tw-ndc-2017.json)')
    .option('--agency <name>', 'only this agency (exact name; a trailing * matches by prefix, e.g. "勞動部*")')
    .option('--concurrency <n>', 'downloads in flight at once (default 32)', positiveInt)
    .option('--per-host <n>', 'downloads in flight per host (default 4)', positiveInt)
    .option('--allow-private-network', 'allow resource URLs on private, loopback and link-local addresses (tests, on-premises portals)')
    .option('--enrich [apiBase]', 'read per-resource metadata from the data.gov.tw API v2 (base URL; default: the catalogue URL\'s origin)')
    .option('--timeout <ms>', 'total time allowed per download (default 60000)', positiveInt)
    .option('--max-bytes <n>', 'bytes read per resource at most (default 50 MiB)', positiveInt)
    .option('--quiet', 'no progress and no summary on stdout')
    .action(async (o) => setExit(await auditCommand(o)));

  program
    .command('inspect')
    .description('inspect one resource (file or URL): detected format, encoding, fields, structural errors and verdicts')
    .argument('<file|url>')
    .option('--declared-format <f>', 'the declared 檔案格式')
    .option('--encoding <e>', 'the declared 編碼格式')
    .option('--fields <list>', 'the declared 主要欄位說明, e.g. "村名(name)、人口(population)"')
    .option('--openapi', 'validate the input as an OpenAPI document instead')
    .option('--json', 'print one JSON object')
    .option('--ruleset <file>', 'ruleset JSON (default: rules/tw-ndc-2017.json)')
    .option('--allow-private-network', 'allow a URL on a private or loopback address')
    .action(async (input, o) => setExit(await inspectCommand(input, o)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    if (err.code?.startsWith('commander.')) return EXIT.usage;
    if (e instanceof RulesetError) {
      process.stderr.write(`odbadge: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`odbadge: internal error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT.internal;
  }
}

function isEntry(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
