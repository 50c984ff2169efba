// The one Markdown escaper, for catalogue and server text in every Markdown odbadge writes (summary.md, report.md,
// the CI summary, awards.md, the diff, plan reports): a pipe or a line break would split a table row, raw HTML
// would render (a <script>, an <img> tracking pixel in a pull-request comment), link and emphasis syntax would
// turn a title into a link or bold text, and control characters would reach the terminal that prints it.
import { stripControls } from './control-chars.ts';

/** Text safe inside a Markdown paragraph, list item or table cell: one line, no markup. */
export function mdEscape(s: unknown): string {
  return stripControls(String(s ?? ''), { singleLine: true })
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_`[\]])/g, '\\$1');
}
