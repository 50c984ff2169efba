// Award tables on fixture runs (fixtures/runs/awards-2024.json → awards-2025.json, built by test/report/run-builder.ts)
// and the formulas on the seed's worked example and real usage counts (seeds/mol-usage-2017.json).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/model.ts';
import {
  awardConfig, computeAwards, goldAward, goldWinners, improvementAward, popularityAward, popularityScore, publicVoteScore,
  rankByScore, rollUpAgencies, type PopularityCandidate,
} from '../../src/score/awards.ts';
import { groupOf, sectorOf } from '../../src/score/groups.ts';

const ROOT = resolve(__dirname, '../..');
const run = (name: string): AuditResult => JSON.parse(readFileSync(resolve(ROOT, 'fixtures/runs', name), 'utf8'));
const prev = run('awards-2024.json');
const cur = run('awards-2025.json');
const cfg = awardConfig({ groups: { threshold: 10 } });

describe('groups', () => {
  it('classifies local governments by name (台 and 臺 alike) and everything else as central', () => {
    for (const n of ['臺北市政府', '新北市政府', '台東縣政府', '宜蘭縣宜蘭市公所', '臺北市政府交通局', '某某縣政府']) expect(sectorOf(n), n).toBe('local');
    for (const n of ['勞動部', '勞動部勞工保險局', '行政院主計總處', '內政部營建署']) expect(sectorOf(n), n).toBe('central');
  });
  it('第一組 from the threshold up (inclusive), 第二組 below; the threshold is configurable', () => {
    expect(groupOf({ agency: '甲部', datasets: 100 }).division).toBe(1);
    expect(groupOf({ agency: '甲部', datasets: 99 }).division).toBe(2);
    expect(groupOf({ agency: '甲部', datasets: 10 }, cfg.groups).division).toBe(1);
  });
});

describe('金質獎', () => {
  const gold = goldAward(cur.agencies, cfg);
  const table = (id: string) => gold.find((g) => g.id === id)!.standings.map((s) => [s.agency, s.rank, s.prize]);

  it('ranks each of the four groups; top 3 of 第一組 and top 2 of 第二組 win', () => {
    expect(table('local-1')).toEqual([['新北市政府', 1, true], ['臺北市政府', 2, true], ['桃園市政府', 3, true]]);
    expect(table('local-2')).toEqual([['台東縣政府', 1, true], ['宜蘭縣政府', 2, true], ['宜蘭縣宜蘭市公所', 3, false]]);
  });
  it('a tie on the last prize place shares the rank and the prize (1-2-3-3-5)', () => {
    expect(table('central-1')).toEqual([['甲部', 1, true], ['乙部', 2, true], ['丁部', 3, true], ['丙部', 3, true], ['辛部', 5, false]]);
  });
  it('a tie at the top shares rank 1 and skips rank 2 (1-1-3-4)', () => {
    expect(table('central-2')).toEqual([['己部', 1, true], ['庚部', 1, true], ['壬部', 3, false], ['戊部', 4, false]]);
  });
  it('compares at the published precision: 89.99996 ties 90', () => {
    const r = rankByScore([{ n: 'a', s: 90 }, { n: 'b', s: 89.99996 }, { n: 'c', s: 89.994 }], (x) => x.s, (x) => x.n, 2);
    expect(r.map((x) => x.rank)).toEqual([1, 1, 3]);
  });
  it('rolls sub-agencies into their ministry when configured, recomputing the score', () => {
    const rolled = rollUpAgencies([
      { agency: '勞動部', datasets: 2, badges: { gold: 2, none: 0 }, bonusDatasets: 0, bonus: 0, score: 100 },
      { agency: '勞動部勞工保險局', datasets: 2, badges: { gold: 0, bronze: 2, none: 0 }, bonusDatasets: 1, bonus: 0.1, score: 30.1 },
    ], awardConfig({ rollUp: '^(.+?部)' }));
    expect(rolled).toEqual([{ agency: '勞動部', datasets: 4, badges: { gold: 2, bronze: 2, none: 0 }, bonusDatasets: 1, bonus: 0.1, score: 65.1 }]);
  });
});

