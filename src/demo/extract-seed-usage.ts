// Extracts seed 004 (勞動部, 2017) 附件一 (usage per dataset) and 附件二 (datasets added since 2017-04-19)
// into seeds/mol-usage-2017.json, the data the demo portal is built from.
// Run: node src/demo/extract-seed-usage.ts   (writes the JSON; exits non-zero when the seed does not add up)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packagePath } from '../paths.ts';
import { writeFileAtomicSync } from '../util/atomic-write.ts';

export const SEED_RELATIVE_PATH = 'seeds/source/004_2d7911a91adf7833.txt';

export interface SeedUsageRow {
  no: number;
  title: string;
  agency: string;
  views: number;
  downloads: number;
}

export interface SeedNewDataset {
  no: number;
  title: string;
  description: string;
  agency: string;
  category: string;
}

export interface SeedUsage {
  source: string;
  extractedFrom: {
    file: string;
    annex1: { title: string; lines: [number, number] };
    annex2: { title: string; lines: [number, number] };
  };
  totals: { views: number; downloads: number };
  datasets: SeedUsageRow[];
  newDatasets: SeedNewDataset[];
}

const ANNEX1_HEADER = ['編號', '資料集名稱', '機關', '累計瀏覽量', '累計下載量'];
const ANNEX2_HEADER = ['編號', '資料集名稱', '資料集描述', '提供機關', '服務分類'];

/** "884,091" → 884091; anything else is an error naming the line, never a silent NaN. */
function parseCount(text: string, lineNo: number): number {
  const t = text.trim();
  if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(t)) throw new Error(`seed line ${lineNo}: not a count: ${JSON.stringify(text)}`);
  return Number(t.replaceAll(',', ''));
}

function findLine(lines: string[], from: number, test: (l: string) => boolean, what: string): number {
  for (let i = from; i < lines.length; i++) if (test(lines[i])) return i;
  throw new Error(`seed: ${what} not found`);
}

const isHeader = (cells: string[], header: string[]) => cells.length === header.length && cells.every((c, i) => c.trim() === header[i]);

/** Parses the seed text. Line numbers in the result are 1-based, as an editor shows them. */
export function parseSeedUsage(text: string, file = SEED_RELATIVE_PATH): SeedUsage {
  const lines = text.split(/\r?\n/);
  const a1 = findLine(lines, 0, (l) => l.startsWith('附件一'), '附件一');
  const a2 = findLine(lines, a1 + 1, (l) => l.startsWith('附件二'), '附件二');
  const a3 = findLine(lines, a2 + 1, (l) => l.startsWith('附件三'), '附件三');

  const datasets: SeedUsageRow[] = [];
  let totals: { views: number; downloads: number } | undefined;
  let a1End = a1;
  for (let i = a1 + 1; i < a2; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (isHeader(cells, ANNEX1_HEADER)) continue; // repeated at every page break of the PDF
    if (cells.length !== 5) throw new Error(`seed line ${i + 1}: expected 5 tab-separated cells, got ${cells.length}`);
    if (cells[1].trim() === '合計') {
      totals = { views: parseCount(cells[3], i + 1), downloads: parseCount(cells[4], i + 1) };
      a1End = i;
      break;
    }
    const no = Number(cells[0]);
    if (!Number.isInteger(no) || no !== datasets.length + 1) throw new Error(`seed line ${i + 1}: expected row ${datasets.length + 1}, got ${JSON.stringify(cells[0])}`);
    datasets.push({ no, title: cells[1].trim(), agency: cells[2].trim(), views: parseCount(cells[3], i + 1), downloads: parseCount(cells[4], i + 1) });
  }
  if (!totals) throw new Error('seed: 附件一 has no 合計 row');
  const sum = datasets.reduce((s, d) => ({ views: s.views + d.views, downloads: s.downloads + d.downloads }), { views: 0, downloads: 0 });
  if (sum.views !== totals.views || sum.downloads !== totals.downloads) {
    throw new Error(`seed: 附件一 合計 says ${totals.views} views / ${totals.downloads} downloads, rows sum to ${sum.views} / ${sum.downloads}`);
  }

  const newDatasets: SeedNewDataset[] = [];
  let a2End = a2;
  for (let i = a2 + 1; i < a3; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (isHeader(cells, ANNEX2_HEADER)) continue;
    if (cells.length !== 5) throw new Error(`seed line ${i + 1}: expected 5 tab-separated cells, got ${cells.length}`);
    const no = Number(cells[0]);
    if (!Number.isInteger(no) || no !== newDatasets.length + 1) throw new Error(`seed line ${i + 1}: expected row ${newDatasets.length + 1}, got ${JSON.stringify(cells[0])}`);
    newDatasets.push({ no, title: cells[1].trim(), description: cells[2].trim(), agency: cells[3].trim(), category: cells[4].trim() });
    a2End = i;
  }
  const announced = /新增開放資料集(\d+)項/.exec(lines[a2]);
  if (announced && Number(announced[1]) !== newDatasets.length) {
    throw new Error(`seed: 附件二 announces ${announced[1]} datasets, found ${newDatasets.length}`);
  }

  return {
    source: '勞動部政府資料開放諮詢小組 106 年第 2 次會議紀錄 (2017-11-10, seed 004): 附件一 資料集累積瀏覽量及下載量 (to 2017-10-30); 附件二 新增開放資料集 44 項',
    extractedFrom: {
      file,
      annex1: { title: lines[a1].trim(), lines: [a1 + 1, a1End + 1] },
      annex2: { title: lines[a2].trim(), lines: [a2 + 1, a2End + 1] },
    },
    totals,
    datasets,
    newDatasets,
  };
}

export const SEED_USAGE_JSON = packagePath('seeds/mol-usage-2017.json');

/** The committed extraction, as the demo portal reads it. */
export function loadSeedUsage(): SeedUsage {
  return JSON.parse(readFileSync(SEED_USAGE_JSON, 'utf8')) as SeedUsage;
}

/** Pretty at the top, one row per line below: diffs of the committed file stay readable. */
export function formatUsageJson(usage: SeedUsage): string {
  const rows = (items: object[]) => '[\n' + items.map((x) => '    ' + JSON.stringify(x)).join(',\n') + '\n  ]';
  return (
    '{\n' +
    `  "source": ${JSON.stringify(usage.source)},\n` +
    `  "extractedFrom": ${JSON.stringify(usage.extractedFrom)},\n` +
    `  "totals": ${JSON.stringify(usage.totals)},\n` +
    `  "datasets": ${rows(usage.datasets)},\n` +
    `  "newDatasets": ${rows(usage.newDatasets)}\n` +
    '}\n'
  );
}

function main(): void {
  const seedPath = packagePath(SEED_RELATIVE_PATH);
  const usage = parseSeedUsage(readFileSync(seedPath, 'utf8'));
  writeFileAtomicSync(SEED_USAGE_JSON, formatUsageJson(usage));
  console.log(`${SEED_USAGE_JSON}: ${usage.datasets.length} datasets, ${usage.totals.views} views, ${usage.totals.downloads} downloads; ${usage.newDatasets.length} new datasets`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
