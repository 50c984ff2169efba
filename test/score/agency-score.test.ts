import { describe, expect, it } from 'vitest';
import { agencyScore, scoreAgencies, type ScoredDataset } from '../../src/score/agency-score.ts';
import { loadRuleset, parseRuleset, RulesetError } from '../../src/score/ruleset.ts';

const rs = loadRuleset();
const ds = (agency: string, badge: string, n: number, bonus = 0, whitelisted = false): ScoredDataset[] =>
  Array.from({ length: n }, (_, i) => ({ agency, badge, bonus: i < bonus, whitelisted }));

describe('金質獎 agency score (2017 rule)', () => {
  it('weights gold 1.0, silver 0.6, bronze 0.3 over all datasets, ×100', () => {
    // 6 gold, 2 silver, 1 bronze, 1 none: (6 + 1.2 + 0.3) / 10 × 100 = 75
    const s = agencyScore('A', [...ds('A', 'gold', 6), ...ds('A', 'silver', 2), ...ds('A', 'bronze', 1), ...ds('A', 'none', 1)], rs);
    expect(s.score).toBe(75);
    expect(s.badges).toEqual({ bronze: 1, silver: 2, gold: 6, none: 1 });
    expect(s.datasets).toBe(10);
  });

  it('adds 0.1 per dataset with a valid OpenAPI document', () => {
    // 3 gold of 4 → 75, plus 3 × 0.1
    const s = agencyScore('B', [...ds('B', 'gold', 3, 3), ...ds('B', 'none', 1)], rs);
    expect(s.bonusDatasets).toBe(3);
    expect(s.bonus).toBe(0.3);
    expect(s.score).toBe(75.3);
  });

  it('caps the bonus at 5 points (50 datasets), however many APIs pass', () => {
    const at = agencyScore('C', ds('C', 'gold', 50, 50), rs);
    const over = agencyScore('C', ds('C', 'gold', 80, 80), rs);
    expect(at.bonus).toBe(5);
    expect(over.bonus).toBe(5);
    expect(over.bonusDatasets).toBe(80);
    expect(over.score).toBe(105);
  });

  it('one bronze of three is 10 points; no badges is 0', () => {
    expect(agencyScore('D', [...ds('D', 'bronze', 1), ...ds('D', 'none', 2)], rs).score).toBe(10);
    expect(agencyScore('E', ds('E', 'none', 5), rs).score).toBe(0);
  });

  it('whitelisted datasets count in #datasets unless the ruleset says otherwise', () => {
    const list = [...ds('F', 'gold', 1), ...ds('F', 'none', 1, 0, true)];
    expect(agencyScore('F', list, rs).score).toBe(50);
    const excluding = { ...rs, scoring: { ...rs.scoring, whitelistedInDenominator: false } };
    expect(agencyScore('F', list, excluding).score).toBe(100);
  });

  it('ranks agencies best first, ties by name', () => {
    const out = scoreAgencies([...ds('乙', 'gold', 1), ...ds('甲', 'gold', 1), ...ds('丙', 'silver', 1)], rs);
    // Equal scores by name in zh-Hant (stroke) order: 乙 (1 stroke) before 甲 (5).
    expect(out.map((a) => [a.agency, a.score])).toEqual([['乙', 100], ['甲', 100], ['丙', 60]]);
  });
});

describe('ruleset as data', () => {
  it('a ruleset with a platinum tier above gold needs no code change', () => {
    const json = structuredClone(rs) as unknown as Record<string, unknown> & { tiers: unknown[] };
    json.id = 'with-platinum';
    json.tiers = [...rs.tiers, { id: 'platinum', name: { zh: '白金標章', en: 'Platinum' }, weight: 1.2, indicators: ['oas-valid'] }];
    const platinum = parseRuleset(json);
    const s = agencyScore('P', [...ds('P', 'platinum', 1), ...ds('P', 'gold', 1)], platinum);
    expect(s.badges.platinum).toBe(1);
    expect(s.score).toBe(110);
  });

  it('rejects unknown rules and schema violations with a specific message', () => {
    const bad = structuredClone(rs) as unknown as { tiers: { indicators: string[] }[] };
    bad.tiers[0].indicators.push('no-such-rule');
    expect(() => parseRuleset(bad)).toThrow(/unknown rule "no-such-rule"/);
    expect(() => parseRuleset({ ...rs, tiers: 'x' })).toThrow(RulesetError);
    expect(() => parseRuleset({ ...rs, gating: [['timely']] })).toThrow(/gating names dataset rule "timely"/);
  });
});