describe('品質進步獎', () => {
  const winners = goldWinners(goldAward(cur.agencies, cfg));
  const imp = improvementAward(cur.agencies, prev.agencies, winners, cfg);
  it('awards a gain of 5 points or more (exactly 5 included)', () => {
    expect(imp.winners.map((w) => [w.agency, w.gain])).toEqual([['辛部', 10], ['壬部', 6], ['戊部', 5]]);
  });
  it('excludes agencies that won a 金質獎 group prize, and says so', () => {
    expect(imp.excluded.map((w) => [w.agency, w.gain, w.excluded])).toEqual([
      ['丙部', 10, 'group-prize-winner'], ['台東縣政府', 8, 'group-prize-winner'], ['乙部', 5.33, 'group-prize-winner'],
    ]);
  });
  it('an agency absent from the previous run cannot be compared', () => {
    expect(imp.newAgencies).toEqual(['桃園市政府']);
  });
  it('computeAwards without a previous run has no improvement table', () => {
    expect(computeAwards(cur, {}, cfg).improvement).toBeUndefined();
    expect(computeAwards(cur, { previous: prev }, cfg).improvement?.winners).toHaveLength(3);
  });
});

describe('應用獎 public vote', () => {
  it("the seed's worked example: N = 5 gives 20, 16, 12, 8, 4", () => {
    expect([1, 2, 3, 4, 5].map((r) => publicVoteScore(r, 5))).toEqual([20, 16, 12, 8, 4]);
  });
  it('N = 1 gives the full 20; N = 3 gives 20, 13.3333, 6.6667', () => {
    expect(publicVoteScore(1, 1)).toBe(20);
    expect([1, 2, 3].map((r) => publicVoteScore(r, 3))).toEqual([20, 13.3333, 6.6667]);
  });
  it('rejects a rank outside 1…N', () => {
    expect(() => publicVoteScore(6, 5)).toThrow(/rank must be a whole number from 1 to 5/);
    expect(() => publicVoteScore(1, 0)).toThrow(/entries/);
  });
});

