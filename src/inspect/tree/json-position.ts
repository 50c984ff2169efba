// Turns a character offset into the line/column a person sees in an editor.
// Shared by the JSON and XML inspectors so both count lines the same way.

export interface TextPosition {
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units from the start of the line */
  column: number;
}

/**
 * Line and column of `offset` in `text`. A line ends at "\n", "\r\n" or a lone "\r" (old Mac exports),
 * so a CRLF file does not count every line twice. Offsets past the end clamp to the end.
 */
export function lineColumnAt(text: string, offset: number): TextPosition {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13 && text.charCodeAt(i + 1) !== 10) {
      // a lone CR ends a line; in CRLF the LF does the counting
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** A short, printable rendering of the character at `offset`, for error messages. */
export function describeCharAt(text: string, offset: number): string {
  if (offset >= text.length) return 'end of input';
  const cp = text.codePointAt(offset) ?? 0;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0xfeff || cp === 0x2028 || cp === 0x2029) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return ch === "'" ? `"'"` : `'${ch}'`;
}
