// Outputs written from streamed results (issue 13): what a user of a whole-portal audit relies on — the CLI's
// files are the same whether the results come from the store or (--no-store) a spill file, `report --run` writes
// an audit's outputs again byte for byte, results.jsonl holds the same datasets, `audit --quiet` prints nothing,
// and a results.json is read back in any JSON layout.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { odbadge } from '../helpers/cli.ts';
import { startFixturePortal, type FixtureDataset } from '../helpers/portal-fixture.ts';
import { openResultsFile } from '../../src/report/results-file.ts';
import { resultsJson, resultsJsonPieces } from '../../src/report/results-json.ts';
import { headerOf } from '../../src/report/results-stream.ts';
import type { AuditResult } from '../../src/model.ts';

const CSV = '村名,人口\r\n大安里,1200\r\n中正里,980\r\n';
const datasets: FixtureDataset[] = [
  { id: 'A1', title: '村里人口', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }] },
  { id: 'A2', title: '已移除的資料', agency: '甲機關', fields: '村名、人口', resources: [{ path: '/gone.csv', format: 'CSV' }] },
  { id: 'B1', title: '宣告為 CSV 的 PDF', agency: '乙機關', fields: '村名、人口', officialBadge: '金標章', resources: [{ path: '/doc.pdf', format: 'CSV' }] },
  { id: 'B2', title: '=HYPERLINK("x") 與 \u2028 行分隔', agency: '乙機關', fields: '村名、人口', resources: [{ path: '/good.csv', format: 'CSV' }, { path: '/big5.csv', format: 'CSV' }] },
];

