// A streaming XLSX reader for workbooks too large for SheetJS (which keeps every cell in memory). yauzl gives random
// access to the ZIP entries, saxes parses each sheet's XML as it inflates: rows go to the SheetChecker one at a time,
// `<f>` elements are formulas, `<mergeCell ref>` are merges. The shared-string table can be as large as the data, so
// only what the checks need is kept: the text of the strings used by the first rows (header, title, second header)
// and of summary keywords (小計 …), within a budget, and one bit per string for "blank", "summary" and "number".
// Every text is read through CellText (a kept prefix and a length), so no string larger than KEPT_CELL_CHARS is ever
// built, and the limits (cell length, shared-string count and bytes, columns, cells, ratio) stop reading at once.
import type yauzl from 'yauzl';
import type { InspectLimits } from '../limits.ts';
import { exceeded, LimitExceeded } from '../limits.ts';
import { CellText, SheetChecker, WorkbookGuard, type SheetCell, type SheetResult, columnName, parseCellRef, sheetPrefix, textCell } from './checker.ts';
import type { SpreadsheetFacts } from './types.ts';
import { checkRatio, checkWorkbookSize, listEntries, openZip, parsePart, type ZipSource } from '../archive/zip-stream.ts';

export type { ZipSource } from '../archive/zip-stream.ts';

/** Rows read in the first pass to learn which shared strings the header checks need. */
const HEAD_ROWS = 40;
/** Characters of shared-string text kept in all (labels of the first rows, summary keywords): ~16 MB at most. */
const KEPT_STRINGS_CHARS = 8 * 1024 * 1024;

interface SheetRef {
  name: string;
  path: string;
}

