// `npm run demo` end to end: the embedded portal audited in-process, results.json valid, the table printed,
// and odbadge's badges agreeing with the demo's recorded truth.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.ts';
import { validateResults } from '../../src/report/results-json.ts';

describe('npm run demo', () => {
  it('audits the demo portal, prints the per-agency table and writes a valid results.json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'odbadge-demo-'));
    const { md, agreement } = await runDemo({ out, quiet: true });
    expect(md).toMatch(/\| 勞動部勞工保險局 \| \d+ \|/);
    expect(md).toMatch(/分數 Score/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(validateResults(results)).toEqual([]);
    expect(results.datasets).toHaveLength(562);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('勞動部勞工保險局');
    expect(agreement.total).toBe(562);
    // Every planted failure is deterministic; only a loaded machine turning a pass into a time-out could differ.
    expect(agreement.agree).toBeGreaterThanOrEqual(560);
    const badges = new Set(results.datasets.map((d: { badge: string }) => d.badge));
    expect([...badges].sort()).toEqual(['bronze', 'gold', 'none', 'silver']);
  }, 120_000);
});
