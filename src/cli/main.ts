#!/usr/bin/env node
// odbadge command line. A thin layer: parses arguments, calls the library, maps outcomes to exit codes.
import { Command, CommanderError } from 'commander';
import { ODBADGE_VERSION } from '../version.ts';
import { RulesetError } from '../score/ruleset.ts';
import { auditSpec } from './audit-command.ts';
import { formatInArgv, optionsOf, registerCommand, type CommandSpec, type Session } from './command.ts';
import { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { inspectSpec } from './inspect-command.ts';
import { awardsSpec } from './awards-command.ts';
import { ciSpec } from './ci-command.ts';
import { reportSpec } from './report-command.ts';
import { planSpec } from './plan-command.ts';
import { diffSpec } from './diff-command.ts';
import { historySpec } from './history-command.ts';
import { pruneSpec } from './prune-command.ts';
import { workerSpec } from './worker-command.ts';
import { longName } from './options.ts';
import { isEntryModule } from '../util/entry.ts';

// Each command lives in its own module and describes itself as a CommandSpec; adding a command is one line.
export const COMMANDS: CommandSpec[] = [auditSpec, inspectSpec, reportSpec, awardsSpec, ciSpec, planSpec, historySpec, diffSpec, pruneSpec, workerSpec];

/** Every command with its full name ('plan import'), parents first. */
export function allCommands(specs: CommandSpec[] = COMMANDS, prefix = ''): { name: string; spec: CommandSpec }[] {
  return specs.flatMap((s) => {
    const name = `${prefix}${s.name}`;
    return [{ name, spec: s }, ...allCommands(s.subcommands ?? [], `${name} `)];
  });
}

interface ParseFailure {
  command: string;
  message: string;
}

export function buildProgram(session: Session, onParseError: (f: ParseFailure) => void = () => {}): Command {
  const program = new Command('odbadge')
    .description('Checks government open data the way Taiwan\'s 資料開放金質獎 does: badges with evidence, agency scores.')
    .version(ODBADGE_VERSION)
    .exitOverride()
    // Options after a subcommand's name belong to it (`plan import x --format json` is import's --format).
    .enablePositionalOptions();
  for (const spec of COMMANDS) registerCommand(program, spec, session);
  // A parse error is reported by main() in the one usage style; commander only says what went wrong.
  const quiet = (cmd: Command, name: string) => {
    cmd.configureOutput({ outputError: (text) => onParseError({ command: name, message: text.replace(/^error: /, '').trim() }) });
    for (const sub of cmd.commands) quiet(sub, `${name} ${sub.name()}`);
  };
  quiet(program, 'odbadge');
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  let ctx: CliContext | undefined;
  let failure: ParseFailure | undefined;
  const commands = allCommands();
  const session: Session = {
    setExit: (c) => (code = c),
    setContext: (c) => (ctx = c),
    commandNames: commands.map((c) => `odbadge ${c.name}`),
    longNames: new Set(commands.flatMap((c) => optionsOf(c.spec).map(longName))),
  };
  const program = buildProgram(session, (f) => (failure = f));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      // Bare `odbadge` (or `odbadge plan`-like parents without a subcommand): the help went to stderr; a usage error.
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      const f = failure ?? { command: 'odbadge', message: e.message.replace(/^error: /, '') };
      return new CliContext(f.command, { format: formatInArgv(argv) }).usage(f.message);
    }
    ctx ??= new CliContext('odbadge', { format: formatInArgv(argv) });
    if (e instanceof RulesetError) return ctx.fail(EXIT.usage, e.message);
    return ctx.fail(EXIT.internal, `internal error: ${(e as Error)?.message ?? e} (a bug in odbadge)`, (e as Error)?.stack);
  }
}

// Started directly (`npm run odbadge`, `node dist/cli/main.js`). The installed command is bin/odbadge.cjs instead:
// it checks the Node version first — this module's imports (node:sqlite) fail on old Node before any code here
// runs — and then calls main() itself.
if (isEntryModule(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
