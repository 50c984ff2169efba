// The 資料開放金質獎 award tables (seed 004, 2017 rule; badge-rules.md §2). Pure functions of audit results,
// previous results and configuration — no I/O, so every formula is unit-tested on the seed's worked examples.
//
// Tie rule (the rule text is silent, so we choose and document): scores are compared at the published precision
// (`tieDecimals`, 2 by default); equal scores share a rank and the next rank is skipped (standard competition
// ranking, 1-2-2-4). A prize goes to every agency whose rank is within the prize count, so a tie on the last
// prize place gives that place to every tied agency (top 3 may then name 4 winners). Listing order within a tie
// is by name, for deterministic output only.
import type { AuditResult } from '../model.ts';
import type { AgencyScore, DatasetResult } from '../model.ts';
import { DEFAULT_GROUP_CONFIG, groupAgencies, groupId, groupLabel, groupOf, type GroupConfig, type GroupKey } from './groups.ts';

export interface PopularityConfig {
  /** Winners: the first `top` ranks. */
  top: number;
  /** 開放達 1 年. */
  minOpenDays: number;
  requiredBadge: string;
  /** 排除前三屆曾獲獎之資料集. */
  excludeEditions: number;
  weights: { views: number; downloads: number; rating: number };
  ratingScale: number;
  /** Rating used when the platform's average rating is unknown. */
  defaultRating: number;
  /** The maxima are the platform's busiest dataset (「同期間於本平臺…最多之資料集」), i.e. over every candidate. */
  maxOver: 'all' | 'eligible';
  /** Whether a dataset whose opening date is unknown may compete. */
  unknownOpenDate: 'eligible' | 'ineligible';
}

export interface AwardConfig {
  groups: GroupConfig;
  /** 第一組 前3名, 第二組 前2名. */
  prizes: { 1: number; 2: number };
  tieDecimals: number;
  /** 品質進步獎: 金質獎總分比前次進步 5 分. */
  improvementMinGain: number;
  /** Regex whose first capture names the parent agency (e.g. "^(.+?部)" rolls 勞動部勞工保險局 into 勞動部); off by default. */
  rollUp?: string;
  /** Needed only to recompute rolled-up scores. */
  scoring: { weights: Record<string, number>; bonusPerDataset: number; bonusCap: number; scale: number };
  popularity: PopularityConfig;
  /** 應用獎 民眾網路票選: the full mark. */
  publicVoteMax: number;
}

export const DEFAULT_AWARD_CONFIG: AwardConfig = {
  groups: DEFAULT_GROUP_CONFIG,
  prizes: { 1: 3, 2: 2 },
  tieDecimals: 2,
  improvementMinGain: 5,
  scoring: { weights: { bronze: 0.3, silver: 0.6, gold: 1 }, bonusPerDataset: 0.1, bonusCap: 5, scale: 100 },
  popularity: {
    top: 10, minOpenDays: 365, requiredBadge: 'gold', excludeEditions: 3,
    weights: { views: 30, downloads: 40, rating: 30 }, ratingScale: 5, defaultRating: 0, maxOver: 'all', unknownOpenDate: 'eligible',
  },
  publicVoteMax: 20,
};