let portal: Awaited<ReturnType<typeof startFixturePortal>>;
let dir: string;
const out = (name: string) => join(dir, name);
const FILES = ['agencies.csv', 'datasets.csv', 'fix-first.csv', 'index.html', 'report.md', 'results.json', 'summary.csv', 'summary.md'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'odbadge-streamed-'));
  portal = await startFixturePortal(datasets, {
    '/good.csv': (_q, s) => s.writeHead(200, { 'content-type': 'text/csv' }).end(CSV),
    '/gone.csv': (_q, s) => s.writeHead(404).end('not found'),
    '/doc.pdf': (_q, s) => s.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4\n%âãÏÓ\n1 0 obj\n'),
    '/big5.csv': (_q, s) => s.writeHead(200, { 'content-type': 'text/csv' }).end(Buffer.from('b8adb0cf2cb04bb1a10d0ab86ab0cf2c310d0a', 'hex')),
  });
}, 30_000);
afterAll(async () => {
  await portal?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('audit outputs from streamed results', () => {
  it('audit --quiet prints nothing at all, and still writes every file', async () => {
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out('quiet'), '--db', out('q.db'), '--allow-private-network', '--quiet']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    for (const f of FILES) expect((await readFile(join(out('quiet'), f))).length, f).toBeGreaterThan(0);
  }, 60_000);

  it('report --run writes the audit\'s outputs again, byte for byte, from the history store', async () => {
    const a = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out('a'), '--db', out('a.db'), '--allow-private-network', '--quiet']);
    expect(a.code).toBe(0);
    const r = await odbadge(['report', '--run', '1', '--db', out('a.db'), '--out', out('again')]);
    expect(r.code).toBe(0);
    for (const f of FILES) expect((await readFile(join(out('again'), f), 'utf8')), f).toBe(await readFile(join(out('a'), f), 'utf8'));
    const bad = await odbadge(['report', '--run', '7', '--db', out('a.db'), '--out', out('none')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no run 7');
    const both = await odbadge(['report', '--run', '1', '--results', join(out('a'), 'results.json'), '--out', out('none')]);
    expect(both.code).toBe(2);
  }, 90_000);

  it('--no-store goes through a spill file and gives the same badges and verdicts; results.jsonl holds the same datasets', async () => {
    const r = await odbadge(['audit', '--catalog', portal.exportUrl, '--out', out('nostore'), '--no-store', '--jsonl', '--allow-private-network', '--quiet']);
    expect(r.code).toBe(0);
    const stored = JSON.parse(await readFile(join(out('quiet'), 'results.json'), 'utf8')) as AuditResult;
    const spilled = JSON.parse(await readFile(join(out('nostore'), 'results.json'), 'utf8')) as AuditResult;
    const verdicts = (x: AuditResult) => x.datasets.map((d) => [d.id, d.badge, Object.values(d.indicators).map((i) => i.verdict).join(' ')]);
    expect(verdicts(spilled)).toEqual(verdicts(stored));
    expect(verdicts(spilled)).toEqual([
      ['A1', 'gold', 'pass pass pass pass pass pass not-evaluated'],
      ['A2', 'none', 'fail not-evaluated not-evaluated not-evaluated not-evaluated pass not-evaluated'],
      ['B1', 'bronze', 'pass pass fail not-evaluated not-evaluated pass not-evaluated'],
      ['B2', 'silver', 'pass pass pass fail fail pass not-evaluated'],
    ]);
    expect(spilled.agencies).toEqual(stored.agencies);
    const lines = (await readFile(join(out('nostore'), 'results.jsonl'), 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(spilled.datasets);
  }, 60_000);
});

describe('results.json as a stream', () => {
  const fixture = async (): Promise<AuditResult> => JSON.parse(await readFile(join(import.meta.dirname, '../../fixtures/runs/awards-2025.json'), 'utf8'));

  it('is written piece by piece with the bytes resultsJson gives, whatever the text holds', async () => {
    const r = await fixture();
    r.datasets[0].title = 'line\u2028separator, \u2029 paragraph, CSI \u009b, "quote" and }]{[ brackets';
    r.datasets[1].findings.push({ code: 'internal-error', message: 'a\nb\r\nc' });
    const p = resultsJsonPieces(headerOf(r));
    const text = p.head + r.datasets.map((d, n) => p.dataset(d, n)).join('') + p.tail(r.datasets.length);
    expect(text).toBe(resultsJson(r));
    // The same data, every character back as it was (the C1 control escaped in the file, raw once parsed)…
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)));
    expect(text).not.toContain('\u009b');
    expect(text).toContain('CSI \\u009b');
    // …the envelope indented, and each of the 133 datasets on one line of its own.
    expect(text.startsWith('{\n  "odbadge": ')).toBe(true);
    expect(text.split('\n').filter((l) => l.startsWith('    {"id":')).length).toBe(133);
    const empty = { ...r, datasets: [] };
    const q = resultsJsonPieces(headerOf(empty));
    expect(JSON.parse(q.head + q.tail(0))).toEqual(JSON.parse(JSON.stringify(empty)));
  });

  it('is read back one dataset at a time, in any JSON layout', async () => {
    const r = await fixture();
    r.datasets[2].title = 'braces } ] { [ and "escaped \\" quotes" in a string';
    for (const [name, text] of [['odbadge.json', resultsJson(r)], ['pretty.json', JSON.stringify(r, null, 2)], ['compact.json', JSON.stringify({ datasets: r.datasets, ...headerOf(r) })]] as const) {
      await writeFile(out(name), text);
      const f = await openResultsFile(out(name));
      try {
        expect(f.count).toBe(133);
        expect(f.header.agencies).toEqual(r.agencies);
        expect(f.header.startedAt).toBe(r.startedAt);
        const got = [];
        for await (const d of f.datasets()) got.push(d);
        expect(got).toEqual(r.datasets);
        expect(await f.dataset(2)).toEqual(r.datasets[2]);
      } finally {
        await f.close();
      }
    }
  });

  it('says clearly what is wrong with a file that is cut short or is not results', async () => {
    const r = await fixture();
    await writeFile(out('cut.json'), resultsJson(r).slice(0, 5000));
    await expect(openResultsFile(out('cut.json'))).rejects.toThrow(/is not valid JSON: it ends before its closing "}"/);
    await writeFile(out('other.json'), '{"hello": [1, 2, 3]}');
    await expect(openResultsFile(out('other.json'))).rejects.toThrow(/is not an odbadge results.json \(needs datasets, agencies and startedAt\)/);
    await writeFile(out('array.json'), '[1, 2]');
    await expect(openResultsFile(out('array.json'))).rejects.toThrow(/expected an object at byte 0/);
  });
});
