// The contract between main.ts and a command module, and what happens between commander's parse and a command's
// code: the config file merged under the command line, --format and its aliases resolved, required options checked,
// ODBADGE_LIMITS and the distributed settings (ODBADGE_QUEUE_TIMING, ODBADGE_DB_RECONNECT_SECONDS) validated — each
// problem one usage line, the same for every command.
import { Option, type Command } from 'commander';
import { LIMITS_ENV, resolveLimits } from '../inspect/limits.ts';
import { queueTiming } from '../pipeline/distributed/queue-timing.ts';
import { reconnectWindowMs } from '../store/pg-reconnect.ts';
import { configOptions, ConfigError, discoverConfig, loadConfig } from './config.ts';
import { CliContext, type Format } from './context.ts';
import { attributeName, COMMON_OPTIONS, longName, type OptionDef } from './options.ts';
import { timingLine } from './verbose.ts';

export interface CommandSpec {
  /** The command's name under its parent ('audit'; 'import' under 'plan'). */
  name: string;
  description: string;
  /** Positional arguments: commander syntax ('<file|url>', '[runs...]') and a description. */
  args?: { syntax: string; description?: string }[];
  /** The command's own options; COMMON_OPTIONS are added to every command. */
  options: OptionDef[];
  run(args: string[], o: Record<string, unknown>, ctx: CliContext): Promise<number> | number;
  subcommands?: CommandSpec[];
  /** The command prints its own phase times with --verbose (audit, ci); others get one total. */
  timesItself?: true;
}

/** What main.ts hands each command: where its exit code goes and the context it last created (for errors). */
export interface Session {
  setExit(code: number): void;
  setContext(ctx: CliContext): void;
  /** Every command's full name ('plan import'), for the config file's "commands" section. */
  commandNames: string[];
  /** Every long option name of any command, so the config file's top level can hold another command's options. */
  longNames: Set<string>;
}

/** Every option a command has, as listed in its help: its own and the common ones. */
export function optionsOf(spec: CommandSpec): OptionDef[] {
  return [...spec.options, ...COMMON_OPTIONS];
}

/** The commander Option of a definition: help text with the default, and the same parser the config file uses. */
export function commanderOption(def: OptionDef): Option {
  const opt = new Option(def.flags, def.description + (def.defaultText ? ` (default: ${def.defaultText})` : ''));
  const parse = def.parse;
  if (def.kind === 'repeatable') opt.argParser((v: string, prev: unknown[] | undefined) => [...(prev ?? []), parse ? parse(v) : v]);
  else if (parse) opt.argParser((v: string) => parse(v));
  return opt;
}

/** Adds `spec` (and its subcommands) under `parent`. */
export function registerCommand(parent: Command, spec: CommandSpec, session: Session, prefix = 'odbadge'): Command {
  const fullName = `${prefix} ${spec.name}`;
  const cmd = parent.command(spec.name).description(spec.description);
  for (const a of spec.args ?? []) cmd.argument(a.syntax, a.description);
  for (const def of optionsOf(spec)) cmd.addOption(commanderOption(def));
  cmd.action(async (...actionArgs: unknown[]) => {
    const self = actionArgs.at(-1) as Command;
    const args = (self.processedArgs as unknown[]).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
    session.setExit(await invoke(spec, fullName, self, args, session));
  });
  for (const sub of spec.subcommands ?? []) registerCommand(cmd, sub, session, fullName);
  return cmd;
}

/** `--json` with `--format text` etc.: the format asked for by one source (the command line, or the config file). */
function formatFrom(cmd: Command, defs: OptionDef[], source: string): { format?: Format; conflict?: string } {
  const asked: [string, string][] = [];
  for (const def of defs) {
    const attr = attributeName(def);
    if (cmd.getOptionValueSource(attr) !== source) continue;
    const v = cmd.getOptionValue(attr);
    if (longName(def) === 'format') asked.push([`--format ${v}`, String(v)]);
    else if (def.aliasOf?.option === 'format' && v === true) asked.push([`--${longName(def)}`, def.aliasOf.value]);
  }
  if (new Set(asked.map(([, v]) => v)).size > 1) return { conflict: `${asked.map(([f]) => f).join(' and ')} ask for different output; give one` };
  return { format: asked[0]?.[1] as Format | undefined };
}

/** The format the raw command line asks for, before anything is parsed: for errors found while parsing it. */
export function formatInArgv(argv: readonly string[]): Format {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i] === '--json' || argv[i] === '--format=json' || (argv[i] === '--format' && argv[i + 1] === 'json')) return 'json';
  }
  return 'text';
}

async function invoke(spec: CommandSpec, fullName: string, cmd: Command, args: string[], session: Session): Promise<number> {
  const defs = optionsOf(spec);
  const cli = formatFrom(cmd, defs, 'cli');
  let ctx = new CliContext(fullName, { format: cli.format });
  session.setContext(ctx);
  if (cli.conflict) return ctx.usage(cli.conflict);
  // The config file: under the command line (an option given there keeps its value).
  const configOpt = cmd.getOptionValue('config') as string | false | undefined;
  const configPath = typeof configOpt === 'string' ? configOpt : configOpt === false ? undefined : discoverConfig();
  if (configPath) {
    try {
      const cfg = loadConfig(configPath, session.commandNames.map((n) => n.replace(/^odbadge /, '')));
      const name = fullName.replace(/^odbadge /, '');
      for (const [def, value] of configOptions(cfg, name, defs, session.longNames)) {
        const attr = attributeName(def);
        if (cmd.getOptionValueSource(attr) === 'cli') continue;
        cmd.setOptionValueWithSource(attr, def.kind === 'negated' ? !value : value, 'config');
      }
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return ctx.usage(e.message);
    }
  }
  const fromConfig = cli.format ? {} : formatFrom(cmd, defs, 'config');
  if (fromConfig.conflict) return ctx.usage(`the config file: ${fromConfig.conflict}`);
  const o = cmd.opts();
  ctx = new CliContext(fullName, { format: cli.format ?? fromConfig.format ?? 'text', quiet: o.quiet === true, verbose: o.verbose === true });
  session.setContext(ctx);
  if (o.quiet && o.verbose) return ctx.usage('--quiet and --verbose contradict each other; give one');
  for (const def of defs) {
    if (!def.required) continue;
    const attr = attributeName(def);
    const unless = typeof def.required === 'string' ? def.required : undefined;
    if (o[attr] === undefined && !(unless && o[unless] !== undefined && o[unless] !== false)) {
      return ctx.usage(`${fullName.replace(/^odbadge /, '')} needs --${longName(def)}${unless ? ` (or --${unless})` : ''}`);
    }
  }
  // The inspection limits every command may end up using: a bad ODBADGE_LIMITS is found now, not per resource.
  try {
    resolveLimits();
  } catch (e) {
    return ctx.usage(`${LIMITS_ENV}: ${(e as Error).message.replace(new RegExp(`^${LIMITS_ENV}: `), '')}`);
  }
  // So are the distributed audit's settings, before a database or a queue is touched.
  try {
    queueTiming();
    reconnectWindowMs();
  } catch (e) {
    return ctx.usage((e as Error).message);
  }
  const started = performance.now();
  const code = await spec.run(args, o, ctx);
  if (!spec.timesItself) ctx.detail(timingLine([[spec.name, performance.now() - started]]));
  return code;
}
