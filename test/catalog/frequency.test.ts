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

describe('frequency vocabulary: Portuguese, Spanish, French, German', () => {
  it.each([
    ['Diário', 1], ['diária', 1], ['Semanal', 7], ['Quinzenal', 14], ['Mensal', 31], ['mensal', 31], ['Bimestral', 62],
    ['Trimestral', 93], ['Quadrimestral', 124], ['Semestral', 186], ['Anual', 366], ['Anualmente', 366],
    ['Diario', 1], ['Mensual', 31], ['Cuatrimestral', 124], ['Anual.', 366],
    ['Quotidienne', 1], ['Hebdomadaire', 7], ['Mensuelle', 31], ['Trimestriel', 93], ['Semestrielle', 186], ['Annuel', 366],
    ['Täglich', 1], ['wöchentlich', 7], ['Monatlich', 31], ['Vierteljährlich', 93], ['Halbjährlich', 186], ['Jährlich', 366],
    ['Zweijährlich', 732],
  ])('%s is every %d days', (text, d) => {
    expect(days(text)).toBeCloseTo(d as number, 5);
  });
  it('twice a month (bimensal / bimensuel) is every 15.5 days', () => {
    expect(days('Bimensal')).toBeCloseTo(15.5);
    expect(days('bimensuel')).toBeCloseTo(15.5);
  });
  it.each(['Em tempo real', 'Tempo real', 'En tiempo real', 'Temps réel', 'Echtzeit'])('%s is realtime', (t) => expect(parseFrequency(t).kind).toBe('realtime'));
  it.each(['Eventual', 'Sob demanda', 'A demanda', 'Irrégulier', 'Ponctuelle', 'Unregelmäßig', 'bei Bedarf'])('%s is irregular', (t) => expect(parseFrequency(t).kind).toBe('irregular'));
  it.each(['Nunca', 'Não se aplica', 'Jamais', 'Nie'])('%s is static', (t) => expect(parseFrequency(t).kind).toBe('static'));
});

describe('frequency machine forms: EU authority, Dublin Core, ISO 8601', () => {
  const EU = 'http://publications.europa.eu/resource/authority/frequency/';
  it.each([
    [`${EU}MONTHLY`, 31], [`${EU}DAILY`, 1], [`${EU}WEEKLY`, 7], [`${EU}QUARTERLY`, 93], [`${EU}ANNUAL`, 366],
    [`${EU}BIENNIAL`, 732], [`${EU}BIMONTHLY`, 62], [`${EU}HOURLY`, 1 / 24], [`${EU}30MIN`, 30 / 1440], [`${EU}DAILY_2`, 0.5],
    [`${EU}ANNUAL_2`, 183], ['https://publications.europa.eu/resource/authority/frequency/MONTHLY', 31],
    ['http://purl.org/cld/freq/monthly', 31], ['http://purl.org/cld/freq/semiannual', 186], ['http://purl.org/cld/freq/biweekly', 14],
    ['P1M', 31], ['R/P1M', 31], ['R/P1Y', 366], ['P1W', 7], ['P1D', 1], ['PT1H', 1 / 24], ['P3M', 93], ['R/2020-01-01/P1D', 1],
    ['P1Y6M', 366 + 186], ['PT30M', 30 / 1440],
  ])('%s is every %d days', (text, d) => {
    expect(days(text)).toBeCloseTo(d as number, 5);
  });
  it.each([[`${EU}CONT`, 'realtime'], [`${EU}UPDATE_CONT`, 'realtime'], [`${EU}IRREG`, 'irregular'], [`${EU}NEVER`, 'static'], [`${EU}UNKNOWN`, 'unknown'], [`${EU}NO_SUCH_CODE`, 'unknown'], ['P', 'unknown'], ['PT', 'unknown'], ['P0D', 'unknown']])(
    '%s is %s',
    (t, kind) => expect(parseFrequency(t).kind).toBe(kind),
  );
});
