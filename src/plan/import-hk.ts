// Importer for Hong Kong departments' annual open data plans as text (seeds 000–002): sections A–D, tab-separated
// tables with columns #, 名稱, 目標發放日期/發放日期 (MM/YYYY), 更新頻率, 備註. The layouts vary: "#" or an empty
// first header cell, "1" or "1.", markdown "####" before headings, repeated headers, cells wrapped onto the next
// line, 不適用 or "/" rows for empty sections, Traditional or Simplified Chinese.
import { parsePlanDate } from './dates.ts';
import type { Plan, PlanProblem, PlanRow } from './plan.ts';
import { formatsIn, joinWrapped, NOT_APPLICABLE, stripAlias, unwrapCell } from './text.ts';

const SECTION = /^[#\s]*([A-DＡ-Ｄ])[.．、]\s*(.+)$/;
const SUB_ORG = /^[#\s]*[(（](\d+)[)）]\s*(.+)$/;
const HEADER = /(名稱|名称)/;
const HEADER2 = /(更新頻率|更新频率|發放日期|发放日期)/;
const ROW_NO = /^\s*(\d+)\s*[.．]?\s*$/;
const PLACEHOLDER_ORG = /^(機構名稱|机构名称)$/;

export function looksLikeHkPlan(text: string): boolean {
  return /(開放數據計劃|开放数据计划|資料一線通|资料一线通)/.test(text) && /^[#\s]*[A-D][.．]\s/m.test(text);
}

/** "社會福利 / 少數族裔外展隊名單" → category 社會福利, name 少數族裔外展隊名單 (split at the first slash only). */
function splitName(cell: string): { category?: string; name: string } {
  const m = /^([^/／]{1,20}?)\s*[/／]\s*(.+)$/.exec(cell);
  return m ? { category: unwrapCell(m[1]), name: unwrapCell(m[2]) } : { name: unwrapCell(cell) };
}

export function importHkPlan(text: string, opts: { agency?: string; source?: string } = {}): Plan {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const nonEmpty = lines.map((l) => l.trim()).filter(Boolean);
  const agency = opts.agency ?? stripAlias(nonEmpty[0] ?? '');
  const title = nonEmpty[1] && !SECTION.test(nonEmpty[1]) ? nonEmpty[1] : undefined;
  const rows: PlanRow[] = [];
  const problems: PlanProblem[] = [];
  const notApplicable = new Set<string>();
  let section: string | undefined;
  let org: string | undefined;
  // raw cells of the row being assembled, so a wrapped continuation line can be appended cell by cell
  let open: { cells: string[]; line: number; text: string } | undefined;

  const close = () => {
    if (!open) return;
    const { cells, line } = open;
    const [no, nameCell = '', dateCell = '', freq = '', remarks = ''] = cells;
    open = undefined;
    if (NOT_APPLICABLE.test(unwrapCell(nameCell)) || (!nameCell.trim() && !dateCell.trim())) {
      notApplicable.add(section ?? '?');
      return;
    }
    const { category, name } = splitName(nameCell);
    const dateText = unwrapCell(dateCell);
    const d = parsePlanDate(dateText);
    if (!d) problems.push({ line, text: lines[line - 1], reason: `date "${dateText}" is not MM/YYYY` });
    const rem = unwrapCell(remarks);
    rows.push({
      section: section ?? '?',
      number: Number(ROW_NO.exec(no)?.[1] ?? 0),
      name,
      ...(category ? { category } : {}),
      ...(org ? { agency: org } : {}),
      date: d?.date ?? null,
      ...(d && d.precision !== 'month' ? { datePrecision: d.precision } : {}),
      dateText,
      frequency: unwrapCell(freq),
      formats: formatsIn(rem),
      remarks: rem,
      line,
    });
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (!t) return; // blank lines never end a row: wrapped cells sometimes follow one
    const sec = SECTION.exec(t);
    if (sec && !raw.includes('\t')) {
      close();
      section = sec[1].normalize('NFKC');
      org = undefined;
      return;
    }
    const sub = SUB_ORG.exec(t);
    if (sub && !raw.includes('\t')) {
      close();
      const name = stripAlias(sub[2]);
      org = PLACEHOLDER_ORG.test(name) ? undefined : name;
      return;
    }
    if (!raw.includes('\t')) {
      close(); // a heading, a footer (agency, date) or prose: the table ends here
      return;
    }
    const cells = raw.split('\t');
    if (HEADER.test(raw) && HEADER2.test(raw)) {
      close();
      return;
    }
    if (ROW_NO.test(cells[0])) {
      close();
      open = { cells: cells.slice(0, 5), line, text: raw };
      if (cells.length > 5 && cells.slice(5).some((c) => c.trim())) {
        open.cells[4] = [open.cells[4], ...cells.slice(5)].join(' '); // stray tabs inside 備註
      }
      return;
    }
    if (!cells[0].trim()) {
      const rest = cells.slice(1).map((c) => c.trim());
      if (rest.every((c) => !c || NOT_APPLICABLE.test(c))) {
        close();
        if (section) notApplicable.add(section);
        return;
      }
      if (open) {
        // a wrapped continuation: append each cell to the row above
        for (let c = 1; c < Math.min(cells.length, 5); c++) open.cells[c] = joinWrapped(open.cells[c] ?? '', cells[c].trim());
        return;
      }
    }
    close();
    problems.push({ line, text: raw, reason: 'a table line that is neither a header, a numbered row nor a continuation' });
  });
  close();
  return {
    agency,
    ...(title ? { title } : {}),
    ...(opts.source ? { source: opts.source } : {}),
    layout: 'hk-plan',
    notApplicable: [...notApplicable].sort(),
    rows,
    problems,
  };
}
