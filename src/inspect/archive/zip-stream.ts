// Random access to a workbook's ZIP parts for the streaming readers (XLSX, ODS): yauzl opens the archive (from a
// buffer or a file on disk, ZIP64 included) and inflates one part at a time into the bounded SAX parser. yauzl checks
// every entry's inflated size against the size its directory declares, so the declared sizes the limits are checked
// against cannot lie: an entry inflating past its declaration is an error, not a bomb.
import yauzl from 'yauzl';
import type { Readable } from 'node:stream';
import { exceeded, type InspectLimits } from '../limits.ts';
import { BoundedSax, type SaxHandlers } from '../tree/xml-sax.ts';

export type ZipSource = { kind: 'buffer'; buffer: Buffer } | { kind: 'file'; path: string };

export function openZip(src: ZipSource): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, zip: yauzl.ZipFile) => (err ? reject(err) : resolve(zip));
    if (src.kind === 'buffer') yauzl.fromBuffer(src.buffer, { lazyEntries: true, autoClose: false }, cb);
    else yauzl.open(src.path, { lazyEntries: true, autoClose: false }, cb);
  });
}

/** Every entry by name; more than maxZipEntries (as the directory declares them) is a limit hit. */
export function listEntries(zip: yauzl.ZipFile, limits: Pick<InspectLimits, 'maxZipEntries'>): Promise<Map<string, yauzl.Entry>> {
  if (zip.entryCount > limits.maxZipEntries) {
    return Promise.reject(exceeded('maxZipEntries', limits.maxZipEntries, `the archive's directory declares ${zip.entryCount} entries`, { observed: zip.entryCount }));
  }
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

/** A large part inflating past maxZipRatio is a bomb: refused before a byte of it is read. */
export function checkRatio(entry: yauzl.Entry, limits: Pick<InspectLimits, 'maxZipRatio' | 'workbookPartRatioMinBytes'>): void {
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > limits.workbookPartRatioMinBytes && ratio > limits.maxZipRatio) {
    throw exceeded('maxZipRatio', limits.maxZipRatio, `${entry.fileName} inflates ${Math.round(ratio)}:1 (${entry.compressedSize} → ${entry.uncompressedSize} bytes), which looks like a zip bomb`, { observed: Math.round(ratio), where: entry.fileName });
  }
}

/** The declared inflated size of the parts a reader is about to read, against maxWorkbookInflatedBytes. */
export function checkWorkbookSize(parts: yauzl.Entry[], limits: Pick<InspectLimits, 'maxWorkbookInflatedBytes'>): void {
  const total = parts.reduce((n, e) => n + e.uncompressedSize, 0);
  if (total > limits.maxWorkbookInflatedBytes) {
    throw exceeded('maxWorkbookInflatedBytes', limits.maxWorkbookInflatedBytes, `the workbook's parts inflate to ${total} bytes`, { observed: total });
  }
}

export type PartLimits = Pick<InspectLimits, 'maxCellChars' | 'maxXmlDepth' | 'maxXmlAttributes'>;

/**
 * Parse one part's XML; `stopped()` true inside a handler ends reading early. Rejects on malformed XML, a broken
 * entry, or a limit (text nodes and attribute values are cell contents here, so they are held to maxCellChars).
 */
export async function parsePart(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: PartLimits, h: SaxHandlers & { stopped?: () => boolean }): Promise<void> {
  const stream = await openEntry(zip, entry);
  stream.setEncoding('utf8');
  const sax = new BoundedSax(h, { text: { name: 'maxCellChars', value: limits.maxCellChars }, maxDepth: limits.maxXmlDepth, maxAttributes: limits.maxXmlAttributes, part: entry.fileName });
  try {
    for await (const chunk of stream) {
      sax.write(chunk as string);
      if (h.stopped?.()) return;
    }
    sax.close();
  } finally {
    stream.destroy();
  }
}

/** Entry names of a ZIP file on disk, from its central directory (a workbook whose head does not show its parts). */
export async function zipEntryNames(path: string, limits: Pick<InspectLimits, 'maxZipEntries'>): Promise<string[]> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await openZip({ kind: 'file', path });
    return [...(await listEntries(zip, limits)).keys()];
  } catch {
    return [];
  } finally {
    zip?.close();
  }
}
