// odbadge.config.json: any long option of any command by its name, so a project can keep its audit settings beside
// its data (as .lycheerc, .eslintrc or linkinator.config.json do). The command line wins over the file.
//
//   {
//     "allow-private-network": true,            ← applies to every command that has the option
//     "concurrency": 8,
//     "commands": {                             ← applies to one command only (over the top level)
//       "ci": { "min-badge": "gold", "junit": "reports/junit.xml" },
//       "plan import": { "format": "json" }
//     }
//   }
//
// Where: `--config <file>`, else ./odbadge.config.json in the current directory — nowhere else (not the parent
// directories, not the home directory: a config belongs to a project, and a CI job runs in the project's root).
// `--no-config` ignores it. Paths in it are relative to the current directory, as on the command line. An unknown
// key, a value of the wrong type or a value the option rejects is a usage error (exit 2) naming the file and key.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { longName, type OptionDef } from './options.ts';

export const CONFIG_FILE = 'odbadge.config.json';

/** A problem with the config file: a usage error. */
export class ConfigError extends Error {}

export interface LoadedConfig {
  path: string;
  /** Top-level options, and each command's section. */
  top: Record<string, unknown>;
  commands: Record<string, Record<string, unknown>>;
}

/** ./odbadge.config.json when it exists (a directory of that name is an error, not "absent"). */
export function discoverConfig(cwd = process.cwd()): string | undefined {
  const p = resolve(cwd, CONFIG_FILE);
  try {
    statSync(p);
    return p;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function loadConfig(path: string, knownCommands: readonly string[]): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new ConfigError(`${path}: expected a JSON object of options, e.g. { "concurrency": 8 }`);
  const { commands = {}, $schema: _schema, ...top } = json;
  if (!isObject(commands)) throw new ConfigError(`${path}: "commands" must be an object of command sections, e.g. { "ci": { "min-badge": "gold" } }`);
  for (const name of Object.keys(commands)) {
    if (!knownCommands.includes(name)) throw new ConfigError(`${path}: unknown command "${name}" under "commands" (known: ${knownCommands.join(', ')})`);
    if (!isObject(commands[name])) throw new ConfigError(`${path}: commands.${name} must be an object of options`);
  }
  return { path, top, commands: commands as Record<string, Record<string, unknown>> };
}

/** A config value as the option's value, checked as the command line would check it. Throws ConfigError. */
function configValue(def: OptionDef, key: string, v: unknown, where: string): unknown {
  const wrong = (expected: string) => new ConfigError(`${where}: "${key}" must be ${expected}, got ${JSON.stringify(v)}`);
  const parse = (s: string) => {
    try {
      return def.parse ? def.parse(s) : s;
    } catch (e) {
      throw new ConfigError(`${where}: "${key}": ${JSON.stringify(v)} is invalid: ${(e as Error).message}`);
    }
  };
  const scalar = (x: unknown, expected: string) => {
    if (typeof x === 'string') return parse(x);
    if (typeof x === 'number' && def.numeric) return parse(String(x));
    throw wrong(expected);
  };
  switch (def.kind) {
    case 'flag':
    case 'negated':
      if (typeof v !== 'boolean') throw wrong('true or false');
      return v;
    case 'value':
      return scalar(v, def.numeric ? 'a number' : 'a string');
    case 'optional-value':
      if (v === true) return true;
      return scalar(v, 'true or a string');
    case 'repeatable':
    case 'variadic': {
      const list = Array.isArray(v) ? v : [v];
      if (!list.length || !list.every((x) => typeof x === 'string')) throw wrong('a string or an array of strings');
      return list.map((x) => parse(x as string));
    }
  }
}

/**
 * The options the config file gives `command`: long name → value (already parsed), the command's section over the top
 * level. Unknown keys are errors: at the top level, a key no command has; in a section, a key that command lacks.
 */
export function configOptions(cfg: LoadedConfig, command: string, defs: readonly OptionDef[], allLongNames: ReadonlySet<string>): Map<OptionDef, unknown> {
  const byName = new Map(defs.filter((d) => !d.noConfig).map((d) => [longName(d), d]));
  const out = new Map<OptionDef, unknown>();
  const take = (entries: Record<string, unknown>, where: string, strict: boolean) => {
    for (const [key, v] of Object.entries(entries)) {
      const def = byName.get(key);
      if (!def) {
        if (key === 'config' || key === 'no-config') throw new ConfigError(`${where}: "${key}" cannot be set in a config file`);
        if (strict || !allLongNames.has(key)) {
          const hint = key.startsWith('-') ? ` (write the option's name without dashes: "${key.replace(/^-+/, '')}")` : '';
          throw new ConfigError(`${where}: unknown option "${key}"${strict ? ` for ${command}` : ''}${hint}`);
        }
        continue; // another command's option
      }
      const value = configValue(def, key, v, where);
      if ((def.kind === 'flag' || def.kind === 'negated') && value === false) out.delete(def);
      else out.set(def, value);
    }
  };
  take(cfg.top, cfg.path, false);
  const section = cfg.commands[command];
  if (section) take(section, `${cfg.path} (commands.${command})`, true);
  return out;
}
