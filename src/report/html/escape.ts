// Escaping for the dashboard. Catalogue text (titles, agencies, evidence quoting server bodies) is hostile input.
import { stripControls } from '../../util/control-chars.ts';
import { jsonText } from '../../util/json-text.ts';

export function esc(s: unknown): string {
  // Control characters are not allowed in HTML text and would reach a terminal that shows the file.
  return stripControls(String(s ?? '')).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside <script type="application/json">: no "</script", no "<!--", no U+2028/2029 surprises. */
export function scriptJson(v: unknown): string {
  return jsonText(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A bilingual text node: zh-TW shown by default, the client swaps to `data-en` on the English switch. */
export function bi(zh: string, en: string): string {
  return `<span data-en="${esc(en)}">${esc(zh)}</span>`;
}
