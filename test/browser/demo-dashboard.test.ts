// The acceptance path of issue 7 on the real thing: the dashboard written by the demo audit (the embedded portal,
// audited end to end), driven in headless Chromium — filter, open a dataset's evidence, switch language, screenshot.
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium } from '../helpers/chromium.ts';
import { runDemo } from '../../src/demo/run-demo.ts';

const REPORTS = resolve(__dirname, '../../reports');
if (!haveChromium) console.warn(`SKIPPED test/browser/demo-dashboard.test.ts: ${CHROMIUM} is absent (apt-get install chromium, as .ci/run does).`);

describe.skipIf(!haveChromium)('the demo run dashboard in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let datasets: { id: string; title: string; badge: string; indicators: Record<string, { verdict: string; evidence: string; code?: string; message?: { zh: string; en: string } }> }[];
  let indexUrl: string;
  const errors: string[] = [];

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'odbadge-demo-dash-'));
    await runDemo({ out, quiet: true });
    datasets = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')).datasets;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW' });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (errors.push(`request ${route.request().url()}`), route.abort())));
    indexUrl = pathToFileURL(join(out, 'index.html')).href;
    await page.goto(indexUrl);
    await mkdir(REPORTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('filters to the datasets whose link failed, opens one, shows its evidence, switches to English', async () => {
    await expect.poll(() => page.locator('#ds-status').textContent()).toContain(`總計 ${datasets.length} 筆`);
    const brokenLink = datasets.filter((d) => d.indicators['link-valid'].verdict === 'fail');
    expect(brokenLink.length).toBeGreaterThan(0);
    await page.selectOption('#f-indicator', 'link-valid');
    await expect.poll(() => page.locator('#ds-status').textContent()).toContain(`共 ${datasets.filter((d) => d.indicators['link-valid'].verdict !== 'pass').length} 筆符合`);
    const button = page.locator('#ds-body tr th button').first();
    const title = (await button.textContent())!;
    await button.click();
    await expect.poll(() => page.locator('#ds-dialog').isVisible()).toBe(true);
    const shown = datasets.find((d) => d.title === title)!;
    // zh-TW: the evidence in Chinese, and not the English sentence (issue 12).
    expect(await page.locator('#ds-dialog').textContent()).toContain(shown.indicators['link-valid'].message!.zh.slice(0, 40));
    expect(await englishSentences(page)).toEqual([]);
    await page.screenshot({ path: join(REPORTS, 'demo-dashboard-evidence.png') });
    await page.click('#dlg-close');
    await page.click('#lang-switch');
    expect(await page.locator('h1').textContent()).toBe('Open data quality dashboard');
    // The English view shows the English evidence of the same dataset.
    await button.click();
    expect(await page.locator('#ds-dialog').textContent()).toContain(shown.indicators['link-valid'].evidence.slice(0, 40));
    expect((await englishSentences(page)).length).toBeGreaterThan(0); // the check sees English where there is some
    await page.click('#dlg-close');
    // Both agreement figures are labelled, with the sentence on why they differ.
    expect(await page.locator('.card').filter({ hasText: 'recorded truth' }).locator('.n').textContent()).toMatch(/^\d+ \/ 562$/);
    expect(await page.locator('.card').filter({ hasText: 'badge the platform published' }).locator('.n').textContent()).toMatch(/^\d+\.\d %$/);
    expect(await page.locator('#agreement-why').textContent()).toContain('so it is not an accuracy figure');
    await page.click('#f-reset');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(REPORTS, 'demo-dashboard-en.png') });
    expect(errors).toEqual([]);
  });

  it('in zh-TW, no dataset shows an English evidence sentence: one dataset for every code that did not pass', async () => {
    // One dataset per code of a non-pass indicator: every kind of evidence the demo produces is looked at.
    const byCode = new Map<string, string>();
    for (const d of datasets) {
      for (const r of Object.values(d.indicators)) if (r.verdict !== 'pass' && r.code && !byCode.has(r.code)) byCode.set(r.code, d.id);
    }
    expect(byCode.size).toBeGreaterThanOrEqual(10);
    const found: string[] = [];
    for (const [code, id] of byCode) {
      await page.goto(`${indexUrl}?lang=zh#ds=${encodeURIComponent(id)}`);
      await expect.poll(() => page.locator('#ds-dialog').isVisible()).toBe(true);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant-TW');
      found.push(...(await englishSentences(page)).map((s) => `${code} (${id}): ${s}`));
    }
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});

/**
 * English sentences in the open dialog's evidence, resource problems and catalogue findings: four or more English
 * words in a row, once URLs are set aside (a URL, a format name or "HTTP 404" is not a sentence).
 */
async function englishSentences(page: Page): Promise<string[]> {
  const texts = await page.locator('#ds-dialog .evidence, #ds-dialog ul.res li li, #ds-dialog h3 + ul > li').allTextContents();
  return texts
    .map((t) => t.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' '))
    .filter((t) => /[A-Za-z]{2,}(?:[ ,:;'"()]+[A-Za-z]{2,}){3,}/.test(t));
}
