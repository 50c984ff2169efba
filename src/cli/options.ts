// Every option of every command, as data: the one source of truth for option names, defaults and descriptions.
// Commander's help is built from it (options-commander.ts), the config file is checked against it (config.ts), and
// the README's option tables are compared with it by test/cli/option-tables.test.ts (options-readme.ts renders them).
import { InvalidArgumentError } from 'commander';
import { parseLimitAssignments, resolveLimits, type InspectLimits } from '../inspect/limits.ts';

/** How a value is given on the command line and in odbadge.config.json. */
export type OptionKind =
  /** A switch: `--quiet`; in the config `true` (or `false`: not set). */
  | 'flag'
  /** `--no-store`: turns a default off; in the config `"no-store": true`. */
  | 'negated'
  /** `--out <dir>`: one string (or number, for numeric options). */
  | 'value'
  /** `--enrich [apiBase]`: a switch or a value; in the config `true` or a string. */
  | 'optional-value'
  /** `--limit <name=value>`, repeatable; in the config a string or an array of strings. */
  | 'repeatable'
  /** `--previous <files...>`: one or more values; in the config a string or an array of strings. */
  | 'variadic';

export interface OptionDef {
  /** Commander flags: '--per-host <n>', '-q, --quiet', '--enrich [apiBase]', '--no-store'. */
  flags: string;
  /** One line, for `--help` and the README. */
  description: string;
  /** The default as a person reads it, shown in help and the README ("32", "rules/tw-ndc-2017.json"). */
  defaultText?: string;
  kind: OptionKind;
  /** Parses (and checks) one value given as text; throws InvalidArgumentError with a reason. Strings pass as given. */
  parse?: (value: string) => unknown;
  /** For a number option: the config file may give a JSON number (it is checked by `parse` all the same). */
  numeric?: boolean;
  /** Required unless the named condition holds; checked after the config file is merged (see required.ts). */
  required?: true | string;
  /** An alias of another option's value: `--json` is `--format json`. */
  aliasOf?: { option: string; value: string };
  /** Not accepted in odbadge.config.json (--config itself). */
  noConfig?: true;
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

export function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

export function nonNegativeNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0, e.g. 80');
  return n;
}

export function regex(v: string): string {
  try {
    new RegExp(v, 'u');
    return v;
  } catch (e) {
    throw new InvalidArgumentError(`not a valid regular expression: ${(e as Error).message}`);
  }
}

export function oneOf(...choices: string[]): (v: string) => string {
  return (v) => {
    if (!choices.includes(v)) throw new InvalidArgumentError(`expected ${choices.join(' or ')}`);
    return v;
  };
}

/** The long name of an option ('per-host', 'no-store'): its key in odbadge.config.json. */
export function longName(def: OptionDef): string {
  const m = /--([a-z0-9-]+)/.exec(def.flags);
  if (!m) throw new Error(`option without a long name: ${def.flags}`);
  return m[1];
}

