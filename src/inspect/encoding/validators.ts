// The streaming validators behind strict encoding detection: UTF-8, UTF-16 in either byte order, and the Big5
// family (Big5, CP950, Big5-HKSCS) by byte tables. Each reports where it first failed; none allocates per byte.
import { isUtf8 } from 'node:buffer';
import { big5Table, type Big5Variant } from './big5-tables.ts';

/** Where one candidate encoding first failed. */
export interface DecodeFailure {
  offset: number;
  /** e.g. "0xf9da" */
  bytes: string;
}

export function hex(bytes: ArrayLike<number>): string {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

export interface Validator {
  feed(chunk: Uint8Array, base: number): void;
  end(total: number): void;
  failure?: DecodeFailure;
}

/**
 * RFC 3629 UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. Whole chunks are checked by Node's native
 * validator (buffer.isUtf8, same strictness); the byte-by-byte state machine runs only on a sequence split across
 * chunks, and on a chunk that fails, to find where.
 */
export class Utf8Validator implements Validator {
  failure?: DecodeFailure;
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private seqStart = 0;
  private seq: number[] = [];

  feed(chunk: Uint8Array, base: number): void {
    if (this.failure) return;
    let i = 0;
    // finish a sequence the previous chunk left open
    while (this.need > 0 && i < chunk.length) {
      this.step(chunk[i], base + i);
      if (this.failure) return;
      i++;
    }
    // a sequence the end of this chunk opens is left to the state machine
    let cut = chunk.length;
    for (let k = chunk.length - 1; k >= i && k >= chunk.length - 3; k--) {
      const b = chunk[k];
      if (b < 0x80) break;
      if (b >= 0xc0) {
        const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
        if (chunk.length - k < len) cut = k;
        break;
      }
    }
    if (cut > i && !isUtf8(chunk.subarray(i, cut))) {
      for (; i < cut; i++) {
        this.step(chunk[i], base + i);
        if (this.failure) return;
      }
    }
    for (i = cut; i < chunk.length; i++) {
      this.step(chunk[i], base + i);
      if (this.failure) return;
    }
  }

  private step(b: number, at: number): void {
    if (this.need === 0) {
      if (b < 0x80) return;
      this.seqStart = at;
      this.seq = [b];
      this.lo = 0x80;
      this.hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) this.need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        this.need = 2;
        if (b === 0xe0) this.lo = 0xa0;
        if (b === 0xed) this.hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        this.need = 3;
        if (b === 0xf0) this.lo = 0x90;
        if (b === 0xf4) this.hi = 0x8f;
      } else this.failure = { offset: at, bytes: hex([b]) };
    } else {
      if (b < this.lo || b > this.hi) {
        this.failure = { offset: this.seqStart, bytes: hex([...this.seq, b]) };
        return;
      }
      this.seq.push(b);
      this.lo = 0x80;
      this.hi = 0xbf;
      this.need--;
    }
  }

  end(): void {
    if (!this.failure && this.need > 0) this.failure = { offset: this.seqStart, bytes: hex(this.seq) };
  }
}

export const BIG5_ORDER: Big5Variant[] = ['big5', 'cp950', 'big5-hkscs'];

/** One flag per variant for every (lead << 8) | trail pair: bit i set when BIG5_ORDER[i] maps the pair. */
let familyTable: Uint8Array | undefined;
function big5FamilyTable(): Uint8Array {
  if (!familyTable) {
    const t = new Uint8Array(65536);
    BIG5_ORDER.forEach((v, bit) => {
      const one = big5Table(v);
      for (let i = 0; i < 65536; i++) if (one[i]) t[i] |= 1 << bit;
    });
    familyTable = t;
  }
  return familyTable;
}

/**
 * The three Big5 variants in one pass: they split bytes into pairs the same way (ASCII alone, otherwise lead +
 * trail) until each fails, so one walk with a combined table judges all three. The same walk keeps the Latin-1
 * plausibility counts: Latin-1 / CP1252 text can decode "cleanly" as Big5 when every accented letter is followed by
 * an ASCII letter ("é" 0xE9 + "c"); real Big5 has adjacent hanzi or high trail bytes, so isolated pairs wedged
 * between ASCII letters are the single-byte signature. Once every variant has failed, nothing more is read.
 */
export class Big5Family {
  readonly failures: Partial<Record<Big5Variant, DecodeFailure>> = {};
  pairs = 0;
  latinLike = 0;
  private alive = (1 << BIG5_ORDER.length) - 1;
  private lead = -1;
  private leadAt = 0;
  private beforeLead = -1;
  private last = -1;
  private readonly table = big5FamilyTable();

