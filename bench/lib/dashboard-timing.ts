// How long a dashboard (index.html) takes in headless Chromium: until the agency leaderboard shows, until the
// script has rendered the dataset table, and how long filtering the table takes (by agency, and by a search term).
// Reported, never asserted. Also runnable on its own, e.g. on a dashboard rendered from generate-results.ts:
//   node bench/lib/dashboard-timing.ts reports/gen/index.html
import { pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.ts';

export interface DashboardTiming {
  /** Navigation start → the first leaderboard row visible. */
  agencyTableMs: number;
  /** Navigation start → the dataset table's first page rendered by the script (the embedded data parsed). */
  datasetTableMs: number;
  /** Choosing an agency in the filter → the table re-rendered and painted (measured in the page). */
  filterAgencyMs: number;
  /** Typing a search term (one input event) → re-rendered and painted. */
  filterSearchMs: number;
  /** Datasets matching the agency filter, as the page announces them (a sanity check that the filter ran). */
  agencyMatches: string;
}

export async function timeDashboard(file: string, timeoutMs = 300_000): Promise<DashboardTiming> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The dashboard is self-contained: nothing but the file itself is ever loaded.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const t0 = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'commit', timeout: timeoutMs });
    await page.waitForSelector('table.board tbody tr', { state: 'visible', timeout: timeoutMs });
    const agencyTableMs = performance.now() - t0;
    await page.waitForSelector('#ds-body tr', { state: 'attached', timeout: timeoutMs });
    const datasetTableMs = performance.now() - t0;
    // In the page: set the control, fire the event the dashboard listens to, wait for the next frame to be painted.
    const timeFilter = (id: string, value: string | null, event: string) => page.evaluate(async ([id, value, event]) => {
      const el = document.getElementById(id!) as HTMLInputElement | HTMLSelectElement;
      const v = value ?? (el as HTMLSelectElement).options[1].value;
      const t = performance.now();
      el.value = v;
      el.dispatchEvent(new Event(event!));
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t;
    }, [id, value, event] as const);
    const filterAgencyMs = await timeFilter('f-agency', null, 'change');
    const agencyMatches = (await page.locator('#ds-status').textContent()) ?? '';
    await timeFilter('f-agency', '', 'change');
    const filterSearchMs = await timeFilter('f-search', '統計', 'input');
    if (errors.length) throw new Error(`the dashboard raised script errors: ${errors.slice(0, 3).join('; ')}`);
    const r = (x: number) => Math.round(x);
    return { agencyTableMs: r(agencyTableMs), datasetTableMs: r(datasetTableMs), filterAgencyMs: r(filterAgencyMs), filterSearchMs: r(filterSearchMs), agencyMatches };
  } finally {
    await browser.close();
  }
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/lib/dashboard-timing.ts <index.html>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await timeDashboard(file))}\n`);
}
