// timely's case table: the newest trusted update against the declared 更新頻率 × graceFactor (default 1.5).
import { describe, expect, it } from 'vitest';
import type { Dataset, FetchOutcome } from '../../src/model.ts';
import { dataset, datasetCheck, fetchOk, outcome } from './helpers.ts';

// NOW is 2026-11-25T00:00:00Z.
const check = (over: Partial<Dataset>, options?: Record<string, unknown>, fetch: Partial<FetchOutcome> = {}) => {
  const d = dataset(over);
  return datasetCheck('timely', { dataset: d, resources: [{ resource: d.resources[0], fetch: fetchOk(fetch) }], options });
};
type Case = [string, Partial<Dataset>, Record<string, unknown> | undefined, ReturnType<typeof outcome>];

describe('timely: on time', () => {
  it.each<Case>([
    ['每3月, 116 days old: within 93 × 1.5', { declared: { frequency: '每3月' }, metadataUpdatedAt: '2026-08-01T00:00:00+08:00' }, undefined, { verdict: 'pass', code: 'timely.on-time', hint: false }],
    ['不定期 cannot be late', { declared: { frequency: '不定期' } }, undefined, { verdict: 'pass', code: 'timely.cannot-be-late', hint: false }],
    ['每3月, 147 days old, under graceFactor 2', { declared: { frequency: '每3月' }, metadataUpdatedAt: '2026-07-01T00:00:00+08:00' }, { graceFactor: 2 }, { verdict: 'pass', code: 'timely.on-time', hint: false }],
  ])('%s', (_, over, options, expected) => {
    expect(outcome(check(over, options))).toEqual(expected);
  });

  it('a ruleset that omits the options gets the rule\'s defaults (graceFactor 1.5)', () => {
    expect(check({ declared: { frequency: '每3月' }, metadataUpdatedAt: '2026-08-01T00:00:00+08:00' }).detail).toMatchObject({ graceFactor: 1.5, windowDays: 139.5 });
  });
});

describe('timely: late or unknown', () => {
  const lastModified = { headers: { 'last-modified': 'Mon, 16 Nov 2026 00:00:00 GMT' } };
  it.each<[...Case, Partial<FetchOutcome>]>([
    ['每3月, 147 days old', { declared: { frequency: '每3月' }, metadataUpdatedAt: '2026-07-01T00:00:00+08:00' }, undefined, { verdict: 'fail', code: 'timely.late', hint: true }, {}],
    ['no frequency declared', { metadataUpdatedAt: '2026-11-01T00:00:00+08:00' }, undefined, { verdict: 'fail', code: 'timely.undeclared', hint: true }, {}],
    ['an unknown frequency (unknownFrequency: unsure, the default)', { declared: { frequency: '看心情' } }, undefined, { verdict: 'unsure', code: 'timely.unknown-frequency', hint: true }, {}],
    ['an unknown frequency under unknownFrequency: fail', { declared: { frequency: '看心情' } }, { unknownFrequency: 'fail' }, { verdict: 'fail', code: 'timely.unknown-frequency', hint: true }, {}],
    ['no update time from any source', { declared: { frequency: '每1月' } }, undefined, { verdict: 'unsure', code: 'timely.no-update-time', hint: true }, {}],
    ['only Last-Modified, which the ruleset does not trust', { declared: { frequency: '每1月' } }, { evidence: ['metadata-updated'] }, { verdict: 'unsure', code: 'timely.no-update-time', hint: true }, lastModified],
  ])('%s', (_, over, options, expected, fetch) => {
    expect(outcome(check(over, options, fetch))).toEqual(expected);
  });

  it('Last-Modified is evidence by default', () => {
    expect(outcome(check({ declared: { frequency: '每1月' } }, undefined, lastModified))).toEqual({ verdict: 'pass', code: 'timely.on-time', hint: false });
  });

  it('late: the evidence as before; the message in the portal\'s time zone, without "every 1 month (31 days)"', () => {
    const r = check({ declared: { frequency: '每1月' }, metadataUpdatedAt: '2026-07-01T00:00:00+08:00', timeZone: 'Asia/Taipei' });
    expect(r.evidence).toBe('declared "每1月" (every 1 month (31 days)); last update 2026-06-30T16:00:00.000Z per the metadata update time (詮釋資料更新時間), 147 days ago; allowed 47 days: late by 101 days');
    expect(r.message).toEqual({
      zh: '宣告「每1月」（每月）；最近更新 2026-07-01 00:00 UTC+08:00（依詮釋資料更新時間），距今 147 天；容許 47 天：逾期 101 天',
      en: 'declared "每1月" (every month); last update 2026-07-01 00:00 UTC+08:00 per the metadata update time (詮釋資料更新時間), 147 days ago; allowed 47 days: late by 101 days',
    });
    expect(r.hint?.zh).toBe('資料已 147 天未更新，超過宣告的更新頻率「每1月」；請更新資料，或更正更新頻率。');
  });

  it('the same instant for a Hong Kong reader, and in UTC when the catalogue names no zone', () => {
    const at = { declared: { frequency: '每日' }, metadataUpdatedAt: '2026-11-24T12:00:00Z' };
    expect(check({ ...at, timeZone: 'Asia/Hong_Kong' }).message?.en).toBe('declared "每日" (every day); last update 2026-11-24 20:00 UTC+08:00 per the metadata update time (詮釋資料更新時間), 12 hours ago; allowed 36 hours');
    expect(check(at).message?.zh).toBe('宣告「每日」（每日）；最近更新 2026-11-24 12:00 UTC+00:00（依詮釋資料更新時間），距今 12 小時；容許 36 小時');
  });
});