describe('人氣獎 on the seed usage counts (勞動部, 562 datasets to 2017-10-30)', () => {
  const seed = JSON.parse(readFileSync(resolve(ROOT, 'seeds/mol-usage-2017.json'), 'utf8')) as {
    datasets: { no: number; title: string; agency: string; views: number; downloads: number }[];
    newDatasets: { title: string; agency: string }[];
  };
  const isNew = new Set(seed.newDatasets.map((d) => `${d.agency}|${d.title}`));
  // The 44 datasets of 附件二 opened after 2017-04-19: less than a year open on 2017-10-30. The others' opening
  // dates are not in the seed; a year before the meeting is assumed. Ratings are given (the seed has none).
  const candidates: PopularityCandidate[] = seed.datasets.map((d) => ({
    id: String(d.no), title: d.title, agency: d.agency, badge: 'gold', views: d.views, downloads: d.downloads,
    publishedAt: isNew.has(`${d.agency}|${d.title}`) ? '2017-06-01T00:00:00+08:00' : '2016-01-01T00:00:00+08:00',
    avgRating: d.no % 2 ? 4 : 3,
  }));
  const now = new Date('2017-10-30T00:00:00+08:00');
  const award = popularityAward(candidates, { now });

  it('the maxima are the busiest datasets of the platform', () => {
    // Seed 004 附件一, row 1 (勞工體格及健康檢查認可醫療機構) leads both columns.
    expect(award.maxViews).toBe(141_776);
    expect(award.maxDownloads).toBe(22_291);
  });
  it('30·views/max + 40·downloads/max + 30·rating/5, to 4 decimals', () => {
    // Row 2, 勞動部近10年勞動統計調查: 23,407 views, 2,199 downloads, rating 3 (even row):
    // 30 × 23407/141776 = 4.95295, 40 × 2199/22291 = 3.94599, 30 × 3/5 = 18 → 26.8989.
    expect(candidates[1]).toMatchObject({ title: '勞動部近10年勞動統計調查', views: 23_407, downloads: 2_199, avgRating: 3 });
    expect(popularityScore(candidates[1], award.maxViews, award.maxDownloads)).toBe(26.8989);
  });
  it('the top 10 winners, in order', () => {
    const winners = award.ranked.filter((e) => e.winner);
    expect(winners).toHaveLength(10);
    expect(winners.map((w) => `${w.title} ${w.score}`)).toMatchSnapshot();
    for (let i = 1; i < winners.length; i++) expect(winners[i].score).toBeLessThanOrEqual(winners[i - 1].score);
    const best = award.ranked[0];
    expect(best.title).toBe('勞工體格及健康檢查認可醫療機構');
  });
  it('datasets open less than a year are not eligible', () => {
    const young = award.ineligible.filter((e) => e.ineligible === 'open-less-than-min');
    expect(young.length).toBe(candidates.filter((c) => c.publishedAt!.startsWith('2017')).length);
    expect(young.length).toBeGreaterThan(0);
  });
  it('a previous three editions winner is excluded; a fourth-edition-ago winner is not', () => {
    const top = award.ranked[0];
    const again = popularityAward(candidates, { now, previousWinners: [[], [], [`${top.agency}|${top.title}`]] });
    expect(again.ineligible.find((e) => e.id === top.id)?.ineligible).toBe('won-in-previous-editions');
    const old = popularityAward(candidates, { now, previousWinners: [[], [], [], [top.id]] });
    expect(old.ranked[0].id).toBe(top.id);
  });
  it('only gold datasets compete, but the maxima stay the platform-wide ones', () => {
    const silver = candidates.map((c, i) => (i === 0 ? { ...c, badge: 'silver' } : c));
    const a = popularityAward(silver, { now });
    expect(a.ineligible.find((e) => e.id === candidates[0].id)?.ineligible).toBe('badge-below-required');
    expect(a.maxViews).toBe(award.maxViews);
  });
  it('ties share a rank', () => {
    const twins = [
      { id: 'a', title: 'A', agency: 'x', badge: 'gold', views: 10, downloads: 10, avgRating: 5 },
      { id: 'b', title: 'B', agency: 'x', badge: 'gold', views: 10, downloads: 10, avgRating: 5 },
      { id: 'c', title: 'C', agency: 'x', badge: 'gold', views: 5, downloads: 10, avgRating: 5 },
    ];
    expect(popularityAward(twins, { now }, awardConfig({ popularity: { top: 1 } })).ranked.map((e) => [e.id, e.rank, e.winner])).toEqual([['a', 1, true], ['b', 1, true], ['c', 3, false]]);
  });
});

describe('人氣獎 needs usage', () => {
  const now = new Date('2017-10-30T00:00:00+08:00');
  const opened = '2015-01-01T00:00:00+08:00';
  it('a dataset nobody viewed or downloaded never wins, whatever its rating', () => {
    const a = popularityAward([
      { id: 'used', title: 'U', agency: 'x', badge: 'gold', views: 3, downloads: 1, publishedAt: opened },
      { id: 'idle', title: 'I', agency: 'x', badge: 'gold', views: 0, downloads: 0, avgRating: 5, publishedAt: opened },
      { id: 'unknown', title: 'N', agency: 'x', badge: 'gold', publishedAt: opened },
    ], { now });
    expect(a.ranked.map((e) => [e.id, e.rank, e.winner])).toEqual([['used', 1, true]]);
    expect(a.ineligible.map((e) => [e.id, e.ineligible])).toEqual([['idle', 'no-usage'], ['unknown', 'no-usage']]);
  });
});
