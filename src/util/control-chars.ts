// The one sanitiser for text a server or a catalogue controls (titles, agencies, evidence quoting a body, error
// messages) on its way to a terminal or into a text file: escape sequences would let it retitle the terminal
// (ESC ]0;…), clear it (ESC [2J), hide lines (CR, backspace) or plant hyperlinks; in a report they are noise.
import { stripVTControlCharacters } from 'node:util';

/** String sequences (OSC, DCS, SOS, PM, APC) up to their terminator (BEL or ST), or the end of the line. */
const STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\n]*?(?:\u0007|\u001b\\|\u009c|(?=\n)|$)/g;
/** Every C0 control but tab and newline, DEL, and every C1 control. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** C0/C1 controls with tab and newlines too: for a single-line field (a table cell, a CSV cell). */
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `text` without terminal escape sequences and control characters; newlines and tabs are kept unless
 * `singleLine` (then they become spaces, so a table cell stays one cell).
 */
export function stripControls(text: string, o: { singleLine?: boolean } = {}): string {
  // Fast path: most text has no control character at all.
  if (!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text) && !(o.singleLine && /[\t\n]/.test(text))) return text;
  const t = stripVTControlCharacters(text.replace(STRING_SEQUENCE, ''));
  return o.singleLine ? t.replace(/\r\n|[\r\n\t]/g, ' ').replace(CONTROL_OR_BREAK, '') : t.replace(/\r\n/g, '\n').replace(CONTROL, '');
}

/**
 * `text` with every control character written as a `\uXXXX` escape (and `\` as `\\`): nothing raw reaches a file or
 * a terminal that shows it, and unlike stripControls two different texts never become the same (for keyed columns).
 */
export function escapeControls(text: string): string {
  if (!/[\\\u0000-\u001f\u007f-\u009f]/.test(text)) return text;
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\\' ? '\\\\' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
