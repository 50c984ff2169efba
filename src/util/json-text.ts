// JSON as odbadge writes it to files and stdout. JSON.stringify escapes C0 controls but passes C1 controls (U+0080–
// U+009F, e.g. U+009B, an 8-bit CSI) through raw; they are escaped here too, so no JSON output carries a raw
// control character to the terminal or editor that shows it. The data is unchanged: `\u009b` parses back to it.
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
