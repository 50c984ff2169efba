// `npm run demo` end to end: the embedded portal audited in-process, results.json valid, the table printed,
// and odbadge's badges agreeing with the demo's recorded truth.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.ts';
import { isMessageCode } from '../../src/messages/index.ts';
import type { AuditResult, IndicatorResult } from '../../src/model.ts';
import { validateResults } from '../../src/report/results-json.ts';

describe('npm run demo', () => {
  let out: string;
  let demo: Awaited<ReturnType<typeof runDemo>>;
  let results: AuditResult;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'odbadge-demo-'));
    demo = await runDemo({ out, quiet: true });
    results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  }, 120_000);

  it('audits the demo portal, prints the per-agency table and writes a valid results.json', async () => {
    const { md, agreement } = demo;
    expect(md).toMatch(/\| 勞動部勞工保險局 \| \d+ \|/);
    expect(md).toMatch(/分數 Score/);
    expect(validateResults(results)).toEqual([]);
    expect(results.datasets).toHaveLength(562);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('勞動部勞工保險局');
    expect(agreement.total).toBe(562);
    // Every planted failure is deterministic; only a loaded machine turning a pass into a time-out could differ.
    expect(agreement.agree).toBeGreaterThanOrEqual(560);
    const badges = new Set(results.datasets.map((d: { badge: string }) => d.badge));
    expect([...badges].sort()).toEqual(['bronze', 'gold', 'none', 'silver']);
  });

  it('every indicator that did not pass and every finding has a code of the catalogue and a Chinese message (issue 12)', () => {
    const han = /\p{Script=Han}/u;
    const missing: string[] = [];
    const codes = new Set<string>();
    const check = (where: string, r: IndicatorResult) => {
      if (r.verdict === 'pass') return;
      codes.add(r.code ?? '');
      if (!r.code || !isMessageCode(r.code)) missing.push(`${where}: code ${r.code}`);
      if (!r.message || !han.test(r.message.zh) || !r.message.en) missing.push(`${where}: message ${JSON.stringify(r.message)}`);
    };
    let findings = 0;
    for (const d of results.datasets) {
      for (const [id, r] of Object.entries(d.indicators)) check(`${d.id} ${id}`, r);
      for (const [k, res] of d.resources.entries()) for (const [id, r] of Object.entries(res.indicators)) check(`${d.id}#${k} ${id}`, r);
      for (const f of d.findings) {
        findings++;
        if (!isMessageCode(f.code)) missing.push(`${d.id} finding code ${f.code}`);
        if (!f.text || !han.test(f.text.zh) || !f.messageZh) missing.push(`${d.id} finding ${f.code}: ${JSON.stringify(f.text)}`);
      }
    }
    expect(missing).toEqual([]);
    expect(findings).toBeGreaterThan(0);
    // The demo's planted failures reach these codes (a loaded machine may add a transient one, e.g. link-valid.network).
    expect([...codes]).toEqual(expect.arrayContaining([
      'direct-download.html', 'direct-download.login', 'direct-download.message', 'encoding-match.mismatch', 'fields-match.mismatch', 'gated',
      'link-valid.http-error', 'link-valid.timeout', 'oas-valid.invalid', 'oas-valid.none', 'structured.errors', 'structured.not-data-format', 'timely.late',
    ]));
  });

  it('times in the evidence are Taiwan time with the offset (data.gov.tw)', () => {
    const late = results.datasets.map((d) => d.indicators.timely).find((r) => r.verdict === 'fail')!;
    expect(late.message!.zh).toMatch(/最近更新 \d{4}-\d\d-\d\d \d\d:\d\d UTC\+08:00（依目錄中的資料資源更新時間）/);
    expect(late.message!.en).toMatch(/last update \d{4}-\d\d-\d\d \d\d:\d\d UTC\+08:00 per the resource update time in the catalogue/);
    // the compatibility text keeps the recorded UTC instant
    expect(late.evidence).toMatch(/last update \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z per/);
  });
});
