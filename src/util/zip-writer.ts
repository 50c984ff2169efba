// A small in-memory ZIP writer for generated content (the demo portal's ODT and ZIP resources, test fixtures):
// UTF-8 names, CRC-32, stored or deflated entries, a fixed 1980-01-01 date so the bytes are deterministic.
// Inspection reads ZIPs with yauzl; writing is this simple because we only ever write small, trusted archives.
// Two extras exist for tests of hostile archives: entries deflated elsewhere (a 300 MB part built chunk by chunk
// without ever holding it) and the ZIP64 end records (archives of more than 65,535 entries).
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: string | Uint8Array;
  /** Store uncompressed (ODT wants its `mimetype` entry stored and first). Default: deflate. */
  stored?: boolean;
}

/** An entry whose raw-deflate bytes were produced elsewhere; `size` and `crc` describe the inflated content. */
export interface DeflatedZipEntry {
  name: string;
  deflated: Uint8Array;
  size: number;
  crc: number;
}

export interface ZipWriteOptions {
  /**
   * Write ZIP64 records: a ZIP64 extra field on every entry (32-bit sizes and offsets set to 0xFFFFFFFF) and the
   * ZIP64 end-of-central-directory record and locator, with 0xFFFF in the classic end record's counts. Always on
   * for more than 65,535 entries.
   */
  zip64?: boolean;
}

const UTF8_NAMES = 0x0800;
const DOS_DATE_1980_01_01 = 0x21;
const U32 = 0xffffffff;

function zip64Extra(size: number, compressed: number, offset?: number): Buffer {
  const b = Buffer.alloc(offset === undefined ? 20 : 28);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(b.length - 4, 2);
  b.writeBigUInt64LE(BigInt(size), 4);
  b.writeBigUInt64LE(BigInt(compressed), 12);
  if (offset !== undefined) b.writeBigUInt64LE(BigInt(offset), 20);
  return b;
}

export function buildZip(entries: (ZipEntry | DeflatedZipEntry)[], opts: ZipWriteOptions = {}): Buffer {
  const zip64 = opts.zip64 === true || entries.length > 0xffff;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    let body: Buffer;
    let size: number;
    let crc: number;
    let method: number;
    if ('deflated' in e) {
      body = Buffer.from(e.deflated.buffer, e.deflated.byteOffset, e.deflated.byteLength);
      size = e.size;
      crc = e.crc;
      method = 8;
    } else {
      const data = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
      body = e.stored ? data : deflateRawSync(data);
      size = data.length;
      crc = crc32(data);
      method = e.stored ? 0 : 8;
    }
    const name = Buffer.from(e.name, 'utf8');
    const localExtra = zip64 ? zip64Extra(size, body.length) : Buffer.alloc(0);
    const centralExtra = zip64 ? zip64Extra(size, body.length, offset) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(zip64 ? U32 : body.length, 18);
    local.writeUInt32LE(zip64 ? U32 : size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(zip64 ? 45 : 20, 4);
    central.writeUInt16LE(zip64 ? 45 : 20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(zip64 ? U32 : body.length, 20);
    central.writeUInt32LE(zip64 ? U32 : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(zip64 ? U32 : offset, 42);
    locals.push(local, name, localExtra, body);
    centrals.push(central, name, centralExtra);
    offset += local.length + name.length + localExtra.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(entries.length), 24);
    record.writeBigUInt64LE(BigInt(entries.length), 32);
    record.writeBigUInt64LE(BigInt(cd.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(zip64 ? U32 : cd.length, 12);
  end.writeUInt32LE(zip64 ? U32 : offset, 16);
  return Buffer.concat([...locals, cd, ...tail, end]);
}
