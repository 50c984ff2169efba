// Streaming inspection benchmark: a generated CSV (1 GB; ODBADGE_BENCH_CSV_MB to shrink) inspected by odbadge's
// streaming path versus csv-parse alone reading the same file in the same run, and a generated XLSX (200 MB;
// ODBADGE_BENCH_XLSX_MB) through the streaming workbook reader. Each side runs in its own child process, which
// reports its wall time, CPU time and peak RSS (process.resourceUsage().maxRSS) at exit; `ratio` is by wall time,
// `cpuRatio` by CPU time (the steadier figure when other work shares the machine). Files live in a temp dir, removed after.
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { createDeflateRaw, crc32 } from 'node:zlib';

const self = import.meta.filename;

interface ChildResult {
  ms: number;
  /** user + system CPU time: steadier than wall time when other work shares the machine */
  cpuMs: number;
  peakRssMB: number;
  records: number;
  structured?: boolean | null;
}

async function child(mode: string, file: string): Promise<void> {
  const started = performance.now();
  let records = 0;
  let structured: boolean | null | undefined;
  if (mode === 'baseline-csv') {
    // csv-parse alone, used the cheapest idiomatic way: every record is parsed and emitted as a 'data' event, then
    // dropped (an async iterator would queue each chunk's rows first). Same 64 KiB reads as odbadge's file stream.
    const { parse } = await import('csv-parse');
    const parser = createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(parse({ relax_column_count: true, bom: true }));
    parser.on('data', () => {
      records++;
    });
    await once(parser, 'end');
  } else {
    const { inspectFile } = await import('../src/inspect/stream.ts');
    const facts = await inspectFile(file, {}, { streamAbove: 0 });
    records = facts.recordCount ?? 0;
    structured = facts.structured;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage();
  const out: ChildResult = { ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMB: process.resourceUsage().maxRSS / 1024, records, ...(structured !== undefined ? { structured } : {}) };
  process.stdout.write(JSON.stringify(out));
}

async function runChild(mode: string, file: string): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [self, '--child', mode, file], { maxBuffer: 1 << 20, timeout: 60 * 60 * 1000 });
  return JSON.parse(stdout) as ChildResult;
}

async function write(out: NodeJS.WritableStream, s: string | Buffer): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

const DISTRICTS = ['中正區', '大同區', '中山區', '松山區', '大安區', '萬華區', '信義區', '士林區', '北投區', '內湖區', '南港區', '文山區'];

async function makeCsv(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  await write(out, '序號,行政區,村里,男,女,人口,面積,備註\n');
  let written = 0;
  let i = 0;
  while (written < bytes) {
    let block = '';
    for (let k = 0; k < 2000; k++, i++) {
      const m = (i * 7919) % 50000;
      block += `${i},${DISTRICTS[i % 12]},第${i % 97}里,${m},${m + 311},${2 * m + 311},${(m / 1000).toFixed(3)},"備註, 第 ${i} 筆"\n`;
    }
    written += Buffer.byteLength(block);
    await write(out, block);
  }
  out.end();
  await once(out, 'finish');
}

