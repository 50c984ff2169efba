// Minimal, bounded ZIP reading: list entries from the central directory (or, for a cut body, from local headers)
// and inflate one entry with Node's zlib under size limits. Enough to tell XLSX from KMZ and to judge a ZIP of CSVs.
import { inflateRawSync } from 'node:zlib';

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

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxEntryBytes: 64 * 1024 * 1024, maxRatio: 200 };

const decoder = new TextDecoder('utf-8');

/** Entries from the central directory; falls back to walking local headers when the end record is missing. */
export function listZipEntries(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): { entries: ZipEntry[]; complete: boolean; declaredCount?: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes
  const stop = Math.max(0, bytes.length - 65557);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) !== 0x06054b50) continue;
    const count = view.getUint16(i + 10, true);
    let p = view.getUint32(i + 16, true);
    const entries: ZipEntry[] = [];
    for (let n = 0; n < count && n < limits.maxEntries; n++) {
      if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) break;
      const nameLength = view.getUint16(p + 28, true);
      const extra = view.getUint16(p + 30, true);
      const comment = view.getUint16(p + 32, true);
      entries.push({
        method: view.getUint16(p + 10, true),
        compressedSize: view.getUint32(p + 20, true),
        size: view.getUint32(p + 24, true),
        localHeaderOffset: view.getUint32(p + 42, true),
        name: decoder.decode(bytes.subarray(p + 46, Math.min(bytes.length, p + 46 + nameLength))),
      });
      p += 46 + nameLength + extra + comment;
    }
    if (entries.length > 0 || count === 0) return { entries, complete: entries.length === count, declaredCount: count };
  }
  return { entries: walkLocalHeaders(bytes, limits), complete: false };
}

/** Works on a head of the file too: each local header names its entry. */
export function walkLocalHeaders(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p + 30 <= bytes.length && entries.length < limits.maxEntries && view.getUint32(p, true) === 0x04034b50) {
    const flags = view.getUint16(p + 6, true);
    const compressedSize = view.getUint32(p + 18, true);
    const nameLength = view.getUint16(p + 26, true);
    const extra = view.getUint16(p + 28, true);
    entries.push({
      method: view.getUint16(p + 8, true),
      compressedSize,
      size: view.getUint32(p + 22, true),
      localHeaderOffset: p,
      name: decoder.decode(bytes.subarray(p + 30, Math.min(bytes.length, p + 30 + nameLength))),
    });
    // with a data descriptor (flag bit 3) sizes are unknown here: stop rather than guess
    if (flags & 0x08) break;
    p += 30 + nameLength + extra + compressedSize;
  }
  return entries;
}

/** The inflated content of one entry, or a reason it was not read. Never throws. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, limits: ZipLimits = DEFAULT_ZIP_LIMITS): { data?: Uint8Array; problem?: string } {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const p = entry.localHeaderOffset;
    if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50) return { problem: 'local header missing (body cut short?)' };
    const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
    const end = start + entry.compressedSize;
    if (end > bytes.length) return { problem: 'entry data runs past the end of the body (cut short?)' };
    if (entry.size > limits.maxEntryBytes) return { problem: `entry declares ${entry.size} bytes, above the ${limits.maxEntryBytes}-byte limit` };
    if (entry.compressedSize > 0 && entry.size / entry.compressedSize > limits.maxRatio) {
      return { problem: `compression ratio ${Math.round(entry.size / entry.compressedSize)}:1 looks like a zip bomb; not inflated` };
    }
    const raw = bytes.subarray(start, end);
    if (entry.method === 0) return { data: raw };
    if (entry.method !== 8) return { problem: `compression method ${entry.method} is not supported` };
    const data = inflateRawSync(raw, { maxOutputLength: Math.min(limits.maxEntryBytes, Math.max(1024, entry.size * 2 + 1024)) });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (err) {
    return { problem: `cannot inflate: ${(err as Error).message}` };
  }
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
