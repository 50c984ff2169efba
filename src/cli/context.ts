// What one command invocation prints, and where: the one place that knows --format, --quiet and --verbose.
//  - stdout carries the command's result: text (nothing with --quiet), or one JSON object with --format json;
//  - stderr carries messages: information (nothing with --quiet), detail (only with --verbose), warnings and
//    errors (always);
//  - an error is one line on stderr, `odbadge: <message>`, and with --format json also `{ "error": { code,
//    message } }` on stdout, so a script reading stdout always gets one JSON object. The exit code is the same.
import { jsonText } from '../util/json-text.ts';
import { EXIT } from './exit-codes.ts';
import { print, warn } from './terminal.ts';

export type Format = 'text' | 'json';

/** The `code` of a JSON error: the name of its exit code (see exit-codes.ts). */
export function errorCodeOf(exit: number): string {
  const hit = Object.entries(EXIT).find(([, v]) => v === exit);
  return hit ? hit[0] : 'error';
}

export class CliContext {
  /** `odbadge audit`, `odbadge plan import`: what usage errors point to (`see … --help`). */
  readonly command: string;
  readonly format: Format;
  readonly quiet: boolean;
  readonly verbose: boolean;

  constructor(command: string, o: { format?: Format; quiet?: boolean; verbose?: boolean } = {}) {
    this.command = command;
    this.format = o.format ?? 'text';
    this.quiet = !!o.quiet;
    this.verbose = !!o.verbose && !o.quiet;
  }

  get json(): boolean {
    return this.format === 'json';
  }

  /** The command's text result on stdout; nothing with --quiet (or in JSON mode: that prints `result` instead). */
  text(text: string): void {
    if (!this.quiet && !this.json) print(text);
  }

  /** The command's JSON result on stdout, printed even with --quiet: it was asked for. */
  result(value: unknown): void {
    print(jsonText(value, 2) + '\n');
  }

  /** A message on stderr ("Wrote …", "Recorded as run …"); nothing with --quiet. */
  info(text: string): void {
    if (!this.quiet) warn(text);
  }

  /** Detail on stderr with --verbose only. */
  detail(text: string): void {
    if (this.verbose) warn(text);
  }

  /**
   * A message that is shown even with --quiet because it says the command did something other than asked or how to
   * continue it: "starting a new audit" (nothing to resume), "Stopping…", the --resume hint.
   */
  notice(text: string): void {
    warn(text);
  }

  /** Something probably wrong that did not stop the command: always on stderr, even with --quiet. */
  warning(message: string): void {
    warn(`odbadge: warning: ${message}\n`);
  }

  /**
   * An error: one line on stderr (and the JSON error on stdout in JSON mode). Returns `exit` for `return ctx.fail(…)`.
   * `trace` (an internal error's stack) follows the line on stderr.
   */
  fail(exit: number, message: string, trace?: string): number {
    const line = message.replace(/\s*\n\s*/g, ' ').trim();
    warn(`odbadge: ${line}\n${trace ? `${trace}\n` : ''}`);
    if (this.json) this.result({ error: { code: errorCodeOf(exit), message: line } });
    return exit;
  }

  /** A usage error: the one style of every command — one line pointing at the command's help, exit 2. */
  usage(message: string): number {
    return this.fail(EXIT.usage, `${message.replace(/\.$/, '')}; see ${this.command} --help`);
  }
}