  feed(chunk: Uint8Array, base: number): void {
    const n = chunk.length;
    if (this.alive === 0 || n === 0) return;
    let i = 0;
    if (this.lead >= 0) {
      this.pair(this.lead, chunk[0], this.leadAt, this.beforeLead);
      this.lead = -1;
      i = 1;
    }
    const t = this.table;
    while (i < n && this.alive !== 0) {
      const b = chunk[i];
      if (b < 0x80) {
        i++;
        continue;
      }
      const before = i > 0 ? chunk[i - 1] : this.last;
      if (i + 1 === n) {
        this.lead = b;
        this.leadAt = base + i;
        this.beforeLead = before;
        break;
      }
      const trail = chunk[i + 1];
      // the common case (a pair every variant maps) stays inline
      if ((t[(b << 8) | trail] & this.alive) === this.alive) {
        this.pairs++;
        if (isAsciiLetter(trail) && isAsciiLetter(before)) this.latinLike++;
      } else this.pair(b, trail, base + i, before);
      i += 2;
    }
    this.last = chunk[n - 1];
  }

  private pair(lead: number, trail: number, at: number, before: number): void {
    this.pairs++;
    if (isAsciiLetter(trail) && isAsciiLetter(before)) this.latinLike++;
    const ok = this.table[(lead << 8) | trail];
    const lost = this.alive & ~ok;
    if (lost === 0) return;
    BIG5_ORDER.forEach((v, bit) => {
      if (lost & (1 << bit)) this.failures[v] = { offset: at, bytes: hex([lead, trail]) };
    });
    this.alive &= ok;
  }

  end(): void {
    if (this.lead < 0) return;
    BIG5_ORDER.forEach((v, bit) => {
      if (this.alive & (1 << bit)) this.failures[v] = { offset: this.leadAt, bytes: hex([this.lead]) };
    });
    this.alive = 0;
  }

  /** true when the body looks like single-byte Latin text rather than Big5. */
  get looksLatin(): boolean {
    return this.pairs > 0 && this.latinLike === this.pairs;
  }
}

/** UTF-16 in one byte order: even length, surrogates paired. */
export class Utf16Validator implements Validator {
  failure?: DecodeFailure;
  private odd = -1;
  private highAt = -1;
  private readonly le: boolean;
  private readonly skip: number;
  constructor(le: boolean, skip: number) {
    this.le = le;
    this.skip = skip;
  }

  feed(chunk: Uint8Array, base: number): void {
    if (this.failure) return;
    for (let i = 0; i < chunk.length; i++) {
      const at = base + i;
      if (at < this.skip) continue;
      if (this.odd < 0) {
        this.odd = chunk[i];
        continue;
      }
      const unit = this.le ? this.odd | (chunk[i] << 8) : (this.odd << 8) | chunk[i];
      this.odd = -1;
      const unitAt = at - 1;
      if (this.highAt >= 0) {
        if (unit < 0xdc00 || unit > 0xdfff) {
          this.failure = { offset: this.highAt, bytes: `0x${unit.toString(16).padStart(4, '0')}` };
          return;
        }
        this.highAt = -1;
      } else if (unit >= 0xd800 && unit <= 0xdbff) {
        this.highAt = unitAt;
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        this.failure = { offset: unitAt, bytes: `0x${unit.toString(16).padStart(4, '0')}` };
        return;
      }
    }
  }

  end(total: number): void {
    if (this.failure) return;
    if (this.odd >= 0) this.failure = { offset: total - 1, bytes: hex([this.odd]) };
    else if (this.highAt >= 0) this.failure = { offset: this.highAt, bytes: 'unpaired high surrogate' };
  }
}

function isAsciiLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * Bytes ≥ 0x80 in a chunk, four at a time (the high bit of each byte of a 32-bit word, summed by one multiply),
 * and the offset of the first one when `wantFirst`.
 */
export function countHighBytes(chunk: Uint8Array, wantFirst: boolean): { count: number; first: number } {
  let count = 0;
  let first = -1;
  const n = chunk.length;
  const alignedStart = Math.min(n, (4 - (chunk.byteOffset & 3)) & 3);
  const words = (n - alignedStart) >>> 2;
  const alignedEnd = alignedStart + words * 4;
  const byByte = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (chunk[i] >= 0x80) {
        if (first < 0) first = i;
        count++;
      }
    }
  };
  byByte(0, alignedStart);
  if (words > 0) {
    const u32 = new Uint32Array(chunk.buffer, chunk.byteOffset + alignedStart, words);
    for (let w = 0; w < words; w++) {
      const high = u32[w] & 0x80808080;
      if (high === 0) continue;
      if (first < 0 && wantFirst) {
        const at = alignedStart + w * 4;
        for (let k = 0; k < 4; k++) if (chunk[at + k] >= 0x80) { first = at + k; break; }
      }
      count += Math.imul(high >>> 7, 0x01010101) >>> 24;
    }
  }
  byByte(alignedEnd, n);
  return { count, first: wantFirst ? first : -1 };
}
