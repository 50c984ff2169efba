// Importer for a Taiwan agency's list of datasets planned for release (seed 003): a tab-separated table with
// 序號, 資料集名稱, 資料集概述, 預計開放年月 (ROC calendar: 104年8月, 105/1, 105年1月1日, 105), 管理單位; the header
// repeats on every page, and the list sits at the end of meeting minutes (prose before it is ignored).
import { parsePlanDate } from './dates.ts';
import type { Plan, PlanProblem, PlanRow } from './plan.ts';
import { formatsIn, stripAlias, unwrapCell } from './text.ts';

export function looksLikeTwList(text: string): boolean {
  return /(資料集名稱|资料集名称)/.test(text) && /(預計開放|预计开放|開放年月|开放年月)/.test(text);
}

interface Columns {
  no: number;
  name: number;
  summary: number;
  date: number;
  unit: number;
  frequency: number;
}

function columnsOf(cells: string[]): Columns | undefined {
  const find = (re: RegExp) => cells.findIndex((c) => re.test(c.trim()));
  const cols = {
    no: find(/^(序號|序号|編號|编号|項次|#)$/),
    name: find(/(資料集名稱|资料集名称)/),
    summary: find(/(概述|描述|說明|说明)/),
    date: find(/(預計開放|预计开放|開放年月|开放年月|開放日期|开放日期)/),
    unit: find(/(管理單位|管理单位|提供機關|提供机关|業管單位|业管单位)/),
    frequency: find(/(更新頻率|更新频率)/),
  };
  return cols.name >= 0 && cols.date >= 0 ? { ...cols, no: cols.no >= 0 ? cols.no : 0 } : undefined;
}

export function importTwList(text: string, opts: { agency?: string; source?: string } = {}): Plan {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // "勞動部政府資料開放諮詢小組104年第1次會議決議擬開放資料集" names the ministry; the minutes say only 本部.
  const agency = opts.agency ?? stripAlias(/^\s*(?!本)(\S+?(部|署|會|会|局|院|府|處|处))\s*政府資料開放諮詢小組/m.exec(text)?.[1] ?? '');
  const title = lines.map((l) => l.trim()).find((l) => /(擬開放|拟开放|規劃開放|规划开放|預計開放|预计开放)資料集$/.test(l));
  const rows: PlanRow[] = [];
  const problems: PlanProblem[] = [];
  let cols: Columns | undefined;
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.includes('\t')) return;
    const cells = raw.split('\t');
    const header = columnsOf(cells);
    if (header) {
      cols = header;
      return;
    }
    if (!cols) return; // a tab line before the list (none in the seeds): not part of the table
    if (!/^\s*\d+\s*[.．]?\s*$/.test(cells[cols.no] ?? '')) {
      if (cells.some((c) => c.trim())) problems.push({ line, text: raw, reason: 'a table line without a row number' });
      return;
    }
    const name = unwrapCell(cells[cols.name] ?? '');
    const dateText = unwrapCell(cells[cols.date] ?? '');
    const summary = cols.summary >= 0 ? unwrapCell(cells[cols.summary] ?? '') : '';
    const unit = cols.unit >= 0 ? unwrapCell(cells[cols.unit] ?? '') : '';
    const d = parsePlanDate(dateText);
    if (!name) problems.push({ line, text: raw, reason: 'no dataset name' });
    if (!d) problems.push({ line, text: raw, reason: `date "${dateText}" is not a ROC or Western year-month` });
    if (!name) return;
    rows.push({
      section: 'planned',
      number: Number(cells[cols.no].replace(/\D/g, '')),
      name,
      ...(unit ? { agency: unit } : {}),
      date: d?.date ?? null,
      ...(d && d.precision !== 'month' ? { datePrecision: d.precision } : {}),
      dateText,
      frequency: cols.frequency >= 0 ? unwrapCell(cells[cols.frequency] ?? '') : '',
      formats: formatsIn(summary),
      remarks: summary,
      line,
    });
  });
  return { agency, ...(title ? { title } : {}), ...(opts.source ? { source: opts.source } : {}), layout: 'tw-list', rows, problems };
}
