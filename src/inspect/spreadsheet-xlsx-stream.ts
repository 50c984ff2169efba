// A streaming XLSX reader for workbooks too large for SheetJS (which keeps every cell in memory). yauzl gives random
// access to the ZIP entries, saxes parses each sheet's XML as it inflates: rows go to the SheetChecker one at a time,
// `<f>` elements are formulas, `<mergeCell ref>` are merges. The shared-string table can be as large as the data, so
// only the strings the checks need are kept: those used by the first rows (header, title, second header), the
// summary keywords (小計 …), number-looking strings and blank ones. Memory stays bounded by those, not the file.
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import type { Readable } from 'node:stream';
import { SheetChecker, type SheetCell, type SheetResult, normaliseCellText, parseCellRef } from './spreadsheet-checker.ts';
import type { SpreadsheetFacts } from './spreadsheet.ts';

export type ZipSource = { kind: 'buffer'; buffer: Buffer } | { kind: 'file'; path: string };

/** Rows read in the first pass to learn which shared strings the header checks need. */
const HEAD_ROWS = 40;
/** Inflated / compressed above which a sheet is treated as a zip bomb (only for parts above MIN_BOMB_BYTES). */
const MAX_RATIO = 200;
const MIN_BOMB_BYTES = 64 * 1024 * 1024;

function openZip(src: ZipSource): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, zip: yauzl.ZipFile) => (err ? reject(err) : resolve(zip));
    if (src.kind === 'buffer') yauzl.fromBuffer(src.buffer, { lazyEntries: true, autoClose: false }, cb);
    else yauzl.open(src.path, { lazyEntries: true, autoClose: false }, cb);
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (e: yauzl.Entry) => {
      entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

interface XmlHandlers {
  open?(name: string, attrs: Record<string, string>): void;
  text?(text: string): void;
  close?(name: string): void;
}

/** Parse one entry's XML; `stop()` inside a handler ends reading early. Rejects on malformed XML or a broken entry. */
async function parseEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, h: XmlHandlers & { stopped?: () => boolean }): Promise<void> {
  const stream = await openEntry(zip, entry);
  stream.setEncoding('utf8');
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  if (h.open) parser.on('opentag', (n) => h.open!(local(n.name), n.attributes as Record<string, string>));
  if (h.text) {
    parser.on('text', (t) => h.text!(t));
    parser.on('cdata', (t) => h.text!(t));
  }
  if (h.close) parser.on('closetag', (n) => h.close!(local(n.name)));
  try {
    for await (const chunk of stream) {
      parser.write(chunk as string);
      if (failure) throw failure;
      if (h.stopped?.()) return;
    }
    parser.close();
    if (failure) throw failure;
  } finally {
    stream.destroy();
  }
}

interface SheetRef {
  name: string;
  path: string;
}

async function workbookSheets(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>): Promise<SheetRef[]> {
  const wb = entries.get('xl/workbook.xml');
  if (!wb) throw new Error('xl/workbook.xml is missing');
  const sheets: { name: string; rid: string }[] = [];
  await parseEntry(zip, wb, {
    open(name, a) {
      if (name === 'sheet') sheets.push({ name: a.name ?? `Sheet${sheets.length + 1}`, rid: a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? '' });
    },
  });
  const targets = new Map<string, string>();
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (rels) {
    await parseEntry(zip, rels, {
      open(name, a) {
        if (name === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target);
      },
    });
  }
  return sheets.map((s, i) => {
    const t = targets.get(s.rid) ?? `worksheets/sheet${i + 1}.xml`;
    return { name: s.name, path: t.startsWith('/') ? t.slice(1) : `xl/${t.replace(/^\.\//, '')}` };
  });
}

/** What the checks need to know about shared strings, without keeping the whole table. */
interface StringFacts {
  text: Map<number, string>;
  blank: Set<number>;
}

async function sharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, wanted: Set<number>): Promise<StringFacts> {
  const facts: StringFacts = { text: new Map(), blank: new Set() };
  if (!entry) return facts;
  let index = -1;
  let depthPhonetic = 0;
  let inT = false;
  let buf = '';
  await parseEntry(zip, entry, {
    open(name) {
      if (name === 'si') {
        index++;
        buf = '';
      } else if (name === 'rPh') depthPhonetic++;
      else if (name === 't') inT = depthPhonetic === 0;
    },
    text(t) {
      if (inT) buf += t;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') depthPhonetic--;
      else if (name === 'si') {
        if (buf.trim() === '') facts.blank.add(index);
        else {
          const n = normaliseCellText(buf);
          if (wanted.has(index) || n.summary || n.numericText) facts.text.set(index, buf);
        }
      }
    },
  });
  return facts;
}

