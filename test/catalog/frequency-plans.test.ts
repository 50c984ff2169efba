// Frequency values found in the plan seeds (000–003) and the CKAN/data.gov.tw corpora.
import { describe, expect, it } from 'vitest';
import { parseFrequency } from '../../src/catalog/frequency.ts';

describe('frequency vocabulary: seed and corpus values', () => {
  it.each([
    ['每三個月', 93], ['每半年 (3月及9月)', 186], ['每半年（3月及9月）', 186], ['每6個月', 186], ['每天', 1], ['每星期', 7],
    ['每日兩次', 0.5], ['每小時', 1 / 24], ['每周', 7], ['每10日', 10], ['每季', 93], ['每年', 366], ['每月', 31],
  ])('%s is regular, every %d days', (t, d) => {
    const f = parseFrequency(t);
    expect(f.kind).toBe('regular');
    if (f.kind === 'regular') expect(f.periodDays).toBeCloseTo(d as number, 5);
  });
  it.each(['當有需要時', '在资料 更新时', '在資料更新時', '在發出保安建議或 警報時', '當有新記錄時', '有需要時', '在資料有改動時', 'As and when necessary', '不定期'])(
    '%s is irregular', (t) => expect(parseFrequency(t).kind).toBe('irregular'),
  );
  it.each(['實時', '即時'])('%s is realtime', (t) => expect(parseFrequency(t).kind).toBe('realtime'));
  it.each([
    '社會福利署、民政事務總署、民政事務局：有需要時； 食物環境衛生署： 每日兩次', // two agencies, two frequencies
    '預計抵站時間數據每分鐘更新。\n\n其他數據資源會在有改動時作出更新。', // two resources, two frequencies
  ])('mixed statements stay unknown (a finding, not a guess): %s', (t) => expect(parseFrequency(t).kind).toBe('unknown'));
});
