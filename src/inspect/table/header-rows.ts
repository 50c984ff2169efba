// Where the header of a table with a title above it is. The official checker wants one header row on the first line;
// a table that starts with a title line ("臺北市各區人口統計") gets `title-row` findings naming the rows odbadge believes
// hold the header, which may be several: 人口 over 男 / 女 is a header spread over two rows, each too sparse to look
// like a header alone, and the first dense row below them is data, not the header.

import { headerRows } from '../../messages/index.ts';

export interface LeadingRow {
  /** Physical row number (1-based). */
  row: number;
  /** Non-empty cells. */
  filled: number;
  /** Non-empty cells that hold numbers. */
  numeric: number;
}

export interface HeaderLocation {
  /** Indexes (into the rows given) of the single-value title lines above the header. */
  titles: number[];
  /** Index range of the header rows, inclusive. */
  from: number;
  to: number;
}

/**
 * Finds the title lines and the header rows among the leading rows of a table `width` cells wide, or undefined when
 * the first row holds two values or more (it is the header) or no row below looks like a header.
 */
export function locateHeader(rows: readonly LeadingRow[], width: number): HeaderLocation | undefined {
  if (rows.length < 2 || rows[0].filled >= 2) return undefined;
  const need = Math.max(2, Math.ceil(width * 0.6));
  const dense = rows.findIndex((r) => r.filled >= need);
  if (dense < 0) return undefined;
  // Text-only rows of two or more labels above the first dense row (blank rows between them aside) are header rows too.
  let from = dense;
  for (let i = dense - 1; i > 0; i--) {
    if (rows[i].filled === 0) continue;
    if (rows[i].filled < 2 || rows[i].numeric > 0) break;
    from = i;
  }
  // The dense row is the header's last row unless it holds numbers below a header block: then it is data.
  let to = dense;
  if (from < dense && rows[dense].numeric > 0) {
    to = dense - 1;
    while (rows[to].filled === 0) to--;
  }
  // Below a dense header, a row of sub-labels (男 / 女 under 人口) continues it when numbers follow it.
  if (to === dense) {
    for (let i = dense + 1; i < rows.length; i++) {
      if (rows[i].filled === 0) continue;
      const next = rows.slice(i + 1).find((r) => r.filled > 0);
      if (rows[i].numeric === 0 && rows[i].filled >= 2 && next && next.numeric > 0) to = i;
      break;
    }
  }
  const titles: number[] = [];
  for (let i = 0; i < from; i++) if (rows[i].filled === 1) titles.push(i);
  return { titles, from, to };
}

/** "row 5", or "rows 3–4 (a header spread over 2 rows)". */
export function describeHeaderRows(rows: readonly LeadingRow[], at: HeaderLocation): string {
  return headerRows(headerRowsOf(rows, at), false);
}

/** Where the header is, as message parameters: its first and last physical rows and how many rows it spans. */
export function headerRowsOf(rows: readonly LeadingRow[], at: HeaderLocation): { headerFrom: number; headerTo: number; headerRows: number } {
  return { headerFrom: rows[at.from].row, headerTo: rows[at.to].row, headerRows: at.to - at.from + 1 };
}
