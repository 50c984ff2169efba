import { describe, expect, it } from 'vitest';
import { parseOfficialBadge, parseTaiwanTime } from '../../src/catalog/datagovtw.ts';

describe('parseTaiwanTime', () => {
  it.each([
    ['2026-03-10 14:05:00.000000', '2026-03-10T14:05:00+08:00'],
    ['2018-03-16 10:00:00', '2018-03-16T10:00:00+08:00'],
    ['2017/10/07', '2017-10-07T00:00:00+08:00'],
    ['2017/09/29 17:25', '2017-09-29T17:25:00+08:00'],
    ['2017-10-06T16:50:44', '2017-10-06T16:50:44+08:00'],
    ['2026-03-10 14:05:00.250000', '2026-03-10T14:05:00.250+08:00'],
    ['107/03/16', '2018-03-16T00:00:00+08:00'],
    ['2024-01-01T00:00:00Z', '2024-01-01T08:00:00+08:00'],
    ['2024-01-01T00:00:00+09:00', '2023-12-31T23:00:00+08:00'],
    ['  2017/9/1 8:05 ', '2017-09-01T08:05:00+08:00'],
  ])('%s → %s', (raw, iso) => {
    expect(parseTaiwanTime(raw)).toBe(iso);
  });

  it.each(['', '   ', 'not a date', '2017/13/01', '2017/02/30', '2017/01/01 24:00', undefined, null])('rejects %j', (raw) => {
    expect(parseTaiwanTime(raw)).toBeUndefined();
  });

  it('denotes the same instant as the Taiwan wall-clock time', () => {
    expect(Date.parse(parseTaiwanTime('2026-03-10 14:05:00.000000')!)).toBe(Date.UTC(2026, 2, 10, 6, 5, 0));
  });
});

describe('parseOfficialBadge', () => {
  it.each([
    ['金標章', 'gold', false],
    ['銀標章', 'silver', false],
    ['銅標章', 'bronze', false],
    ['白金標章', 'platinum', false],
    ['無', 'none', false],
    ['無(白名單)', 'none', true],
    ['無（白名單）', 'none', true],
    ['白名單', 'none', true],
    ['Gold', 'gold', false],
    ['silver badge', 'silver', false],
    ['BRONZE', 'bronze', false],
    ['None', 'none', false],
    ['Whitelist', 'none', true],
  ])('%s → %s (whitelisted %s)', (raw, tier, whitelisted) => {
    expect(parseOfficialBadge(raw)).toEqual({ officialBadge: tier, officialBadgeRaw: raw.trim(), whitelisted, recognised: true });
  });

  it('maps empty to null without a raw value', () => {
    expect(parseOfficialBadge('')).toEqual({ officialBadge: null, officialBadgeRaw: undefined, whitelisted: false, recognised: true });
    expect(parseOfficialBadge(undefined).officialBadge).toBeNull();
  });

  it('keeps an unknown value raw and says it was not recognised', () => {
    expect(parseOfficialBadge('檢測中')).toEqual({ officialBadge: null, officialBadgeRaw: '檢測中', whitelisted: false, recognised: false });
  });
});