/** The property commander stores the value under ('perHost'; 'store' for --no-store). */
export function attributeName(def: OptionDef): string {
  const name = def.kind === 'negated' ? longName(def).replace(/^no-/, '') : longName(def);
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// ---- Options shared by several commands -------------------------------------------------------------------------

/** On every command. */
export const COMMON_OPTIONS: OptionDef[] = [
  { flags: '-q, --quiet', kind: 'flag', description: 'print nothing but errors and warnings (JSON asked for with --format json is still printed)' },
  { flags: '-v, --verbose', kind: 'flag', description: 'more detail on stderr: for audit and ci a line per dataset and resource (outcome, size, time) instead of the progress bar, for inspect how the fetch went; and how long each phase took' },
  { flags: '--config <file>', kind: 'value', noConfig: true, description: 'read options from this JSON file', defaultText: './odbadge.config.json when present' },
  { flags: '--no-config', kind: 'negated', noConfig: true, description: 'ignore ./odbadge.config.json' },
];

const FORMAT_CHOICES = ['text', 'json'];

/** `--format text|json`, with `--json` as its alias where a command always had it. */
export function formatOptions(text: string, opts: { json?: boolean; markdown?: boolean } = {}): OptionDef[] {
  const out: OptionDef[] = [
    { flags: '--format <format>', kind: 'value', parse: oneOf(...FORMAT_CHOICES), defaultText: 'text', description: `text (${text}) or json` },
  ];
  if (opts.json) out.push({ flags: '--json', kind: 'flag', aliasOf: { option: 'format', value: 'json' }, description: 'the same as --format json' });
  if (opts.markdown) out.push({ flags: '--markdown', kind: 'flag', aliasOf: { option: 'format', value: 'text' }, description: 'the same as --format text' });
  return out;
}

export const DB_OPTION: OptionDef = {
  flags: '--db <file>', kind: 'value', description: 'the history store: an SQLite file, or a PostgreSQL URL (postgres://…)',
  defaultText: '$ODBADGE_DB, else $ODBADGE_HOME/odbadge.db, else $XDG_DATA_HOME/odbadge/odbadge.db, else ~/.local/share/odbadge/odbadge.db',
};

export const RULESET_OPTION: OptionDef = { flags: '--ruleset <file>', kind: 'value', description: 'ruleset JSON', defaultText: 'rules/tw-ndc-2017.json' };

export const LIMIT_OPTION: OptionDef = {
  flags: '--limit <name=value>', kind: 'repeatable',
  description: 'raise or lower an inspection limit, e.g. maxCellChars=4000000 (repeatable; over ODBADGE_LIMITS; see Inspection limits)',
};

/** The limits `--limit name=value` (repeatable) gives, checked over ODBADGE_LIMITS; throws RangeError naming the bad one. */
export function limitsFrom(limit: readonly string[] | undefined): Partial<InspectLimits> {
  const given = parseLimitAssignments((limit ?? []).join(','), '--limit');
  resolveLimits(given); // the values, and the environment variable under them, before anything is read
  return given;
}

export const ALLOW_PRIVATE_OPTION: OptionDef = {
  flags: '--allow-private-network', kind: 'flag',
  description: 'allow URLs on private, loopback and link-local addresses (refused by default, so a catalogue cannot turn odbadge into a probe of your own network)',
};

export const FAIL_ON_OPTION: OptionDef = {
  flags: '--fail-on <verdict>', kind: 'value', parse: oneOf('fail', 'unsure'), defaultText: 'fail',
  description: 'fail (exit 1) on failed verdicts only, or with "unsure" also on verdicts odbadge could not decide (time-outs, 5xx)',
};

/** Everything `audit` accepts, which `ci` accepts too. */
export const AUDIT_OPTIONS: OptionDef[] = [
  { flags: '--catalog <source>', kind: 'value', required: 'resume', description: 'a data.gov.tw bulk export (URL or file), ckan:<base>, or a local catalogue (local:<file>, .json, .csv) — required unless --resume' },
  RULESET_OPTION,
  { flags: '--agency <name>', kind: 'value', description: 'only this agency; a trailing * matches by prefix ("勞動部*" = the ministry and its agencies)' },
  { flags: '--concurrency <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '32', description: 'downloads in flight at once' },
  { flags: '--per-host <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '4', description: 'downloads in flight per host — polite to small government servers' },
  ALLOW_PRIVATE_OPTION,
  { flags: '--enrich [apiBase]', kind: 'optional-value', description: 'also read per-resource metadata (format, encoding, fields, OpenAPI URL) from data.gov.tw\'s API v2; the base defaults to the catalogue URL\'s origin' },
  { flags: '--timeout <ms>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '300000', description: 'total time per download attempt (a download still running then is reported, not retried)' },
  { flags: '--max-bytes <n>', kind: 'value', parse: positiveInt, numeric: true, defaultText: '52428800 (50 MiB)', description: 'bytes read per resource; larger files are judged on their first part' },
  { flags: '--min-speed <bytes/s>', kind: 'value', parse: nonNegativeInt, numeric: true, defaultText: '1024', description: 'a download receiving less than this over 30 s is cut as a time-out (0 = no minimum)' },
  { flags: '--usage <file>', kind: 'value', description: 'this catalogue\'s views and downloads (JSON), to weight what to fix first', defaultText: 'none' },
  LIMIT_OPTION,
  DB_OPTION,
  { flags: '--no-store', kind: 'negated', description: 'record nothing in the history store; download everything' },
  { flags: '--resume [runId]', kind: 'optional-value', description: 'continue an interrupted audit (the newest one, of --catalog when given); with --catalog and --out and nothing to resume, start it' },
  { flags: '--no-incremental', kind: 'negated', description: 'no conditional requests; download and inspect every resource again' },
  { flags: '--workers <n>', kind: 'value', parse: nonNegativeInt, numeric: true, defaultText: 'one per core', description: 'inspection threads (0 = inspect on the main thread); with --distributed, 0 = this process audits no dataset itself, only coordinates' },
  { flags: '--distributed', kind: 'flag', description: 'audit across machines: datasets become jobs on the PostgreSQL queue of --db postgres://… for `odbadge worker` processes anywhere; this process audits some too unless --workers 0 (see Audits across machines)' },
  { flags: '--jsonl', kind: 'flag', description: 'also write results.jsonl beside results.json: one dataset per line, for tools that read a portal line by line' },
];

/** The README's order of commands, and the heading each table sits under. */
export const DOCUMENTED_COMMANDS = ['audit', 'ci', 'inspect', 'report', 'awards', 'plan', 'plan import', 'history', 'diff', 'prune', 'worker'] as const;
