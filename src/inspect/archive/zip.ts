// Minimal, bounded ZIP reading: list entries from the central directory (ZIP64 included; for a cut body, from local
// headers) and inflate one entry with Node's zlib under size limits. Enough to tell XLSX from KMZ, to judge a ZIP of
// CSVs, and to measure how far a workbook's XML inflates before deciding who reads it.
import { inflateRawSync } from 'node:zlib';
import { DEFAULT_INSPECT_LIMITS } from '../limits.ts';

export interface ZipEntry {
  name: string;
  method: number; // 0 stored, 8 deflate
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  maxEntries: number;
  /** bytes one entry may inflate to */
  maxEntryBytes: number;
  /** inflated / compressed, above which an entry is treated as a zip bomb */
  maxRatio: number;
}

const decoder = new TextDecoder('utf-8');
const U32 = 0xffffffff;

/** ZIP64 fields are 64-bit; anything past 2^53 is nonsense in a body we hold in memory. */
function u64(view: DataView, at: number): number {
  const v = view.getBigUint64(at, true);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** The ZIP64 end record (via its locator just before the classic end record): entry count and directory offset. */
function zip64End(view: DataView, eocd: number): { count: number; offset: number } | undefined {
  const locator = eocd - 20;
  if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return undefined;
  const at = u64(view, locator + 8);
  if (at + 56 > view.byteLength || view.getUint32(at, true) !== 0x06064b50) return undefined;
  return { count: u64(view, at + 32), offset: u64(view, at + 48) };
}

/** Sizes and offset from a ZIP64 extra field (0x0001), for the 32-bit fields that say 0xFFFFFFFF. */
function zip64Fields(view: DataView, extraStart: number, extraEnd: number, e: { size: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let p = extraStart; p + 4 <= extraEnd; ) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const end = Math.min(extraEnd, q + len);
      if (e.size === U32 && q + 8 <= end) (e.size = u64(view, q)), (q += 8);
      if (e.compressedSize === U32 && q + 8 <= end) (e.compressedSize = u64(view, q)), (q += 8);
      if (e.localHeaderOffset === U32 && q + 8 <= end) e.localHeaderOffset = u64(view, q);
      return;
    }
    p += 4 + len;
  }
}

/**
 * Entries from the central directory; falls back to walking local headers when the end record is missing.
 * `declaredCount` is the directory's own count (the ZIP64 one when the classic record says 0xFFFF).
 */
export function listZipEntries(bytes: Uint8Array, maxEntries: number): { entries: ZipEntry[]; complete: boolean; declaredCount?: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes
  const stop = Math.max(0, bytes.length - 65557);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    let count = view.getUint16(i + 10, true);
    let p = view.getUint32(i + 16, true);
    if (count === 0xffff || p === U32) {
      const z = zip64End(view, i);
      if (z) {
        count = z.count;
        p = z.offset;
      }
    }
    const entries: ZipEntry[] = [];
    for (let n = 0; n < count && n < maxEntries; n++) {
      if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) break;
      const nameLength = view.getUint16(p + 28, true);
      const extra = view.getUint16(p + 30, true);
      const comment = view.getUint16(p + 32, true);
      const e: ZipEntry = {
        method: view.getUint16(p + 10, true),
        compressedSize: view.getUint32(p + 20, true),
        size: view.getUint32(p + 24, true),
        localHeaderOffset: view.getUint32(p + 42, true),
        name: decoder.decode(bytes.subarray(p + 46, Math.min(bytes.length, p + 46 + nameLength))),
      };
      if (e.size === U32 || e.compressedSize === U32 || e.localHeaderOffset === U32) zip64Fields(view, p + 46 + nameLength, Math.min(bytes.length, p + 46 + nameLength + extra), e);
      entries.push(e);
      p += 46 + nameLength + extra + comment;
    }
    if (entries.length > 0 || count === 0) return { entries, complete: entries.length === count, declaredCount: count };
  }
  return { entries: walkLocalHeaders(bytes, maxEntries), complete: false };
}

/** Works on a head of the file too: each local header names its entry. */
export function walkLocalHeaders(bytes: Uint8Array, maxEntries: number = DEFAULT_INSPECT_LIMITS.maxZipEntries): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 30 <= bytes.length && entries.length < maxEntries && view.getUint32(p, true) === 0x04034b50) {
    const flags = view.getUint16(p + 6, true);
    const nameLength = view.getUint16(p + 26, true);
    const extra = view.getUint16(p + 28, true);
    const e: ZipEntry = {
      method: view.getUint16(p + 8, true),
      compressedSize: view.getUint32(p + 18, true),
      size: view.getUint32(p + 22, true),
      localHeaderOffset: p,
      name: decoder.decode(bytes.subarray(p + 30, Math.min(bytes.length, p + 30 + nameLength))),
    };
    if (e.size === U32 || e.compressedSize === U32) zip64Fields(view, p + 30 + nameLength, Math.min(bytes.length, p + 30 + nameLength + extra), e);
    entries.push(e);
    // with a data descriptor (flag bit 3) sizes are unknown here: stop rather than guess
    if (flags & 0x08) break;
    p += 30 + nameLength + extra + e.compressedSize;
  }
  return entries;
}

