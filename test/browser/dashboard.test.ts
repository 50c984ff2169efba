// The dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core): filter the table, open
// a dataset's evidence, switch language, and save screenshots under reports/ as CI artifacts.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium } from '../helpers/chromium.ts';
import { writeDashboard } from '../../src/report/html/dashboard.ts';
import { demoLikeRun, HOSTILE_TITLE, seedUsage } from '../report/demo-like-run.ts';

const REPORTS = resolve(__dirname, '../../reports');
if (!haveChromium) console.warn(`SKIPPED test/browser/dashboard.test.ts: ${CHROMIUM} is absent (apt-get install chromium, as .ci/run does).`);

describe.skipIf(!haveChromium)('dashboard in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let file = '';
  const errors: string[] = [];
  const run = demoLikeRun();

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'odbadge-dash-'));
    file = await writeDashboard(run, [demoLikeRun('2025-11-01T02:00:00.000Z', 13), demoLikeRun('2026-05-01T02:00:00.000Z', 29)], dir, { usage: seedUsage() });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW' });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // No network at all: anything but the file itself is a bug (and would be a privacy leak).
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (errors.push(`request ${route.request().url()}`), route.abort())));
    await page.goto(pathToFileURL(file).href);
    await mkdir(REPORTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders without script errors or network requests, and the hostile title stays text', async () => {
    await expect.poll(() => page.locator('#ds-status').textContent()).toContain(`總計 ${run.datasets.length} 筆`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('img, body script:not(#odbadge-data)').length)).toBe(1); // our own script only
    await page.fill('#f-search', '惡意標題');
    await expect.poll(() => page.locator('#ds-body tr').count()).toBe(1);
    expect(await page.locator('#ds-body tr th button').textContent()).toBe(HOSTILE_TITLE);
    expect(errors).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(REPORTS, 'dashboard.png') });
  });

  it('filters by badge and failing indicator, and announces the count', async () => {
    await page.click('#f-reset');
    const bronze = run.datasets.filter((d) => d.badge === 'bronze').length;
    await page.selectOption('#f-badge', 'bronze');
    await expect.poll(() => page.locator('#ds-status').textContent()).toContain(`共 ${bronze} 筆符合`);
    expect(await page.locator('#ds-status').getAttribute('aria-live')).toBe('polite');
    await page.selectOption('#f-indicator', 'structured');
    await expect.poll(() => page.locator('#ds-status').textContent()).toContain(`共 ${bronze} 筆符合`);
    await page.selectOption('#f-indicator', 'link-valid');
    await expect.poll(() => page.locator('#ds-status').textContent()).toBe('沒有符合條件的資料集');
    await page.click('#f-reset');
    await page.fill('#f-search', '職業訓練課程資訊');
    await expect.poll(() => page.locator('#ds-body tr').count()).toBe(1);
  });

  it("opens a dataset's evidence with the keyboard and closes it with Escape, returning focus", async () => {
    await page.click('#f-reset');
    await page.selectOption('#f-badge', 'bronze');
    const button = page.locator('#ds-body tr th button').first();
    const title = await button.textContent();
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#ds-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.locator('#dlg-title').textContent()).toBe(title);
    const text = await dialog.textContent();
    expect(text).toContain('content is pdf');
    expect(text).toContain('請改以結構化格式提供資料。');
    expect(text).toContain('未檢測');
    await page.screenshot({ path: join(REPORTS, 'dashboard-evidence.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(title);
  });

  it('switches to English and back', async () => {
    await page.click('#lang-switch');
    expect(await page.locator('h1').textContent()).toBe('Open data quality dashboard');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.locator('#ds-status').textContent()).toMatch(/^Showing 1–\d+ of \d+ matching datasets/);
    await page.locator('#ds-body tr th button').first().click();
    expect(await page.locator('#ds-dialog').textContent()).toContain('Publish the data in a structured format.');
    await page.screenshot({ path: join(REPORTS, 'dashboard-en.png') });
    await page.click('#dlg-close');
    await page.click('#f-reset');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(REPORTS, 'dashboard-en-top.png') });
    await page.click('#lang-switch');
    expect(await page.locator('h1').textContent()).toBe('開放資料品質儀表板');
    expect(errors).toEqual([]);
  });

  it('opens in English when the address asks for it (?lang=en or #lang=en), whatever was chosen before', async () => {
    for (const suffix of ['?lang=en', '#lang=en']) {
      const p = await browser.newPage({ locale: 'zh-TW' });
      await p.goto(pathToFileURL(file).href);
      await p.evaluate(() => localStorage.setItem('odbadge-lang', 'zh'));
      await p.goto(pathToFileURL(file).href + suffix);
      expect(await p.locator('h1').textContent()).toBe('Open data quality dashboard');
      expect(await p.evaluate(() => document.documentElement.lang)).toBe('en');
      await p.close();
    }
  });
});
