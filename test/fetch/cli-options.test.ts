// The audit/ci options that reach the fetcher: --min-speed maps to the minimum transfer rate (0 turns it off) and a
// value that is not a whole number ≥ 0 is a usage error.
import { describe, expect, it } from 'vitest';
import { fetchOptionsFrom } from '../../src/cli/audit-command.ts';
import { odbadge } from '../helpers/cli.ts';

describe('--min-speed', () => {
  it('maps to minSpeedBytesPerSec, 0 included; left out, the fetcher default stands', () => {
    expect(fetchOptionsFrom({ minSpeed: 4096 })).toEqual({ minSpeedBytesPerSec: 4096 });
    expect(fetchOptionsFrom({ minSpeed: 0 })).toEqual({ minSpeedBytesPerSec: 0 });
    expect(fetchOptionsFrom({})).toEqual({});
  });

  it('exit 2 for a value that is not a whole number ≥ 0', async () => {
    const r = await odbadge(['audit', '--catalog', 'x.csv', '--out', 'never-written', '--min-speed', '-5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--min-speed.*whole number ≥ 0/);
  });
});