/** A one-sheet XLSX written as a stream: shared strings for the header, numbers and inline strings in the rows. */
async function makeXlsx(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const central: Buffer[] = [];
  let offset = 0;
  let inFlight = 0; // compressed bytes of the entry being written
  async function entry(name: string, produce: (push: (s: string) => Promise<void>) => Promise<void>): Promise<void> {
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // data descriptor follows, UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(nameBytes.length, 26);
    await write(out, Buffer.concat([local, nameBytes]));
    const start = offset;
    offset += 30 + nameBytes.length;
    let crc = 0;
    let size = 0;
    let compressed = 0;
    const deflate = createDeflateRaw({ level: 1 });
    deflate.on('data', (d: Buffer) => {
      compressed += d.length;
      inFlight = compressed;
      if (!out.write(d)) deflate.pause();
    });
    out.on('drain', () => deflate.resume());
    const done = once(deflate, 'end');
    await produce(async (s) => {
      const b = Buffer.from(s);
      crc = crc32(b, crc);
      size += b.length;
      if (!deflate.write(b)) await once(deflate, 'drain');
    });
    deflate.end();
    await done;
    out.removeAllListeners('drain');
    offset += compressed;
    inFlight = 0;
    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc, 4);
    dd.writeUInt32LE(compressed, 8);
    dd.writeUInt32LE(size, 12);
    await write(out, dd);
    offset += 16;
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0808, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(compressed, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(start, 42);
    central.push(dir, nameBytes);
  }
  const header = ['序號', '行政區', '男', '女', '人口', '面積'];
  await entry('[Content_Types].xml', (p) => p('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'));
  await entry('_rels/.rels', (p) => p('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'));
  await entry('xl/workbook.xml', (p) => p('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人口" sheetId="1" r:id="rId1"/></sheets></workbook>'));
  await entry('xl/_rels/workbook.xml.rels', (p) => p('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'));
  await entry('xl/sharedStrings.xml', (p) => p(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${[...header, ...DISTRICTS].map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`));
  await entry('xl/worksheets/sheet1.xml', async (p) => {
    await p(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${header.map((_, c) => `<c r="${String.fromCharCode(65 + c)}1" t="s"><v>${c}</v></c>`).join('')}</row>`);
    let r = 2;
    let x = 12345;
    while (offset + inFlight < bytes) {
      let block = '';
      for (let k = 0; k < 2000; k++, r++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff; // pseudo-random numbers: compress like real data, not like a pattern
        const m = x % 100000;
        block += `<row r="${r}"><c r="A${r}"><v>${r - 1}</v></c><c r="B${r}" t="s"><v>${6 + (x % 12)}</v></c><c r="C${r}"><v>${m}</v></c><c r="D${r}"><v>${(x >> 7) % 100000}</v></c><c r="E${r}"><v>${m + ((x >> 7) % 100000)}</v></c><c r="F${r}"><v>${(x % 99991) / 1000}</v></c></row>`;
      }
      await p(block);
    }
    await p('</sheetData></worksheet>');
  });
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length / 2, 8);
  end.writeUInt16LE(central.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  await write(out, Buffer.concat([cd, end]));
  out.end();
  await once(out, 'finish');
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export { makeXlsx, makeCsv };
export default async function bench(): Promise<Record<string, { ratio: number; peakRssMB?: number; [k: string]: unknown }>> {
  const csvMB = Number(process.env.ODBADGE_BENCH_CSV_MB ?? 1024);
  const xlsxMB = Number(process.env.ODBADGE_BENCH_XLSX_MB ?? 200);
  const dir = await mkdtemp(path.join(tmpdir(), 'odbadge-bench-'));
  try {
    const csv = path.join(dir, 'big.csv');
    process.stderr.write(`generating a ${csvMB} MB CSV…\n`);
    await makeCsv(csv, csvMB * 1024 * 1024);
    const csvSize = (await stat(csv)).size / (1024 * 1024);
    const base = await runChild('baseline-csv', csv);
    const ours = await runChild('odbadge', csv);
    if (ours.records !== base.records - 1) throw new Error(`record counts differ: odbadge ${ours.records}, csv-parse ${base.records} rows`);
    const mbPerSec = csvSize / (ours.ms / 1000);
    const baselineMbPerSec = csvSize / (base.ms / 1000);

    const xlsx = path.join(dir, 'big.xlsx');
    process.stderr.write(`generating a ${xlsxMB} MB XLSX…\n`);
    await makeXlsx(xlsx, xlsxMB * 1024 * 1024);
    const xlsxSize = (await stat(xlsx)).size / (1024 * 1024);
    const x = await runChild('odbadge', xlsx);
    return {
      'inspect-csv-1gb': {
        ratio: round(mbPerSec / baselineMbPerSec),
        peakRssMB: Math.round(ours.peakRssMB),
        mbPerSec: round(mbPerSec, 1),
        baselineMbPerSec: round(baselineMbPerSec, 1),
        baselinePeakRssMB: Math.round(base.peakRssMB),
        cpuRatio: round(base.cpuMs / ours.cpuMs),
        readChunkKB: 64,
        sizeMB: Math.round(csvSize),
        records: ours.records,
        structured: ours.structured,
      },
      'inspect-xlsx-200mb': {
        ratio: 1, // no baseline reads a 200 MB XLSX in bounded memory; the figure of interest is peak RSS
        peakRssMB: Math.round(x.peakRssMB),
        mbPerSec: round(xlsxSize / (x.ms / 1000), 1),
        seconds: round(x.ms / 1000, 1),
        sizeMB: Math.round(xlsxSize),
        records: x.records,
        structured: x.structured,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
