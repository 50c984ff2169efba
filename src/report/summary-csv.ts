// summary.csv: one row per dataset, for spreadsheets, through the one CSV writer (UTF-8 with BOM so Excel on zh-TW
// Windows opens it correctly; formula-like titles such as =HYPERLINK(…) defused). Rows come one dataset at a time.
import type { AuditResult, DatasetResult } from '../model.ts';
import type { Lang } from '../messages/index.ts';
import { toCsv } from '../util/csv.ts';
import { evidenceIn, readerLang } from './reader-lang.ts';

export function summaryCsvHeader(indicatorIds: string[]): string[] {
  return ['id', 'title', 'agency', 'badge', 'officialBadge', 'whitelisted', 'bonus', 'resources', ...indicatorIds, 'firstProblem'];
}

/** `lang`: the language of the firstProblem column (the reader's: zh-TW unless ODBADGE_LANG=en). */
export function summaryCsvCells(d: DatasetResult, indicatorIds: string[], lang: Lang = readerLang()): unknown[] {
  const problem = indicatorIds.map((id) => [id, d.indicators[id]] as const).find(([, r]) => r && r.verdict !== 'pass');
  return [
    d.id, d.title, d.agency, d.badge, d.officialBadge ?? '', d.whitelisted, d.bonus, d.resources.length,
    ...indicatorIds.map((id) => d.indicators[id]?.verdict ?? ''),
    problem ? `${problem[0]}: ${evidenceIn(problem[1], lang)}` : '',
  ];
}

export function summaryCsv(results: AuditResult, indicatorIds: string[], lang: Lang = readerLang()): string {
  return toCsv([summaryCsvHeader(indicatorIds), ...results.datasets.map((d) => summaryCsvCells(d, indicatorIds, lang))]);
}
