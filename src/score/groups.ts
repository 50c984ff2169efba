// 金質獎 competition groups: central second-level agencies and local governments compete separately, each split
// into 第一組 (dataset count ≥ a threshold NDC sets yearly) and 第二組 (below). Pure and configurable: which names
// count as local government is a list of prefixes plus a pattern, never a hard-coded judgement in the ranking code.
import type { AgencyScore } from '../model.ts';

export type Sector = 'central' | 'local';
export type Division = 1 | 2;

export interface GroupConfig {
  /** Names starting with one of these (after 台→臺) are local governments: 臺北市政府, 宜蘭縣宜蘭市公所, … */
  localPrefixes: string[];
  /** Any other name matching this pattern is local too (e.g. a 縣政府/市政府 not in the list). */
  localPattern: string;
  /** 第一組 when an agency has at least this many datasets, else 第二組. NDC sets it yearly. */
  threshold: number;
}

/** The six special municipalities, then the counties and provincial cities (2014 onwards). */
export const LOCAL_GOVERNMENTS = [
  '臺北市', '新北市', '桃園市', '臺中市', '臺南市', '高雄市',
  '基隆市', '新竹市', '嘉義市', '新竹縣', '苗栗縣', '彰化縣', '南投縣', '雲林縣', '嘉義縣', '屏東縣',
  '宜蘭縣', '花蓮縣', '臺東縣', '澎湖縣', '金門縣', '連江縣',
];

export const DEFAULT_GROUP_CONFIG: GroupConfig = {
  localPrefixes: LOCAL_GOVERNMENTS,
  localPattern: '(縣|市)政府',
  threshold: 100,
};

export interface GroupKey {
  sector: Sector;
  division: Division;
}

export const GROUP_NAMES: Record<Sector, { zh: string; en: string }> = {
  central: { zh: '中央二級機關', en: 'Central agencies' },
  local: { zh: '地方政府', en: 'Local governments' },
};
export const DIVISION_NAMES: Record<Division, { zh: string; en: string }> = {
  1: { zh: '第一組', en: 'Group 1' },
  2: { zh: '第二組', en: 'Group 2' },
};

export function groupLabel(g: GroupKey, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `${GROUP_NAMES[g.sector].zh}${DIVISION_NAMES[g.division].zh}` : `${GROUP_NAMES[g.sector].en}, ${DIVISION_NAMES[g.division].en}`;
}

export function groupId(g: GroupKey): string {
  return `${g.sector}-${g.division}`;
}

const normalise = (name: string) => name.trim().replace(/台/g, '臺');

export function sectorOf(agency: string, cfg: GroupConfig = DEFAULT_GROUP_CONFIG): Sector {
  const n = normalise(agency);
  if (cfg.localPrefixes.some((p) => n.startsWith(normalise(p)))) return 'local';
  return cfg.localPattern && new RegExp(cfg.localPattern, 'u').test(n) ? 'local' : 'central';
}

export function groupOf(a: Pick<AgencyScore, 'agency' | 'datasets'>, cfg: GroupConfig = DEFAULT_GROUP_CONFIG): GroupKey {
  return { sector: sectorOf(a.agency, cfg), division: a.datasets >= cfg.threshold ? 1 : 2 };
}

/** Agencies split into the four groups, in the order 中央第一組, 中央第二組, 地方第一組, 地方第二組; empty groups kept. */
export function groupAgencies<T extends Pick<AgencyScore, 'agency' | 'datasets'>>(agencies: T[], cfg: GroupConfig = DEFAULT_GROUP_CONFIG): { group: GroupKey; agencies: T[] }[] {
  const groups: { group: GroupKey; agencies: T[] }[] = [];
  for (const sector of ['central', 'local'] as const) for (const division of [1, 2] as const) groups.push({ group: { sector, division }, agencies: [] });
  for (const a of agencies) {
    const g = groupOf(a, cfg);
    groups.find((x) => x.group.sector === g.sector && x.group.division === g.division)!.agencies.push(a);
  }
  return groups;
}