export function awardConfig(overrides: Partial<Omit<AwardConfig, 'groups' | 'popularity'>> & { groups?: Partial<GroupConfig>; popularity?: Partial<PopularityConfig> } = {}): AwardConfig {
  return {
    ...DEFAULT_AWARD_CONFIG,
    ...overrides,
    groups: { ...DEFAULT_AWARD_CONFIG.groups, ...overrides.groups },
    popularity: { ...DEFAULT_AWARD_CONFIG.popularity, ...overrides.popularity },
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Standard competition ranking (1-2-2-4) on a score compared at `decimals`; best first, ties listed by name. */
export function rankByScore<T>(items: T[], score: (t: T) => number, name: (t: T) => string, decimals: number): { item: T; rank: number }[] {
  const sorted = [...items].sort((a, b) => round(score(b), decimals) - round(score(a), decimals) || name(a).localeCompare(name(b), 'zh-Hant'));
  const out: { item: T; rank: number }[] = [];
  sorted.forEach((item, i) => {
    const prev = out[i - 1];
    out.push({ item, rank: prev && round(score(prev.item), decimals) === round(score(item), decimals) ? prev.rank : i + 1 });
  });
  return out;
}

// ---------------------------------------------------------------- 金質獎

export interface Standing {
  rank: number;
  agency: string;
  datasets: number;
  score: number;
  badges: Record<string, number>;
  prize: boolean;
}

export interface GroupStandings {
  id: string;
  group: GroupKey;
  label: { zh: string; en: string };
  prizes: number;
  standings: Standing[];
}

/** Rolls sub-agencies into their parent (badge counts add up; the score is recomputed by the 2017 formula). */
export function rollUpAgencies(agencies: AgencyScore[], cfg: AwardConfig): AgencyScore[] {
  if (!cfg.rollUp) return agencies;
  const re = new RegExp(cfg.rollUp, 'u');
  const by = new Map<string, AgencyScore>();
  for (const a of agencies) {
    const parent = re.exec(a.agency)?.[1] ?? a.agency;
    const acc = by.get(parent) ?? { agency: parent, datasets: 0, badges: {}, bonusDatasets: 0, bonus: 0, score: 0 };
    acc.datasets += a.datasets;
    acc.bonusDatasets += a.bonusDatasets;
    for (const [b, n] of Object.entries(a.badges)) acc.badges[b] = (acc.badges[b] ?? 0) + n;
    by.set(parent, acc);
  }
  const s = cfg.scoring;
  for (const a of by.values()) {
    const weighted = Object.entries(a.badges).reduce((sum, [b, n]) => sum + (s.weights[b] ?? 0) * n, 0);
    a.bonus = Math.min(s.bonusCap, round(a.bonusDatasets * s.bonusPerDataset, 4));
    a.score = round((a.datasets ? (weighted / a.datasets) * s.scale : 0) + a.bonus, 4);
  }
  return [...by.values()];
}

export function goldAward(agencies: AgencyScore[], cfg: AwardConfig = DEFAULT_AWARD_CONFIG): GroupStandings[] {
  return groupAgencies(rollUpAgencies(agencies, cfg), cfg.groups).map(({ group, agencies: members }) => {
    const prizes = cfg.prizes[group.division];
    return {
      id: groupId(group),
      group,
      label: { zh: groupLabel(group, 'zh'), en: groupLabel(group, 'en') },
      prizes,
      standings: rankByScore(members, (a) => a.score, (a) => a.agency, cfg.tieDecimals).map(({ item: a, rank }) => ({
        rank, agency: a.agency, datasets: a.datasets, score: a.score, badges: a.badges, prize: rank <= prizes,
      })),
    };
  });
}

export function goldWinners(standings: GroupStandings[]): Set<string> {
  return new Set(standings.flatMap((g) => g.standings.filter((s) => s.prize).map((s) => s.agency)));
}

// ---------------------------------------------------------------- 品質進步獎

export interface ImprovementEntry {
  agency: string;
  group: string;
  previous: number;
  current: number;
  gain: number;
  /** Set when the gain qualifies but the agency is not awarded. */
  excluded?: 'group-prize-winner';
}

export interface ImprovementAward {
  winners: ImprovementEntry[];
  /** Qualifying gains that are excluded (金質獎 group prize winners). */
  excluded: ImprovementEntry[];
  /** Agencies with no score in the previous run: cannot be compared. */
  newAgencies: string[];
}

/** 品質進步獎: gain ≥ minGain points over the previous run, at published precision; 金質獎 winners excluded. */
export function improvementAward(current: AgencyScore[], previous: AgencyScore[], winners: Set<string>, cfg: AwardConfig = DEFAULT_AWARD_CONFIG): ImprovementAward {
  const cur = rollUpAgencies(current, cfg);
  const prev = new Map(rollUpAgencies(previous, cfg).map((a) => [a.agency, a]));
  const qualifying: ImprovementEntry[] = [];
  const newAgencies: string[] = [];
  for (const a of cur) {
    const p = prev.get(a.agency);
    if (!p) {
      newAgencies.push(a.agency);
      continue;
    }
    const gain = round(round(a.score, cfg.tieDecimals) - round(p.score, cfg.tieDecimals), cfg.tieDecimals);
    if (gain < cfg.improvementMinGain) continue;
    const g = groupOf(a, cfg.groups);
    qualifying.push({ agency: a.agency, group: groupId(g), previous: p.score, current: a.score, gain, ...(winners.has(a.agency) ? { excluded: 'group-prize-winner' as const } : {}) });
  }
  qualifying.sort((x, y) => y.gain - x.gain || x.agency.localeCompare(y.agency, 'zh-Hant'));
  return { winners: qualifying.filter((q) => !q.excluded), excluded: qualifying.filter((q) => q.excluded), newAgencies };
}

// ---------------------------------------------------------------- 人氣獎

export interface PopularityCandidate {
  id: string;
  title: string;
  agency: string;
  badge: string;
  /** ISO 8601: when the dataset was first opened (上架日期). */
  publishedAt?: string;
  views?: number;
  downloads?: number;
  avgRating?: number;
}

/** Why a dataset cannot win 人氣獎; `no-usage`: no views and no downloads recorded (no usage data, or none used it). */
export type Ineligibility = 'badge-below-required' | 'open-less-than-min' | 'open-date-unknown' | 'won-in-previous-editions' | 'no-usage';

export interface PopularityEntry extends PopularityCandidate {
  score: number;
  rank?: number;
  winner: boolean;
  ineligible?: Ineligibility;
}

export interface PopularityAward {
  maxViews: number;
  maxDownloads: number;
  /** Eligible datasets by score, best first; `winner` marks the top `top` ranks. */
  ranked: PopularityEntry[];
  ineligible: PopularityEntry[];
}

/** Key used to recognise a dataset across editions: its id, or agency + title when ids changed. */
export const popularityKey = (d: { agency: string; title: string }) => `${d.agency}|${d.title}`;

export function popularityScore(c: PopularityCandidate, maxViews: number, maxDownloads: number, p: PopularityConfig = DEFAULT_AWARD_CONFIG.popularity): number {
  const v = maxViews > 0 ? (p.weights.views * (c.views ?? 0)) / maxViews : 0;
  const d = maxDownloads > 0 ? (p.weights.downloads * (c.downloads ?? 0)) / maxDownloads : 0;
  const r = (p.weights.rating * (c.avgRating ?? p.defaultRating)) / p.ratingScale;
  return round(v + d + r, 4);
}

/**
 * @param previousWinners winners of earlier editions, newest first; each edition lists dataset ids or
 *   `agency|title` keys. Only the first `excludeEditions` editions exclude.
 */
export function popularityAward(candidates: PopularityCandidate[], opts: { now: Date; previousWinners?: string[][] }, cfg: AwardConfig = DEFAULT_AWARD_CONFIG): PopularityAward {
  const p = cfg.popularity;
  const recent = new Set((opts.previousWinners ?? []).slice(0, p.excludeEditions).flat());
  const why = (c: PopularityCandidate): Ineligibility | undefined => {
    if (c.badge !== p.requiredBadge) return 'badge-below-required';
    if (recent.has(c.id) || recent.has(popularityKey(c))) return 'won-in-previous-editions';
    const opened = c.publishedAt ? Date.parse(c.publishedAt) : NaN;
    if (Number.isNaN(opened)) {
      if (p.unknownOpenDate !== 'eligible') return 'open-date-unknown';
    } else if (opts.now.getTime() - opened < p.minOpenDays * 86_400_000) return 'open-less-than-min';
    // A popularity prize for a dataset nobody viewed or downloaded (or whose use is unknown) would be noise.
    return (c.views ?? 0) + (c.downloads ?? 0) > 0 ? undefined : 'no-usage';
  };
  const judged = candidates.map((c) => ({ c, ineligible: why(c) }));
  const pool = p.maxOver === 'all' ? candidates : judged.filter((j) => !j.ineligible).map((j) => j.c);
  const maxViews = Math.max(0, ...pool.map((c) => c.views ?? 0));
  const maxDownloads = Math.max(0, ...pool.map((c) => c.downloads ?? 0));
  const entries = judged.map(({ c, ineligible }) => ({ ...c, score: popularityScore(c, maxViews, maxDownloads, p), winner: false, ...(ineligible ? { ineligible } : {}) }));
  const ranked = rankByScore(entries.filter((e) => !e.ineligible), (e) => e.score, (e) => e.title, 4).map(({ item, rank }) => ({ ...item, rank, winner: rank <= p.top }));
  return { maxViews, maxDownloads, ranked, ineligible: entries.filter((e) => e.ineligible) };
}

export interface UsageRecord {
  title: string;
  agency: string;
  views?: number;
  downloads?: number;
  avgRating?: number;
  publishedAt?: string;
}

/** Fields a later model may add to DatasetResult; read when present. */
type DatasetExtras = { publishedAt?: string; usage?: { views?: number; downloads?: number; avgRating?: number } };

/** Looks usage up by agency + title (the seed has no dataset ids), falling back to title alone when unique. */
export function usageLookup(records: UsageRecord[]): (d: { title: string; agency: string }) => UsageRecord | undefined {
  const byKey = new Map(records.map((r) => [popularityKey(r), r]));
  const byTitle = new Map<string, UsageRecord | null>();
  for (const r of records) byTitle.set(r.title, byTitle.has(r.title) ? null : r);
  return (d) => byKey.get(popularityKey(d)) ?? byTitle.get(d.title) ?? undefined;
}

export function popularityCandidates(datasets: DatasetResult[], usage: UsageRecord[] = []): PopularityCandidate[] {
  const find = usageLookup(usage);
  return datasets.map((d) => {
    const x = d as DatasetResult & DatasetExtras;
    const u = find(d);
    return {
      id: d.id, title: d.title, agency: d.agency, badge: d.badge,
      publishedAt: x.publishedAt ?? u?.publishedAt,
      views: x.usage?.views ?? u?.views, downloads: x.usage?.downloads ?? u?.downloads, avgRating: x.usage?.avgRating ?? u?.avgRating,
    };
  });
}

// ---------------------------------------------------------------- 應用獎 (public vote)

/** 分數 = (報名數量 − 名次 + 1) × 級距, 級距 = 20 / 報名數量. N = 5 gives 20, 16, 12, 8, 4. */
export function publicVoteScore(rank: number, entries: number, max = DEFAULT_AWARD_CONFIG.publicVoteMax): number {
  if (!Number.isInteger(entries) || entries < 1) throw new RangeError(`entries must be a whole number ≥ 1, got ${entries}`);
  if (!Number.isInteger(rank) || rank < 1 || rank > entries) throw new RangeError(`rank must be a whole number from 1 to ${entries}, got ${rank}`);
  return round(((entries - rank + 1) * max) / entries, 4);
}

// ---------------------------------------------------------------- everything

export interface AwardTables {
  ruleset: string;
  run: { startedAt: string; datasets: number };
  /** The 品質進步獎 baseline: which run the scores were compared with (runId when it came from the history store). */
  previousRun?: { startedAt: string; runId?: number; catalog?: string };
  config: AwardConfig;
  gold: GroupStandings[];
  improvement?: ImprovementAward;
  popularity: PopularityAward;
  publicVote: { entries: number; scores: number[] };
}

export function computeAwards(current: AuditResult, opts: { previous?: AuditResult; usage?: UsageRecord[]; previousPopularityWinners?: string[][]; now?: Date; publicVoteEntries?: number } = {}, cfg: AwardConfig = DEFAULT_AWARD_CONFIG): AwardTables {
  const gold = goldAward(current.agencies, cfg);
  const n = opts.publicVoteEntries ?? 5;
  return {
    ruleset: current.ruleset.id,
    run: { startedAt: current.startedAt, datasets: current.datasets.length },
    ...(opts.previous ? { previousRun: { startedAt: opts.previous.startedAt, ...(opts.previous.run ? { runId: opts.previous.run.id } : {}), ...(opts.previous.catalog?.source ? { catalog: opts.previous.catalog.source } : {}) } } : {}),
    config: cfg,
    gold,
    ...(opts.previous ? { improvement: improvementAward(current.agencies, opts.previous.agencies, goldWinners(gold), cfg) } : {}),
    popularity: popularityAward(popularityCandidates(current.datasets, opts.usage), { now: opts.now ?? new Date(current.startedAt), previousWinners: opts.previousPopularityWinners }, cfg),
    publicVote: { entries: n, scores: Array.from({ length: n }, (_, i) => publicVoteScore(i + 1, n, cfg.publicVoteMax)) },
  };
}
