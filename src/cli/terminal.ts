// Everything odbadge prints goes through here. Titles, agencies, evidence and error messages quote catalogues and
// servers: escape sequences in them must not reach the terminal (ESC ]0;… retitles it, ESC [2J clears it, a CR
// overwrites the line), and a URL secret in them must not reach a CI log.
import { stripControls } from '../util/control-chars.ts';
import { redactText } from '../util/redact.ts';

/** Text as it may be shown on a terminal: URL secrets masked, escape sequences and control characters removed. */
export function terminalText(text: string): string {
  return stripControls(redactText(text));
}

/** Writes to stdout (results, tables, JSON). */
export function print(text: string): void {
  process.stdout.write(terminalText(text));
}

/** Writes to stderr (progress, messages, errors). */
export function warn(text: string): void {
  process.stderr.write(terminalText(text));
}
