// Property tests run from a known seed, and a failure names it so it can be replayed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('fuzzing is seeded', () => {
  it('the global fast-check configuration carries the suite seed', () => {
    const want = process.env.ODBADGE_FUZZ_SEED;
    const seed = fc.readConfigureGlobal().seed;
    if (want === 'random') expect(Number.isInteger(seed)).toBe(true);
    else expect(seed).toBe(Number(want ?? 20261130));
  });
  it('a failing property reports its seed', () => {
    const r = fc.check(fc.property(fc.integer(), (n) => n < 10));
    expect(r.failed).toBe(true);
    expect(fc.defaultReportMessage(r)).toMatch(/seed: -?\d+/);
  });
});
