// Strict encoding detection: a byte order mark first, then clean decodes. A statistical guess never overrides a
// clean decode; when nothing decodes cleanly we say where the most plausible candidate breaks.
// All validators are streaming state machines, so a 1 GB body can be judged chunk by chunk in bounded memory.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { EncodingFacts, EncodingName } from '../../model.ts';
import { big5Table, type Big5Variant } from './big5-tables.ts';
import { guessSingleByte, highByteBitmap, singleByteEncodingOf, undefinedBytes } from './single-byte.ts';

/** Where one candidate encoding first failed. */
export interface DecodeFailure {
  offset: number;
  /** e.g. "0xf9da" */
  bytes: string;
}

/**
 * EncodingFacts plus the first failure of every candidate that was tried. Local extension of the shared model:
 * `failures.big5` is what lets a rule say "declared BIG5, but byte 0xf9da at offset 96938 needs CP950".
 */
export interface EncodingFactsDetail extends EncodingFacts {
  failures: Partial<Record<EncodingName, DecodeFailure>>;
}

function hex(bytes: ArrayLike<number>): string {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

interface Validator {
  feed(chunk: Uint8Array, base: number): void;
  end(total: number): void;
  failure?: DecodeFailure;
}

/**
 * RFC 3629 UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. Whole chunks are checked by Node's native
 * validator (buffer.isUtf8, same strictness); the byte-by-byte state machine runs only on a sequence split across
 * chunks, and on a chunk that fails, to find where.
 */
class Utf8Validator implements Validator {
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

const BIG5_ORDER: Big5Variant[] = ['big5', 'cp950', 'big5-hkscs'];

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
class Big5Family {
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
class Utf16Validator implements Validator {
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
function countHighBytes(chunk: Uint8Array, wantFirst: boolean): { count: number; first: number } {
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

export interface EncodingDetector {
  push(chunk: Uint8Array): void;
  finish(): EncodingFactsDetail;
}

/** UTF-16 without a BOM is judged only by its NUL pattern: this many bytes without a NUL end those checks. */
const UTF16_EVIDENCE_BYTES = 1 << 20;
/** Past this many NULs in one chunk, counting them one indexOf at a time costs more than a plain loop. */
const SPARSE_NULS = 64;

/** Streaming detector: feed chunks in order, then `finish()`. Memory stays bounded whatever the body size. */
export function createEncodingDetector(): EncodingDetector {
  let total = 0;
  let bom: EncodingFacts['bom'] | undefined;
  let started = false;
  let nonAscii = 0;
  let firstNonAscii: DecodeFailure | undefined;
  let nul = 0;
  let nulEven = 0;
  const validators = new Map<EncodingName, Validator>();
  let family: Big5Family | undefined;
  // Byte statistics for single-byte encodings, gathered only from chunks holding non-ASCII bytes.
  const byteCounts = new Float64Array(256);
  let isolated = 0;
  let prevByte = 0;

  function start(first: Uint8Array): void {
    started = true;
    if (first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) {
      bom = 'utf-8';
      validators.set('utf-8-bom', new Utf8Validator());
    } else if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) {
      bom = 'utf-16le';
      validators.set('utf-16le', new Utf16Validator(true, 2));
    } else if (first.length >= 2 && first[0] === 0xfe && first[1] === 0xff) {
      bom = 'utf-16be';
      validators.set('utf-16be', new Utf16Validator(false, 2));
    } else {
      validators.set('utf-8', new Utf8Validator());
      family = new Big5Family();
      validators.set('utf-16le', new Utf16Validator(true, 0));
      validators.set('utf-16be', new Utf16Validator(false, 0));
    }
  }

  function feed(chunk: Uint8Array, base: number): void {
    // the BOM itself is not text: the UTF-8 validator starts after it
    const skip = bom === 'utf-8' ? Math.max(0, 3 - base) : 0;
    const body = skip > 0 ? chunk.subarray(skip) : chunk;
    for (const v of validators.values()) v.feed(body, base + skip);
    family?.feed(chunk, base);
    const high = countHighBytes(chunk, nonAscii === 0);
    if (high.first >= 0 && nonAscii === 0) firstNonAscii = { offset: base + high.first, bytes: hex([chunk[high.first]]) };
    nonAscii += high.count;
    if (high.count > 0) tally(chunk);
    else if (chunk.length > 0) prevByte = chunk[chunk.length - 1];
    countNuls(chunk, base);
    // Plain text in UTF-16 has NULs everywhere; a first megabyte without one rules UTF-16 out (unless a BOM said so)
    if (!bom && nul === 0 && base + chunk.length >= UTF16_EVIDENCE_BYTES) {
      validators.delete('utf-16le');
      validators.delete('utf-16be');
    }
  }

  function tally(chunk: Uint8Array): void {
    let p = prevByte;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      byteCounts[b]++;
      if (b >= 0x80 && p < 0x80) isolated++;
      p = b;
    }
    prevByte = p;
  }

  /** What single-byte encodings need to know about a body no UTF explains; plus a likely candidate when asked. */
  function singleByteFacts(withGuess: boolean): Pick<EncodingFacts, 'highBytes' | 'likely'> {
    const likely = withGuess ? guessSingleByte({ counts: byteCounts, isolated }) : undefined;
    return { highBytes: highByteBitmap(byteCounts), ...(likely ? { likely } : {}) };
  }

  function countNuls(chunk: Uint8Array, base: number): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let found = 0;
    let i = buf.indexOf(0);
    for (; i >= 0 && found < SPARSE_NULS; i = buf.indexOf(0, i + 1)) {
      found++;
      nul++;
      if ((base + i) % 2 === 0) nulEven++;
    }
    if (i < 0) return;
    for (; i < chunk.length; i++) {
      if (chunk[i] === 0) {
        nul++;
        if ((base + i) % 2 === 0) nulEven++;
      }
    }
  }

  let pending: Uint8Array[] = []; // the first bytes, held until the BOM question can be settled (at most 3)
  let pendingLength = 0;
  function startWith(first: Uint8Array): void {
    start(first);
    feed(first, 0);
    total = first.length;
  }

  return {
    push(chunk: Uint8Array): void {
      if (chunk.length === 0) return;
      if (!started) {
        pending.push(chunk);
        pendingLength += chunk.length;
        if (pendingLength < 3) return;
        const first = Buffer.concat(pending);
        pending = [];
        startWith(first);
        return;
      }
      feed(chunk, total);
      total += chunk.length;
    },
    finish(): EncodingFactsDetail {
      if (!started) startWith(Buffer.concat(pending));
      for (const v of validators.values()) v.end(total);
      family?.end();
      return conclude();
    },
  };

  function conclude(): EncodingFactsDetail {
    const failures: Partial<Record<EncodingName, DecodeFailure>> = {};
    if (firstNonAscii && !bom) failures.ascii = firstNonAscii;
    const clean: EncodingName[] = [];
    const judged: [EncodingName, DecodeFailure | undefined][] = [];
    for (const [name, v] of validators) if (!name.startsWith('utf-16')) judged.push([name, v.failure]);
    if (family) for (const v of BIG5_ORDER) judged.push([v, family.failures[v]]);
    for (const [name, v] of validators) if (name.startsWith('utf-16')) judged.push([name, v.failure]);
    for (const [name, f] of judged) {
      if (f) failures[name] = f;
      else clean.push(name);
    }
    if (total === 0) {
      return { detected: 'ascii', compatible: ['ascii', 'utf-8', 'big5', 'cp950', 'big5-hkscs'], evidence: 'empty body (0 bytes)', failures };
    }
    if (bom) {
      const name: EncodingName = bom === 'utf-8' ? 'utf-8-bom' : bom;
      const f = failures[name];
      if (f) {
        return {
          detected: name,
          compatible: [],
          bom,
          invalidAt: { encoding: name, ...f },
          evidence: `${bom.toUpperCase()} byte order mark, but byte ${f.bytes} at offset ${f.offset} is not valid ${bom.toUpperCase()}`,
          failures,
        };
      }
      return { detected: name, compatible: [name], bom, evidence: `${bom.toUpperCase()} byte order mark; the rest decodes cleanly`, failures };
    }

    const utf16 = utf16Guess(clean);
    if (utf16) {
      return { detected: utf16, compatible: [utf16], evidence: `no byte order mark, but ${nul} NUL bytes in ${utf16 === 'utf-16le' ? 'odd' : 'even'} positions and a clean ${utf16.toUpperCase()} decode`, failures };
    }
    // Without a NUL pattern, UTF-16 "decoding cleanly" is meaningless (almost any even-length body does).
    const compatible = clean.filter((n) => n !== 'utf-16le' && n !== 'utf-16be');
    delete failures['utf-16le'];
    delete failures['utf-16be'];

    if (nul > 0 && nul * 100 >= total) {
      return { detected: 'binary', compatible: [], evidence: `${nul} NUL bytes in ${total}: binary content, not text`, failures };
    }
    if (nonAscii === 0) {
      return { detected: 'ascii', compatible: ['ascii', ...compatible], evidence: `all ${total} bytes are ASCII: compatible with UTF-8 and Big5`, failures };
    }
    if (compatible.includes('utf-8')) {
      return { detected: 'utf-8', compatible, evidence: `${nonAscii} non-ASCII bytes, all valid UTF-8 sequences`, failures };
    }
    const big5 = BIG5_ORDER.find((v) => compatible.includes(v));
    const u8 = failures['utf-8'];
    const u8Text = u8 ? `not UTF-8 (byte ${u8.bytes} at offset ${u8.offset})` : 'not UTF-8';
    if (big5) {
      if (family?.looksLatin) {
        const sb = singleByteFacts(true);
        return {
          detected: 'unknown',
          compatible,
          evidence: `${u8Text}; decodes as Big5 but every double-byte pair sits inside a Latin word, which is the pattern of single-byte Latin-1/CP1252 text${sb.likely ? `; ${sb.likely.evidence}` : ''}`,
          failures,
          ...sb,
        };
      }
      const narrower = BIG5_ORDER.slice(0, BIG5_ORDER.indexOf(big5))
        .map((v) => `not plain ${v.toUpperCase()} (byte ${failures[v]?.bytes} at offset ${failures[v]?.offset})`)
        .join('; ');
      return {
        detected: big5,
        compatible,
        evidence: `${u8Text}; decodes cleanly as ${big5.toUpperCase()}${narrower ? `; ${narrower}` : ''}`,
        failures,
        ...singleByteFacts(false),
      };
    }
    // Nothing decodes: report the candidate that got furthest (ties go to UTF-8, the declared default of most portals).
    const order: EncodingName[] = ['utf-8', 'big5-hkscs'];
    let best: EncodingName = 'utf-8';
    for (const n of order) if ((failures[n]?.offset ?? -1) > (failures[best]?.offset ?? -1)) best = n;
    const f = failures[best]!;
    const sb = singleByteFacts(true);
    return {
      detected: 'unknown',
      compatible: [],
      invalidAt: { encoding: best, offset: f.offset, bytes: f.bytes },
      evidence: `no candidate decodes cleanly: ${u8Text}; not Big5/CP950/HKSCS (byte ${failures['big5-hkscs']?.bytes} at offset ${failures['big5-hkscs']?.offset})${sb.likely ? `; ${sb.likely.evidence}` : ''}`,
      failures,
      ...sb,
    };
  }

  function utf16Guess(clean: EncodingName[]): EncodingName | undefined {
    // A text file in UTF-16 without a BOM has a NUL in about every other byte (for Latin text); require a strong pattern.
    if (nul * 4 < total) return undefined;
    const le = nul - nulEven >= nul * 0.9; // NULs at odd offsets = high bytes of LE units
    const be = nulEven >= nul * 0.9;
    if (le && clean.includes('utf-16le')) return 'utf-16le';
    if (be && clean.includes('utf-16be')) return 'utf-16be';
    return undefined;
  }
}

/** Detect the encoding of a whole body held in memory. */
export function detectEncoding(bytes: Uint8Array): EncodingFactsDetail {
  const d = createEncodingDetector();
  d.push(bytes);
  return d.finish();
}

/**
 * Declared 編碼格式 → our names. Spellings seen on portals: UTF8, utf-8, UTF-8(BOM), BIG-5, BIG5, CP950, MS950,
 * Big5-HKSCS, UTF-16, Unicode. "ANSI" on a Taiwanese portal means the Windows zh-TW code page, i.e. CP950.
 * Anything else (其他, blank, "UTF-8/BIG5") is unknown.
 */
export function normaliseEncodingName(declared: string): EncodingName | 'unknown' {
  const s = declared.normalize('NFKC').trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (/^utf-?8$/.test(s)) return 'utf-8';
  if (/^utf-?8-?[(（]?(bom|with-bom|簽名|含bom)[)）]?$/.test(s) || s === 'utf-8-sig') return 'utf-8-bom';
  if (/^big-?5$/.test(s)) return 'big5';
  if (/^(cp-?950|ms-?950|windows-?950|x-windows-950|ansi)$/.test(s)) return 'cp950';
  if (/^big-?5-?hkscs(-?2008)?$/.test(s) || s === 'hkscs') return 'big5-hkscs';
  if (/^(utf-?16(-?le)?|unicode|ucs-?2)$/.test(s)) return 'utf-16le';
  if (/^utf-?16-?be$/.test(s)) return 'utf-16be';
  if (/^(us-)?ascii$/.test(s)) return 'ascii';
  return 'unknown';
}

const BIG5_FAMILY: EncodingName[] = ['big5', 'cp950', 'big5-hkscs'];

/**
 * Does the declared encoding describe the bytes? "Declared equals detected", with the tolerances the official
 * checker shows: a UTF-8 BOM is not a mismatch, ASCII satisfies UTF-8 and Big5, and a wider Big5 variant covers a
 * narrower one. A narrower declaration (BIG5 for a file that needs CP950 or HKSCS) is a mismatch naming the byte.
 */
export function isDeclaredCompatible(declared: string, facts: EncodingFacts): { match: boolean; why: string } {
  const want = normaliseEncodingName(declared);
  const failures = (facts as Partial<EncodingFactsDetail>).failures ?? {};
  const det = facts.detected;
  if (want === 'unknown') {
    const single = singleByteEncodingOf(declared);
    if (single) return isSingleByteCompatible(declared, single, facts);
    return { match: false, why: `declared encoding "${declared}" is not a recognised encoding name; detected ${det}` };
  }
  if (det === 'binary') return { match: false, why: `body is binary, not ${want} text` };
  if (det === 'ascii') {
    const ok = want === 'ascii' || want === 'utf-8' || want === 'utf-8-bom' || BIG5_FAMILY.includes(want);
    return ok
      ? { match: true, why: `body is pure ASCII, which is valid ${declared}` }
      : { match: false, why: `declared ${declared}, but the body is single-byte ASCII text` };
  }
  if (want === 'utf-8' || want === 'utf-8-bom' || want === 'ascii') {
    if (det === 'utf-8' || det === 'utf-8-bom') {
      if (want === 'ascii') {
        const f = failures.ascii;
        return { match: false, why: `declared ASCII, but the body has non-ASCII UTF-8 text${f ? ` (byte ${f.bytes} at offset ${f.offset})` : ''}` };
      }
      return { match: true, why: det === 'utf-8-bom' ? 'UTF-8 with a byte order mark (a BOM is not a mismatch)' : 'decodes cleanly as UTF-8' };
    }
    const f = failures['utf-8'] ?? failures['utf-8-bom'] ?? facts.invalidAt;
    const where = f ? `: byte ${f.bytes} at offset ${f.offset} is not valid UTF-8` : '';
    return { match: false, why: `declared ${declared}, detected ${det}${where}` };
  }
  if (want === 'utf-16le' || want === 'utf-16be') {
    if (det === 'utf-16le' || det === 'utf-16be') return { match: true, why: `detected ${det.toUpperCase()}${facts.bom ? ' with a byte order mark' : ''}` };
    return { match: false, why: `declared ${declared}, detected ${det}` };
  }
  // Big5 family
  if (det === 'utf-8' || det === 'utf-8-bom' || det === 'utf-16le' || det === 'utf-16be') {
    return { match: false, why: `declared ${declared}, but the body is ${det.toUpperCase()}${det === 'utf-8' ? ' (valid UTF-8 with non-ASCII text)' : ''}` };
  }
  if (facts.compatible.includes(want)) {
    const caveat = det === 'unknown' ? ' (although the text looks like single-byte Latin-1/CP1252)' : '';
    return { match: true, why: `decodes cleanly as ${want.toUpperCase()}${caveat}` };
  }
  const f = failures[want];
  const needs = BIG5_FAMILY.find((v) => facts.compatible.includes(v));
  if (f) {
    return {
      match: false,
      why: `declared ${declared}, but byte ${f.bytes} at offset ${f.offset} is not ${want.toUpperCase()}${needs ? `; the file needs ${needs.toUpperCase()}` : ''}`,
    };
  }
  return { match: false, why: `declared ${declared}, detected ${det}` };
}

/**
 * A declared single-byte encoding (latin1, ISO-8859-1, cp1252 → windows-1252 …) can be disproved, not proved: by a
 * byte it leaves undefined, by a body that is valid multi-byte UTF-8 (a classic mislabel), by Chinese text that
 * decodes as Big5, by UTF-16 or binary content. ASCII is valid in every one of them.
 */
function isSingleByteCompatible(declared: string, name: string, facts: EncodingFacts): { match: boolean; why: string } {
  const det = facts.detected;
  const label = declared.trim().toLowerCase() === name ? name : `"${declared}" (${name})`;
  if (det === 'ascii') return { match: true, why: `body is pure ASCII, which is valid ${label}` };
  if (det === 'utf-8') return { match: false, why: `declared ${label}, a single-byte encoding, but the body is valid UTF-8 with non-ASCII text: likely mislabelled` };
  if (det === 'binary' || det === 'utf-8-bom' || det === 'utf-16le' || det === 'utf-16be') return { match: false, why: `declared ${label}, detected ${det}` };
  if (BIG5_FAMILY.includes(det)) return { match: false, why: `declared ${label}, but the body decodes cleanly as ${det.toUpperCase()} (double-byte Chinese text), not as single-byte text` };
  if (!facts.highBytes) return { match: false, why: `declared ${label}, detected ${det}` };
  const bad = undefinedBytes(name as Parameters<typeof undefinedBytes>[0], facts.highBytes);
  if (bad.length) return { match: false, why: `declared ${label}, but byte${bad.length > 1 ? 's' : ''} ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ' …' : ''} ${bad.length > 1 ? 'are' : 'is'} not defined in ${name}` };
  return { match: true, why: `every byte is defined in ${name}${facts.likely && facts.likely.encoding !== name ? ` (the text reads more like ${facts.likely.encoding})` : ''}` };
}

/** Decode bytes as the named encoding, substituting U+FFFD where they do not decode; a BOM is dropped. */
export function decodeText(bytes: Uint8Array, encoding: EncodingName): string {
  switch (encoding) {
    case 'ascii':
    case 'utf-8':
    case 'utf-8-bom':
      return new TextDecoder('utf-8').decode(bytes);
    case 'utf-16le':
      return new TextDecoder('utf-16le').decode(bytes);
    case 'utf-16be':
      return new TextDecoder('utf-16be').decode(bytes);
    case 'big5':
    case 'cp950':
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp950');
    case 'big5-hkscs':
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'big5hkscs');
    default:
      // unknown / binary: Windows-1252 maps every byte to one character, so delimiters and quotes stay where they are
      return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The encoding to decode with, given the facts: the detected one, or the best fallback when nothing fits. */
export function decodingFor(facts: EncodingFacts): EncodingName {
  if (facts.detected !== 'unknown' && facts.detected !== 'binary') return facts.detected;
  if (facts.compatible.length > 0) return 'unknown'; // Latin-looking text that also decodes as Big5: read as CP1252
  return facts.invalidAt?.encoding === 'big5-hkscs' ? 'big5-hkscs' : 'unknown';
}
