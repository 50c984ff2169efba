// Finds the first syntax error in a JSON text and says what was expected there.
// JSON.parse tells us *whether* a body is valid, but its messages differ between engines and versions, so the
// position and wording come from this scanner instead. It follows RFC 8259 exactly as JSON.parse does, uses an
// explicit stack (a 100,000-deep `[[[[` cannot overflow the call stack) and does one linear pass.

import { describeCharAt, lineColumnAt } from './json-position.ts';

export interface JsonSyntaxError {
  /** Character offset (UTF-16 code units) into the scanned text. */
  offset: number;
  message: string;
}

type State = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after';

const STRING_BODY = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_TAIL = /[0-9A-Za-z.+\-]/;
const ESCAPES = '"\\/bfnrtu';
const HEX4 = /^[0-9A-Fa-f]{4}$/;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Scans `text[start, end)` and returns the first syntax error, or null when it is one valid JSON value
 * surrounded only by JSON whitespace. Offsets in the result are absolute (relative to `text`).
 */
export function locateJsonError(text: string, start = 0, end = text.length): JsonSyntaxError | null {
  const openers: number[] = []; // offsets of '[' / '{' still open
  let state: State = 'value';
  let commaAt = -1; // offset of the comma that put us in 'value'/'key', for trailing-comma messages
  let i = start;
  const where = (offset: number): string => {
    const p = lineColumnAt(text, offset);
    return `line ${p.line}, column ${p.column}`;
  };
  const fail = (offset: number, message: string): JsonSyntaxError => ({ offset, message });

  while (true) {
    while (i < end && isWs(text.charCodeAt(i))) i++;
    if (i >= end) {
      if (openers.length === 0 && state === 'after') return null;
      if (openers.length === 0) return fail(i, 'Unexpected end of input: no JSON value found');
      const top = openers[openers.length - 1];
      const kind = text[top] === '[' ? 'array' : 'object';
      return fail(
        i,
        `Unexpected end of input: the ${kind} opened at ${where(top)} is never closed` +
          (openers.length > 1 ? ` (${openers.length} containers left open; the body may be truncated)` : ''),
      );
    }
    const c = text[i];
    switch (state) {
      case 'value':
      case 'value-or-close': {
        if (c === ']' && state === 'value-or-close') {
          openers.pop();
          state = 'after';
          i++;
          break;
        }
        if (c === '{') {
          openers.push(i);
          state = 'key-or-close';
          i++;
          break;
        }
        if (c === '[') {
          openers.push(i);
          state = 'value-or-close';
          i++;
          break;
        }
        if (c === '"') {
          const r = scanString(text, i, end, where);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'after';
          break;
        }
        if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          const len = m && m.index === i ? Math.min(m[0].length, end - i) : 0;
          const next = i + len;
          if (len === 0 || len === 1 && c === '-' || (next < end && NUMBER_TAIL.test(text[next]))) {
            let stop = next;
            while (stop < end && stop - i < 40 && NUMBER_TAIL.test(text[stop])) stop++;
            return fail(i, `Invalid number '${text.slice(i, Math.max(stop, i + 1))}' (JSON numbers have no leading zeros, '+', hex or trailing '.')`);
          }
          i = next;
          state = 'after';
          break;
        }
        const lit = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : '';
        if (lit !== '' && text.startsWith(lit, i) && i + lit.length <= end) {
          i += lit.length;
          state = 'after';
          break;
        }
        if ((c === ']' || c === '}') && commaAt >= 0) {
          return fail(commaAt, `Trailing comma before '${c}' at ${where(i)}: JSON does not allow a comma after the last item`);
        }
        return fail(i, `Unexpected ${describeCharAt(text, i)}: expected a value (string in double quotes, number, object, array, true, false or null)`);
      }
      case 'key':
      case 'key-or-close': {
        if (c === '}' && state === 'key-or-close') {
          openers.pop();
          state = 'after';
          i++;
          break;
        }
        if (c === '"') {
          const r = scanString(text, i, end, where);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'colon';
          break;
        }
        if (c === '}' && commaAt >= 0) {
          return fail(commaAt, `Trailing comma before '}' at ${where(i)}: JSON does not allow a comma after the last member`);
        }
        return fail(i, `Unexpected ${describeCharAt(text, i)}: expected a member name in double quotes`);
      }
      case 'colon': {
        if (c === ':') {
          state = 'value';
          commaAt = -1;
          i++;
          break;
        }
        return fail(i, `Unexpected ${describeCharAt(text, i)}: expected ':' after the member name`);
      }
      case 'after': {
        if (openers.length === 0) {
          return fail(i, `Unexpected ${describeCharAt(text, i)} after the end of the JSON value (only one top-level value is allowed)`);
        }
        const top = openers[openers.length - 1];
        const inArray = text[top] === '[';
        if (c === ',') {
          commaAt = i;
          state = inArray ? 'value' : 'key';
          i++;
          break;
        }
        if ((c === ']' && inArray) || (c === '}' && !inArray)) {
          openers.pop();
          state = 'after';
          i++;
          break;
        }
        const closer = inArray ? ']' : '}';
        return fail(
          i,
          `Unexpected ${describeCharAt(text, i)}: expected ',' or '${closer}' in the ${inArray ? 'array' : 'object'} opened at ${where(top)}`,
        );
      }
    }
    // A value or opener just completed without a comma in between.
    if (state !== 'value' && state !== 'key') commaAt = -1;
  }
}

/** Returns the offset just past the closing quote, or the error. `i` is at the opening quote. */
function scanString(
  text: string,
  i: number,
  end: number,
  where: (offset: number) => string,
): number | JsonSyntaxError {
  let j = i + 1;
  while (true) {
    STRING_BODY.lastIndex = j;
    const m = STRING_BODY.exec(text);
    if (m) j = Math.min(j + m[0].length, end);
    if (j >= end) {
      return { offset: i, message: `Unterminated string starting at ${where(i)}: the closing '"' is missing` };
    }
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x5c) {
      const e = text[j + 1];
      if (j + 1 >= end) {
        return { offset: i, message: `Unterminated string starting at ${where(i)}: the closing '"' is missing` };
      }
      if (!ESCAPES.includes(e)) {
        return { offset: j, message: `Invalid escape '\\${e}' in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)` };
      }
      if (e === 'u') {
        const hex = text.slice(j + 2, Math.min(j + 6, end));
        if (!HEX4.test(hex)) return { offset: j, message: `Invalid unicode escape '\\u${hex}': four hex digits required` };
        j += 6;
      } else {
        j += 2;
      }
      continue;
    }
    // c < 0x20: a raw control character
    const name = c === 0x0a ? ' (a raw line break; strings cannot span lines)' : c === 0x09 ? ' (a raw tab; write \\t)' : '';
    return {
      offset: j,
      message: `Unescaped control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in a string${name}`,
    };
  }
}
