// The compact, JSON-embedded model the dashboard's script renders the dataset table and panels from.
import type { AuditResult } from '../../model.ts';
import type { DatasetResult } from '../../model.ts';
import { RULES } from '../../rules/index.ts';
import type { Ruleset } from '../../score/ruleset.ts';
import { evidenceIn, findingIn } from '../reader-lang.ts';

const clip = (s: string, n = 600) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export interface DashIndicator {
  id: string;
  v: string; // verdict
  e: string; // evidence in English (the message's, else the evidence)
  z?: string; // evidence in Chinese, when the result carries a message
  hz?: string; // hint zh
  he?: string; // hint en
}

export interface DashDataset {
  id: string;
  t: string; // title
  a: string; // agency
  b: string; // badge
  o: string | null; // official badge
  w: boolean; // whitelisted
  f: string[]; // detected formats
  x: string[]; // indicators not passing (fail / unsure)
  i: DashIndicator[];
  /** bad: [indicator, verdict, evidence en, evidence zh] */
  r: { u: string; s: string; f: string; bad: [string, string, string, string][] }[];
  n: [string, string][]; // catalogue findings: [zh, en]
}

export interface DashData {
  tiers: { id: string; zh: string; en: string }[];
  indicators: { id: string; zh: string; en: string }[];
  datasets: DashDataset[];
  /**
   * A portal's dashboard: the rows come from `<base>rows.js` and each chunk of `chunk` datasets' panels from
   * `<base>d<k>.js`, loaded by <script src> (a page opened from file:// may not fetch()); `datasets` is empty.
   */
  split?: { base: string; chunk: number; total: number };
}

export function indicatorOrder(rs: Ruleset): string[] {
  const ids = [...rs.gating.flat()];
  for (const t of rs.tiers) for (const i of t.indicators) if (!ids.includes(i)) ids.push(i);
  if (rs.bonus && !ids.includes(rs.bonus.indicator)) ids.push(rs.bonus.indicator);
  return ids;
}

export function datasetFormats(d: DatasetResult): string[] {
  return [...new Set(d.resources.map((r) => r.facts?.format ?? (r.fetch.kind === 'ok' ? 'unknown' : 'unreachable')))];
}

/** The dashboard's model of one dataset: its table row and the evidence panel's content. */
export function dashDataset(d: DatasetResult, ids: string[]): DashDataset {
  return {
    id: d.id, t: d.title, a: d.agency, b: d.badge, o: d.officialBadge ?? null, w: d.whitelisted,
    f: datasetFormats(d),
    x: ids.filter((id) => d.indicators[id] && (d.indicators[id].verdict === 'fail' || d.indicators[id].verdict === 'unsure')),
    i: ids.filter((id) => d.indicators[id]).map((id) => {
      const r = d.indicators[id];
      return { id, v: r.verdict, e: clip(evidenceIn(r, 'en')), ...(r.message ? { z: clip(r.message.zh) } : {}), ...(r.hint ? { hz: r.hint.zh, he: r.hint.en } : {}) };
    }),
    r: d.resources.slice(0, 20).map((r) => ({
      u: clip(r.url, 300),
      s: r.fetch.status ? `HTTP ${r.fetch.status}` : r.fetch.kind,
      f: r.facts?.format ?? '',
      bad: Object.entries(r.indicators).filter(([, v]) => v.verdict === 'fail' || v.verdict === 'unsure')
        .map(([id, v]) => [id, v.verdict, clip(evidenceIn(v, 'en'), 400), clip(evidenceIn(v, 'zh'), 400)] as [string, string, string, string]),
    })),
    n: d.findings.slice(0, 10).map((x) => [clip(`${x.code}: ${findingIn(x, 'zh')}`, 300), clip(`${x.code}: ${findingIn(x, 'en')}`, 300)] as [string, string]),
  };
}

/** A dataset's table row apart from its panel (a portal's dashboard loads the panels on demand). */
export function splitDashDataset(x: DashDataset): { row: DashRow; detail: DashDetail } {
  const { i, r, n, ...row } = x;
  return { row, detail: { i, r, n } };
}

export type DashRow = Omit<DashDataset, 'i' | 'r' | 'n'>;
export type DashDetail = Pick<DashDataset, 'i' | 'r' | 'n'>;

/** The labels the dashboard's script needs (tiers top down, indicators in gating order). */
export function dashMeta(rs: Ruleset): Omit<DashData, 'datasets'> {
  return {
    tiers: [...rs.tiers].reverse().map((t) => ({ id: t.id, zh: t.name.zh, en: t.name.en })),
    indicators: indicatorOrder(rs).map((id) => ({ id, zh: RULES.get(id)?.title.zh ?? id, en: RULES.get(id)?.title.en ?? id })),
  };
}

export function dashData(results: AuditResult, rs: Ruleset): DashData {
  const ids = indicatorOrder(rs);
  return { ...dashMeta(rs), datasets: results.datasets.map((d) => dashDataset(d, ids)) };
}
