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
  let datasets: { id: string; title: string; badge: string; indicators: Record<string, { verdict: string; evidence: string }> }[];
  const errors: string[] = [];

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'odbadge-demo-dash-'));
    await runDemo({ out, quiet: true });
    datasets = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')).datasets;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW' });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (errors.push(`request ${route.request().url()}`), route.abort())));
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
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
    expect(await page.locator('#ds-dialog').textContent()).toContain(shown.indicators['link-valid'].evidence.slice(0, 40));
    await page.screenshot({ path: join(REPORTS, 'demo-dashboard-evidence.png') });
    await page.click('#dlg-close');
    await page.click('#lang-switch');
    expect(await page.locator('h1').textContent()).toBe('Open data quality dashboard');
    // Both agreement figures are labelled, with the sentence on why they differ.
    expect(await page.locator('.card').filter({ hasText: 'recorded truth' }).locator('.n').textContent()).toMatch(/^\d+ \/ 562$/);
    expect(await page.locator('.card').filter({ hasText: 'badge the platform published' }).locator('.n').textContent()).toMatch(/^\d+\.\d %$/);
    expect(await page.locator('#agreement-why').textContent()).toContain('so it is not an accuracy figure');
    await page.click('#f-reset');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(REPORTS, 'demo-dashboard-en.png') });
    expect(errors).toEqual([]);
  });
});
