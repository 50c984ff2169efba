// Inline SVG charts: no library, no network. Each chart has a <title>/<desc> and a text equivalent next to it.
import { esc } from './escape.ts';

/**
 * One colour scheme per badge, used by the bars (svg) and the chips (style.ts): hues far enough apart to tell every
 * badge from every other (silver is a cool blue-grey, "no badge" a light red, never two greys), and chip text at
 * WCAG AA contrast (≥ 4.5:1) on its background. test/report/badge-colours.test.ts checks both.
 */
export const BADGE_STYLE: Record<string, { bar: string; chipBg: string; chipFg: string }> = {
  platinum: { bar: '#8e7cc3', chipBg: '#e6ddf7', chipFg: '#2a1f45' },
  gold: { bar: '#d4a514', chipBg: '#f7e08a', chipFg: '#3d2e00' },
  silver: { bar: '#7f98b3', chipBg: '#d9e3ee', chipFg: '#1c2b3a' },
  bronze: { bar: '#b87333', chipBg: '#f0c9a6', chipFg: '#3b1f0a' },
  none: { bar: '#e39a94', chipBg: '#fbe0de', chipFg: '#5c1414' },
};
const OTHER_STYLE = { bar: '#4f8f86', chipBg: '#d6eeea', chipFg: '#123b35' };
export const styleOf = (badge: string) => BADGE_STYLE[badge] ?? OTHER_STYLE;
export const colourOf = (badge: string) => styleOf(badge).bar;

/** The chip classes (.b-gold …) from the same scheme. */
export function chipCss(): string {
  return [...Object.entries(BADGE_STYLE), ['other', OTHER_STYLE] as const]
    .map(([id, c]) => `.b-${id} { background:${c.chipBg}; color:${c.chipFg}; }`).join('\n');
}

export interface Bar {
  id: string;
  zh: string;
  en: string;
  count: number;
}

export function badgeChart(bars: Bar[], total: number): string {
  const rowH = 34;
  const w = 520;
  const labelW = 90;
  const barMax = w - labelW - 120;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const h = bars.length * rowH + 10;
  const rows = bars.map((b, k) => {
    const y = 5 + k * rowH;
    const bw = Math.round((b.count / max) * barMax);
    const pct = total ? ((100 * b.count) / total).toFixed(1) : '0.0';
    return `<text x="${labelW - 8}" y="${y + 21}" text-anchor="end" class="lbl" data-en="${esc(b.en)}">${esc(b.zh)}</text>`
      + `<rect x="${labelW}" y="${y + 4}" width="${Math.max(bw, 1)}" height="${rowH - 10}" rx="3" fill="${colourOf(b.id)}"/>`
      + `<text x="${labelW + bw + 8}" y="${y + 21}" class="num">${b.count} (${pct} %)</text>`;
  });
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-labelledby="badge-chart-title"><title id="badge-chart-title">${esc(bars.map((b) => `${b.zh} ${b.count}`).join('、'))}</title>${rows.join('')}</svg>`;
}

export interface TrendSeries {
  name: string;
  points: (number | null)[];
}

const PALETTE = ['#1f5fbf', '#b3261e', '#1b7a3d', '#7b3fa0', '#a05a00', '#006d77', '#5c5c5c', '#c2185b'];

/** Score lines across runs (x: run labels, y: 0–100+). Missing points (agency absent from a run) break the line. */
export function trendChart(runs: string[], series: TrendSeries[]): string {
  const w = 640;
  const h = 260;
  const left = 40;
  const right = 170;
  const top = 10;
  const bottom = 40;
  const maxY = Math.max(100, ...series.flatMap((s) => s.points.map((p) => p ?? 0)));
  const x = (i: number) => left + (runs.length === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (runs.length - 1));
  const y = (v: number) => top + (1 - v / maxY) * (h - top - bottom);
  const grid = [0, 25, 50, 75, 100].map((v) => `<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" class="axis">${v}</text>`).join('');
  const xl = runs.map((r, i) => `<text x="${x(i)}" y="${h - bottom + 18}" text-anchor="middle" class="axis">${esc(r)}</text>`).join('');
  const lines = series.map((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    const segs: string[] = [];
    let d = '';
    s.points.forEach((p, i) => {
      if (p === null) {
        if (d) segs.push(d);
        d = '';
        return;
      }
      d += `${d ? 'L' : 'M'}${x(i).toFixed(1)},${y(p).toFixed(1)}`;
    });
    if (d) segs.push(d);
    const dots = s.points.map((p, i) => (p === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(p).toFixed(1)}" r="3.5" fill="${colour}"><title>${esc(`${s.name} ${runs[i]}: ${p.toFixed(2)}`)}</title></circle>`)).join('');
    const legend = `<rect x="${w - right + 12}" y="${top + k * 20}" width="12" height="12" fill="${colour}"/><text x="${w - right + 30}" y="${top + k * 20 + 11}" class="legend">${esc(s.name.length > 11 ? s.name.slice(0, 10) + '…' : s.name)}</text>`;
    return segs.map((sd) => `<path d="${sd}" fill="none" stroke="${colour}" stroke-width="2"/>`).join('') + dots + legend;
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-labelledby="trend-title"><title id="trend-title">${esc(series.map((s) => `${s.name}: ${s.points.map((p) => (p === null ? '–' : p.toFixed(1))).join(' → ')}`).join('; '))}</title>${grid}${xl}${lines}</svg>`;
}
