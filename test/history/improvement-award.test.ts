// 品質進步獎 as a pure function: ≥ 5 points over the previous run at published precision, prize winners excluded.
import { describe, expect, it } from 'vitest';
import type { AgencyScore } from '../../src/model.ts';
import { awardConfig, improvementAward } from '../../src/score/awards.ts';

const a = (agency: string, score: number): AgencyScore => ({ agency, datasets: 10, badges: {}, bonusDatasets: 0, bonus: 0, score });
const none = new Set<string>();

describe('品質進步獎', () => {
  it('exactly +5 wins; +4.99 does not', () => {
    const r = improvementAward([a('甲', 65), a('乙', 64.99)], [a('甲', 60), a('乙', 60)], none);
    expect(r.winners).toEqual([expect.objectContaining({ agency: '甲', previous: 60, current: 65, gain: 5 })]);
  });

  it('compares at 2 decimals: 80.004 → 85.004 is +5.00; 80.006 → 85.004 is +4.99', () => {
    expect(improvementAward([a('甲', 85.004)], [a('甲', 80.004)], none).winners).toHaveLength(1);
    expect(improvementAward([a('甲', 85.004)], [a('甲', 80.006)], none).winners).toHaveLength(0);
  });

  it('ties share the award and are listed by name; larger gains first', () => {
    const r = improvementAward([a('丙', 70), a('乙', 70), a('甲', 90)], [a('丙', 60), a('乙', 60), a('甲', 60)], none);
    // Equal gains by name in zh-Hant (stroke) order: 乙 (1 stroke) before 丙 (5).
    expect(r.winners.map((w) => [w.agency, w.gain])).toEqual([['甲', 30], ['乙', 10], ['丙', 10]]);
    expect(r.winners.filter((w) => w.gain === 10)).toHaveLength(2);
  });

  it('group prize winners are excluded but reported; new agencies cannot be compared', () => {
    const r = improvementAward([a('甲', 90), a('乙', 80), a('丁', 99)], [a('甲', 60), a('乙', 60)], new Set(['甲']));
    expect(r.winners.map((w) => w.agency)).toEqual(['乙']);
    expect(r.excluded.map((w) => w.agency)).toEqual(['甲']);
    expect(r.newAgencies).toEqual(['丁']);
  });

  it('a falling or flat score never qualifies; the threshold is configurable', () => {
    expect(improvementAward([a('甲', 50), a('乙', 60)], [a('甲', 60), a('乙', 60)], none).winners).toEqual([]);
    expect(improvementAward([a('甲', 63)], [a('甲', 60)], none, awardConfig({ improvementMinGain: 3 })).winners).toHaveLength(1);
  });
});
