// The dashboard's trend and agreement sections: one run is a table, runs close in time keep distinct labels, and
// the two agreement figures of the demo are labelled with why they differ.
import { describe, expect, it } from 'vitest';
import { dashboardHtml, runLabels } from '../../src/report/html/dashboard.ts';
import { demoLikeRun } from './demo-like-run.ts';

describe('trend labels', () => {
  it('a day when runs are on different days; minutes, then seconds, when they share one', () => {
    expect(runLabels(['2026-01-01T02:00:00.000Z', '2026-02-01T02:00:00.000Z'])).toEqual(['2026-01-01', '2026-02-01']);
    expect(runLabels(['2026-01-01T02:00:00.000Z', '2026-01-01T03:30:00.000Z'])).toEqual(['2026-01-01 02:00', '2026-01-01 03:30']);
    expect(runLabels(['2026-01-01T02:00:05.000Z', '2026-01-01T02:00:41.000Z', '2026-01-02T00:00:00.000Z']))
      .toEqual(['2026-01-01 02:00:05', '2026-01-01 02:00:41', '2026-01-02']);
    expect(runLabels(['2026-01-01T02:00:05.100Z', '2026-01-01T02:00:05.900Z'])).toEqual(['2026-01-01 02:00:05 #1', '2026-01-01 02:00:05 #2']);
  });
});

describe('the score trend section', () => {
  it('with one run: a table of its scores and no chart', () => {
    const html = dashboardHtml(demoLikeRun(), []);
    const trend = html.slice(html.indexOf('id="h-trend"'), html.indexOf('</section>', html.indexOf('id="h-trend"')));
    expect(trend).toContain('<table id="trend-table">');
    expect(trend).not.toContain('<svg');
    expect(trend).not.toContain('<details>');
  });
  it('with earlier runs: the chart, the table behind a disclosure', () => {
    const html = dashboardHtml(demoLikeRun(), [demoLikeRun('2025-11-01T02:00:00.000Z', 13)]);
    const trend = html.slice(html.indexOf('id="h-trend"'), html.indexOf('</section>', html.indexOf('id="h-trend"')));
    expect(trend).toContain('<svg');
    expect(trend).toContain('<details><summary>');
  });
});

describe('the two agreement figures', () => {
  it('a reference figure is shown beside the platform badge figure, with the sentence saying why they differ', () => {
    const html = dashboardHtml(demoLikeRun(), [], { reference: { agree: 562, total: 562, label: { zh: '與示範入口網站記錄的實際標章一致', en: 'agree with the demo portal\'s recorded truth' } } });
    expect(html).toContain('<span class="n">562 / 562</span><span class="l"><span data-en="agree with the demo portal&#39;s recorded truth">與示範入口網站記錄的實際標章一致</span></span>');
    expect(html).toContain('與平臺公布的標章（品質檢測）一致');
    expect(html).toMatch(/id="agreement-why"><span data-en="&quot;agree with the demo portal&#39;s recorded truth&quot; compares odbadge with what is really served; [^"]*not an accuracy figure/);
  });
  it('without a reference, only the platform figure and its caveat', () => {
    const html = dashboardHtml(demoLikeRun(), []);
    expect(html).not.toContain('recorded truth');
    expect(html).toContain('id="agreement-why"');
  });
});
