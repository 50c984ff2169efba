#!/usr/bin/env node
// odbadge command line. A thin layer: parses arguments, calls the library, maps outcomes to exit codes.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { ODBADGE_VERSION } from '../version.ts';
import { RulesetError } from '../score/ruleset.ts';
import { registerAudit } from './audit-command.ts';
import type { RegisterCommand } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { registerInspect } from './inspect-command.ts';
import { registerAwards } from './awards-command.ts';
import { registerCi } from './ci-command.ts';
import { registerReport } from './report-command.ts';
import { registerPlan } from './plan-command.ts';
import { registerDiff } from './diff-command.ts';
import { registerHistory } from './history-command.ts';
import { registerPrune } from './prune-command.ts';
import { warn } from './terminal.ts';

// Each command lives in its own module and registers itself here; adding a command is one line.
const COMMANDS: RegisterCommand[] = [registerAudit, registerInspect, registerReport, registerAwards, registerCi, registerPlan, registerHistory, registerDiff, registerPrune];

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('odbadge')
    .description('Checks government open data the way Taiwan\'s 資料開放金質獎 does: badges with evidence, agency scores.')
    .version(ODBADGE_VERSION)
    .exitOverride()
    .showHelpAfterError();

  for (const register of COMMANDS) register(program, setExit);
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
      warn(`odbadge: ${e.message}\n`);
      return EXIT.usage;
    }
    warn(`odbadge: internal error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT.internal;
  }
}

// Started directly (`npm run odbadge`, `node dist/cli/main.js`). The installed command is bin/odbadge.cjs instead:
// it checks the Node version first — this module's imports (node:sqlite) fail on old Node before any code here
// runs — and then calls main() itself.
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
