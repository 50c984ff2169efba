// Every badge must be told apart at a glance (silver and "no badge" were two similar greys) and chip text must stay
// readable: WCAG 2 contrast ≥ 4.5:1, computed here from the formula, not from the code under test.
import { describe, expect, it } from 'vitest';
import { CSS } from '../../src/report/html/style.ts';
import { BADGE_STYLE } from '../../src/report/html/svg.ts';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map(lin);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
/** CIE L*a*b* (D65) and the CIE76 distance: about 2.3 is just noticeable, above 10 clearly different. */
const lab = (hex: string) => {
  const [r, g, b] = rgb(hex).map(lin);
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
};
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

describe('badge colours', () => {
  const ids = Object.keys(BADGE_STYLE);

  it('covers the default tiers and "no badge"', () => {
    expect(ids).toEqual(expect.arrayContaining(['gold', 'silver', 'bronze', 'none']));
  });

  it.each(ids)('%s chip text has at least 4.5:1 contrast on its background', (id) => {
    expect(contrast(BADGE_STYLE[id].chipFg, BADGE_STYLE[id].chipBg)).toBeGreaterThanOrEqual(4.5);
  });

  it('every two badges differ clearly, as chips and as bars (ΔE76 > 10)', () => {
    for (const a of ids) {
      for (const b of ids) {
        if (a >= b) continue;
        expect(deltaE(BADGE_STYLE[a].chipBg, BADGE_STYLE[b].chipBg), `${a}/${b} chips`).toBeGreaterThan(10);
        expect(deltaE(BADGE_STYLE[a].bar, BADGE_STYLE[b].bar), `${a}/${b} bars`).toBeGreaterThan(10);
      }
    }
  });

  it('the stylesheet uses these colours for the chips', () => {
    expect(CSS).toContain('.b-silver { background:#d9e3ee; color:#1c2b3a; }');
    expect(CSS).toContain('.b-none { background:#fbe0de; color:#5c1414; }');
  });

  it('the contrast formula itself: black on white is 21:1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });
});
