// CSV reports for spreadsheets: one table per file (agencies, datasets, fix-first), through the one CSV writer
// (UTF-8 with BOM, CRLF, formula-like cells defused: titles and evidence come from catalogues and hostile servers).
import type { AuditResult, DatasetResult } from '../model.ts';
import type { GroupConfig } from '../score/groups.ts';
import { DEFAULT_GROUP_CONFIG, groupLabel, groupOf } from '../score/groups.ts';
import { toCsv } from '../util/csv.ts';
import type { Lang } from '../messages/index.ts';
import type { AgencyFixes, FixItem } from './fix-first.ts';
import { evidenceIn, readerLang } from './reader-lang.ts';

export function agenciesCsv(results: Pick<AuditResult, 'agencies'>, tierIds: string[], groups: GroupConfig = DEFAULT_GROUP_CONFIG): string {
  const tiers = [...tierIds].reverse();
  return toCsv([
    ['agency', 'group', 'datasets', ...tiers, 'none', 'bonusDatasets', 'bonus', 'score'],
    ...results.agencies.map((a) => [a.agency, groupLabel(groupOf(a, groups), 'zh'), a.datasets, ...tiers.map((t) => a.badges[t] ?? 0), a.badges.none ?? 0, a.bonusDatasets, a.bonus, a.score.toFixed(2)]),
  ]);
}

export function datasetsCsvHeader(indicatorIds: string[]): string[] {
  return ['id', 'title', 'agency', 'badge', 'officialBadge', 'whitelisted', 'formats', 'failing', ...indicatorIds, 'evidence'];
}

/** `lang`: the language of the evidence column (the reader's: zh-TW unless ODBADGE_LANG=en). */
export function datasetsCsvCells(d: DatasetResult, indicatorIds: string[], lang: Lang = readerLang()): unknown[] {
  const failing = indicatorIds.filter((id) => d.indicators[id] && d.indicators[id].verdict !== 'pass' && d.indicators[id].verdict !== 'not-evaluated');
  return [
    d.id, d.title, d.agency, d.badge, d.officialBadge ?? '', d.whitelisted, [...new Set(d.resources.map((r) => r.facts?.format ?? '?'))].join(';'),
    failing.join(';'), ...indicatorIds.map((id) => d.indicators[id]?.verdict ?? ''),
    failing.map((id) => `${id}: ${evidenceIn(d.indicators[id], lang)}`).join(' | '),
  ];
}

export function datasetsCsv(results: AuditResult, indicatorIds: string[], lang: Lang = readerLang()): string {
  return toCsv([datasetsCsvHeader(indicatorIds), ...results.datasets.map((d) => datasetsCsvCells(d, indicatorIds, lang))]);
}

export const FIX_FIRST_CSV_HEADER = ['agency', 'rank', 'datasetId', 'title', 'from', 'to', 'points', 'priority', 'views', 'downloads', 'fix', 'evidence', 'hint'];

/** One fix's row: `rank` is its place in its agency's list (1-based). */
export function fixFirstCsvCells(agency: string, rank: number, f: FixItem, lang: Lang = readerLang()): unknown[] {
  return [
    agency, rank, f.datasetId, f.title, f.from, f.to + (f.mayGoFurther ? '+' : ''), f.points.toFixed(2), f.priority.toFixed(2), f.usage?.views ?? '', f.usage?.downloads ?? '',
    f.fixes.map((s) => s.indicator).join(';'), f.fixes.map((s) => `${s.indicator}: ${evidenceIn(s, lang)}`).join(' | '), f.fixes.find((s) => s.hint)?.hint?.[lang] ?? '',
  ];
}

export function fixFirstCsv(fixes: AgencyFixes[], lang: Lang = readerLang()): string {
  const rows: unknown[][] = [FIX_FIRST_CSV_HEADER];
  for (const a of fixes) a.fixes.forEach((f, i) => rows.push(fixFirstCsvCells(a.agency, i + 1, f, lang)));
  return toCsv(rows);
}
