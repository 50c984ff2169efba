import { describe, expect, it } from 'vitest';
import { parseFrequency } from '../../src/catalog/frequency.ts';

const days = (t: string) => {
  const f = parseFrequency(t);
  if (f.kind !== 'regular') throw new Error(`${t} → ${f.kind}`);
  return f.periodDays;
};

describe('frequency vocabulary', () => {
  it.each([
    ['每1日', 1], ['每日', 1], ['每天', 1], ['每1月', 31], ['每月', 31], ['每3月', 93], ['每季', 93], ['每半年', 186],
    ['每6個月', 186], ['每6个月', 186], ['每星期', 7], ['每周', 7], ['每週', 7], ['每1年', 366], ['每年', 366],
    ['每年一次', 366], ['一年一次', 366], ['每10日', 10], ['每十日', 10], ['每十二個月', 372], ['每月更新', 31],
    ['Daily', 1], ['Weekly', 7], ['Monthly', 31], ['Quarterly', 93], ['Half-yearly', 186], ['Annually', 366],
    ['Yearly', 366], ['Every 2 weeks', 14], ['every month', 31],
  ])('%s is every %d days', (text, d) => {
    expect(days(text)).toBeCloseTo(d as number, 5);
  });

  it('sub-daily frequencies', () => {
    expect(days('每1時')).toBeCloseTo(1 / 24);
    expect(days('每小時')).toBeCloseTo(1 / 24);
    expect(days('每30分')).toBeCloseTo(30 / 1440);
    expect(days('每日兩次')).toBeCloseTo(0.5);
    expect(days('Twice a day')).toBeCloseTo(0.5);
  });

  it.each(['不定期', '不定期更新', '有需要時', '有需要时', '在資料更新時', '當有新記錄時', '当有新记录时', 'As needed', 'Irregular', 'As and when required'])(
    '%s is irregular (cannot be late)',
    (t) => expect(parseFrequency(t).kind).toBe('irregular'),
  );
  it.each(['即時', '實時', '实时', 'Real-time'])('%s is realtime', (t) => expect(parseFrequency(t).kind).toBe('realtime'));
  it.each(['不更新', 'One-off'])('%s is static', (t) => expect(parseFrequency(t).kind).toBe('static'));
  it.each(['', '   ', '看心情', 'sometimes maybe', undefined, null])('%s is unknown, not a crash', (t) => {
    expect(parseFrequency(t as string).kind).toBe('unknown');
  });
  it('keeps the original text', () => {
    expect(parseFrequency(' 每１月 ').text).toBe(' 每１月 ');
    expect(days(' 每１月 ')).toBe(31); // full-width digit normalised
  });
});