/** Where an entry's compressed data lies, or why it cannot be found. */
function entryData(bytes: Uint8Array, entry: ZipEntry): { raw?: Uint8Array; problem?: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localHeaderOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50) return { problem: 'local header missing (body cut short?)' };
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) return { problem: 'entry data runs past the end of the body (cut short?)' };
  return { raw: bytes.subarray(start, end) };
}

/**
 * The inflated content of one entry, or a reason it was not read. Never throws. `bomb` is set when the entry is
 * refused or stopped for its size or ratio (a property of the archive), as opposed to being unreadable.
 * Inflation is capped at the entry's declared size, so an entry lying about its size is stopped, not inflated.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, limits: ZipLimits): { data?: Uint8Array; problem?: string; bomb?: 'maxZipEntryBytes' | 'maxZipRatio'; observed?: number } {
  try {
    const found = entryData(bytes, entry);
    if (!found.raw) return { problem: found.problem };
    if (entry.size > limits.maxEntryBytes) return { problem: `entry declares ${entry.size} bytes, above the ${limits.maxEntryBytes}-byte limit`, bomb: 'maxZipEntryBytes', observed: entry.size };
    if (entry.compressedSize > 0 && entry.size / entry.compressedSize > limits.maxRatio) {
      const ratio = Math.round(entry.size / entry.compressedSize);
      return { problem: `compression ratio ${ratio}:1 looks like a zip bomb; not inflated`, bomb: 'maxZipRatio', observed: ratio };
    }
    if (entry.method === 0) return { data: found.raw };
    if (entry.method !== 8) return { problem: `compression method ${entry.method} is not supported` };
    try {
      const data = inflateRawSync(found.raw, { maxOutputLength: Math.max(1, entry.size) });
      return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return { problem: `inflates past the ${entry.size} bytes its directory declares (a zip bomb?); stopped`, bomb: 'maxZipRatio', observed: Math.round((entry.size + 1) / Math.max(1, entry.compressedSize)) };
      }
      throw err;
    }
  } catch (err) {
    return { problem: `cannot inflate: ${(err as Error).message}` };
  }
}

/**
 * How many bytes the XML parts of a workbook really inflate to (the directory's sizes may lie), stopping as soon as
 * the total passes `cap` (then the result is > cap). Undefined when the archive cannot be read this way.
 */
export function inflatedXmlSize(bytes: Uint8Array, cap: number, maxEntries: number): number | undefined {
  const { entries } = listZipEntries(bytes, maxEntries);
  if (entries.length === 0) return undefined;
  let total = 0;
  for (const e of entries) {
    if (!/\.(xml|rels)$/i.test(e.name)) continue;
    const found = entryData(bytes, e);
    if (!found.raw) return undefined;
    if (e.method === 0) total += found.raw.length;
    else if (e.method === 8) {
      try {
        total += inflateRawSync(found.raw, { maxOutputLength: Math.max(1, cap - total + 1) }).length;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return cap + 1;
        return undefined;
      }
    } else return undefined;
    if (total > cap) return total;
  }
  return total;
}

/** What a list of entry names says about the container. */
export function classifyZipNames(names: string[], head?: Uint8Array): { format: 'xlsx' | 'docx' | 'ods' | 'odt' | 'kmz' | 'zip'; evidence: string } {
  const has = (re: RegExp): string | undefined => names.find((n) => re.test(n));
  if (names[0] === 'mimetype' && head) {
    const text = decoder.decode(head.subarray(0, Math.min(head.length, 200)));
    if (text.includes('application/vnd.oasis.opendocument.spreadsheet')) return { format: 'ods', evidence: 'ZIP whose mimetype entry says OpenDocument spreadsheet' };
    if (text.includes('application/vnd.oasis.opendocument.text')) return { format: 'odt', evidence: 'ZIP whose mimetype entry says OpenDocument text' };
  }
  const xl = has(/^xl\//);
  if (xl) return { format: 'xlsx', evidence: `ZIP with an Office Open XML spreadsheet part (${xl})` };
  const word = has(/^word\//);
  if (word) return { format: 'docx', evidence: `ZIP with an Office Open XML document part (${word})` };
  if (names.includes('content.xml') && has(/^META-INF\/manifest\.xml$/)) return { format: 'ods', evidence: 'ZIP with OpenDocument content.xml and manifest' };
  const kml = has(/\.kml$/i);
  if (kml && names.every((n) => !/\.(csv|json|xml|shp)$/i.test(n) || /\.kml$/i.test(n))) return { format: 'kmz', evidence: `ZIP holding ${kml}` };
  if (names.includes('[Content_Types].xml')) return { format: 'zip', evidence: 'ZIP with [Content_Types].xml (an Office file; part names not seen yet)' };
  return { format: 'zip', evidence: `ZIP archive (${names.length} entries seen)` };
}