async function workbookSheets(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, limits: InspectLimits): Promise<SheetRef[]> {
  const wb = entries.get('xl/workbook.xml');
  if (!wb) throw new Error('xl/workbook.xml is missing');
  const sheets: { name: string; rid: string }[] = [];
  await parsePart(zip, wb, limits, {
    open(name, a) {
      if (name === 'sheet') sheets.push({ name: a.name ?? `Sheet${sheets.length + 1}`, rid: a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? '' });
    },
  });
  const targets = new Map<string, string>();
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (rels) {
    await parsePart(zip, rels, limits, {
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

/** One bit per shared string. */
class Bits {
  private bytes = new Uint8Array(1024);
  set(i: number): void {
    if (i >> 3 >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, (i >> 3) + 1));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[i >> 3] |= 1 << (i & 7);
  }
  has(i: number): boolean {
    return i >= 0 && i >> 3 < this.bytes.length && (this.bytes[i >> 3] & (1 << (i & 7))) !== 0;
  }
}

/** What the checks need to know about shared strings, without keeping the whole table. */
interface StringFacts {
  kept: Map<number, { text: string; length: number }>;
  blank: Bits;
  summary: Bits;
  numeric: Bits;
}

async function sharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, wanted: Set<number>, limits: InspectLimits): Promise<StringFacts> {
  const facts: StringFacts = { kept: new Map(), blank: new Bits(), summary: new Bits(), numeric: new Bits() };
  if (!entry) return facts;
  if (entry.uncompressedSize > limits.maxSharedStringsBytes) {
    throw exceeded('maxSharedStringsBytes', limits.maxSharedStringsBytes, `${entry.fileName} inflates to ${entry.uncompressedSize} bytes`, { observed: entry.uncompressedSize, where: entry.fileName });
  }
  checkRatio(entry, limits);
  let index = -1;
  let depthPhonetic = 0;
  let inT = false;
  let keptChars = 0;
  const text = new CellText(limits.maxCellChars, () => `shared string ${index + 1} of ${entry.fileName}`);
  await parsePart(zip, entry, limits, {
    textWhere: () => `shared string ${index + 1}`,
    open(name) {
      if (name === 'si') {
        index++;
        if (index >= limits.maxSharedStrings) {
          throw exceeded('maxSharedStrings', limits.maxSharedStrings, `${entry.fileName} holds more than ${limits.maxSharedStrings} shared strings`, { observed: index + 1, where: entry.fileName });
        }
        text.reset();
      } else if (name === 'rPh') depthPhonetic++;
      else if (name === 't') inT = depthPhonetic === 0;
    },
    text(t) {
      if (inT) text.add(t);
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') depthPhonetic--;
      else if (name === 'si') {
        const cell = textCell(0, text.prefix, text.length, text.blank);
        if (!cell) return facts.blank.set(index);
        if (cell.summary) facts.summary.set(index);
        if (cell.numericText) facts.numeric.set(index);
        if ((wanted.has(index) || cell.summary) && keptChars + (cell.text ?? '').length <= KEPT_STRINGS_CHARS) {
          keptChars += (cell.text ?? '').length;
          facts.kept.set(index, { text: cell.text ?? '', length: text.length });
        }
      }
    },
  });
  return facts;
}

interface RawCell {
  col: number;
  t: string;
  v: CellText;
}

/** Streams one sheet's XML, calling `onRow` with raw cells and collecting formulas and merges. */
async function walkSheet(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  sheet: string,
  limits: InspectLimits,
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
  const where = () => `${sheetPrefix(sheet)}${columnName(Math.max(0, col))}${row}`;
  const formula = new CellText(limits.maxCellChars, () => `the formula in ${where()}`);
  let hasFormula = false;
  await parsePart(zip, entry, limits, {
    stopped,
    textWhere: () => (cell ? `cell ${where()}` : 'a text'),
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
          if (col >= limits.maxColumns || cells.length >= limits.maxColumns) {
            const n = Math.max(col, cells.length) + 1;
            throw exceeded('maxColumns', limits.maxColumns, `row ${row} of sheet ${sheet} reaches column ${n}, beyond ${limits.maxColumns} columns`, { observed: n, where: where() });
          }
          cell = { col, t: a.t ?? 'n', v: new CellText(limits.maxCellChars, () => `cell ${where()}`) };
          hasFormula = false;
          break;
        }
        case 'v':
          inV = true;
          break;
        case 'f':
          inF = true;
          hasFormula = true;
          formula.reset();
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
      if (inV || inT) cell.v.add(t);
      else if (inF) formula.add(t);
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
            if (hasFormula) onFormula(cell.col, row, formula.prefix.slice(0, 200));
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

function toCell(raw: RawCell, strings: StringFacts): SheetCell | undefined {
  const v = raw.v.prefix;
  switch (raw.t) {
    case 's': {
      const i = Number(v);
      if (v === '' || strings.blank.has(i)) return undefined;
      const kept = strings.kept.get(i);
      if (kept !== undefined) return textCell(raw.col, kept.text, kept.length);
      return { col: raw.col, kind: 'text', key: `\u0001s${i}`, summary: strings.summary.has(i), numericText: strings.numeric.has(i) };
    }
    case 'inlineStr':
    case 'str':
      return textCell(raw.col, v, raw.v.length, raw.v.blank);
    case 'b':
      if (v === '') return undefined;
      return { col: raw.col, kind: 'bool', text: v === '1' ? 'TRUE' : 'FALSE', key: v === '1' ? 'TRUE' : 'FALSE' };
    case 'e':
      return { col: raw.col, kind: 'error', text: v || '#ERR', key: v || '#ERR' };
    default: {
      if (raw.v.blank) return undefined;
      const key = raw.t === 'd' ? v : String(Number(v));
      return { col: raw.col, kind: 'number', text: key, key };
    }
  }
}

export async function inspectXlsxStream(src: ZipSource, limits: InspectLimits): Promise<SpreadsheetFacts> {
  let zip: yauzl.ZipFile | undefined;
  const results: SheetResult[] = [];
  try {
    zip = await openZip(src);
    const entries = await listEntries(zip, limits);
    const sheets = await workbookSheets(zip, entries, limits);
    const shared = entries.get('xl/sharedStrings.xml');
    const parts = sheets.map((s) => entries.get(s.path)).filter((e): e is yauzl.Entry => !!e);
    checkWorkbookSize(shared ? [...parts, shared] : parts, limits);
    const guard = new WorkbookGuard(limits);
    for (const sheet of sheets) {
      const entry = entries.get(sheet.path);
      const checker = new SheetChecker(sheet.name);
      if (!entry) {
        results.push(checker.end());
        continue;
      }
      checkRatio(entry, limits);
      // Pass 1: the first rows, to learn which shared strings the header checks need.
      const wanted = new Set<number>();
      let headRows = 0;
      await walkSheet(
        zip,
        entry,
        sheet.name,
        limits,
        (_r, cells) => {
          headRows++;
          for (const c of cells) if (c.t === 's' && c.v.prefix !== '') wanted.add(Number(c.v.prefix));
        },
        () => {},
        () => {},
        () => headRows >= HEAD_ROWS,
      );
      const strings = await sharedStrings(zip, shared, wanted, limits);
      // Pass 2: every row.
      await walkSheet(
        zip,
        entry,
        sheet.name,
        limits,
        (r, raw) => {
          const cells: SheetCell[] = [];
          for (const c of raw) {
            const sc = toCell(c, strings);
            if (sc) cells.push(sc);
          }
          guard.count(sheet.name, r, cells.length);
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
    if (err instanceof LimitExceeded) return { format: 'xlsx', sheets: results, reader: 'stream', limit: err.hit };
    return { format: 'xlsx', sheets: [], reader: 'stream', problem: `the XLSX workbook cannot be read: ${(err as Error)?.message ?? String(err)}` };
  } finally {
    zip?.close();
  }
}