/** Streams one sheet's XML, calling `onRow` with raw cells and collecting formulas and merges. */
async function walkSheet(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  onRow: (r: number, cells: RawCell[]) => void,
  onFormula: (col: number, row: number, f: string) => void,
  onMerge: (ref: string) => void,
  stopped?: () => boolean,
): Promise<void> {
  let row = 0;
  let col = -1;
  let cells: RawCell[] = [];
  let cell: RawCell | null = null;
  let inV = false;
  let inF = false;
  let inIs = false;
  let inT = false;
  let formula: string | null = null;
  await parseEntry(zip, entry, {
    stopped,
    open(name, a) {
      switch (name) {
        case 'row':
          row = a.r ? Number(a.r) : row + 1;
          col = -1;
          cells = [];
          break;
        case 'c': {
          const ref = a.r ? parseCellRef(a.r) : undefined;
          col = ref ? ref.col : col + 1;
          cell = { col, t: a.t ?? 'n', v: '' };
          formula = null;
          break;
        }
        case 'v':
          inV = true;
          break;
        case 'f':
          inF = true;
          formula = '';
          break;
        case 'is':
          inIs = true;
          break;
        case 't':
          inT = inIs;
          break;
        case 'rPh':
          inIs = false; // phonetic runs are not cell text
          break;
        case 'mergeCell':
          if (a.ref) onMerge(a.ref);
          break;
      }
    },
    text(t) {
      if (!cell) return;
      if (inV || inT) cell.v += t;
      else if (inF) formula += t;
    },
    close(name) {
      switch (name) {
        case 'v':
          inV = false;
          break;
        case 'f':
          inF = false;
          break;
        case 't':
          inT = false;
          break;
        case 'is':
          inIs = false;
          break;
        case 'c':
          if (cell) {
            if (formula !== null) onFormula(cell.col, row, formula);
            cells.push(cell);
          }
          cell = null;
          break;
        case 'row':
          onRow(row, cells);
          cells = [];
          break;
      }
    },
  });
}

interface RawCell {
  col: number;
  t: string;
  v: string;
}

function toCell(raw: RawCell, strings: StringFacts): SheetCell | undefined {
  const v = raw.v;
  switch (raw.t) {
    case 's': {
      const i = Number(v);
      if (v === '' || strings.blank.has(i)) return undefined;
      const text = strings.text.get(i);
      if (text !== undefined) return { col: raw.col, kind: 'text', text, key: text, ...normaliseCellText(text) };
      return { col: raw.col, kind: 'text', key: `\u0001s${i}`, summary: false, numericText: false };
    }
    case 'inlineStr':
    case 'str':
      if (v.trim() === '') return undefined;
      return { col: raw.col, kind: 'text', text: v, key: v, ...normaliseCellText(v) };
    case 'b':
      if (v === '') return undefined;
      return { col: raw.col, kind: 'bool', text: v === '1' ? 'TRUE' : 'FALSE', key: v === '1' ? 'TRUE' : 'FALSE' };
    case 'e':
      return { col: raw.col, kind: 'error', text: v || '#ERR', key: v || '#ERR' };
    default: {
      if (v.trim() === '') return undefined;
      const key = raw.t === 'd' ? v : String(Number(v));
      return { col: raw.col, kind: 'number', text: key, key };
    }
  }
}

/** Entry names of a ZIP file on disk, from its central directory (an XLSX whose head does not show its parts). */
export async function zipEntryNames(path: string): Promise<string[]> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip({ kind: 'file', path });
    return [...(await listEntries(zip)).keys()];
  } catch {
    return [];
  } finally {
    zip?.close();
  }
}

export async function inspectXlsxStream(src: ZipSource): Promise<SpreadsheetFacts> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip(src);
    const entries = await listEntries(zip);
    const sheets = await workbookSheets(zip, entries);
    const results: SheetResult[] = [];
    for (const sheet of sheets) {
      const entry = entries.get(sheet.path);
      const checker = new SheetChecker(sheet.name);
      if (!entry) {
        results.push(checker.end());
        continue;
      }
      if (entry.uncompressedSize > MIN_BOMB_BYTES && entry.uncompressedSize / Math.max(1, entry.compressedSize) > MAX_RATIO) {
        return { format: 'xlsx', sheets: results, reader: 'stream', problem: `sheet ${sheet.name} (${sheet.path}) inflates ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1, which looks like a zip bomb; not read` };
      }
      // Pass 1: the first rows, to learn which shared strings the header checks need.
      const wanted = new Set<number>();
      let headRows = 0;
      await walkSheet(
        zip,
        entry,
        (_r, cells) => {
          headRows++;
          for (const c of cells) if (c.t === 's' && c.v !== '') wanted.add(Number(c.v));
        },
        () => {},
        () => {},
        () => headRows >= HEAD_ROWS,
      );
      const strings = await sharedStrings(zip, entries.get('xl/sharedStrings.xml'), wanted);
      // Pass 2: every row.
      await walkSheet(
        zip,
        entry,
        (r, raw) => {
          const cells: SheetCell[] = [];
          for (const c of raw) {
            const sc = toCell(c, strings);
            if (sc) cells.push(sc);
          }
          checker.row(r, cells);
        },
        (col, row, f) => checker.formula(col, row, f),
        (ref) => {
          const [a, b] = ref.split(':');
          if (b && a !== b) checker.merge(ref);
        },
      );
      results.push(checker.end());
    }
    return { format: 'xlsx', sheets: results, reader: 'stream' };
  } catch (err) {
    return { format: 'xlsx', sheets: [], reader: 'stream', problem: `the XLSX workbook cannot be read: ${(err as Error)?.message ?? String(err)}` };
  } finally {
    zip?.close();
  }
}
