// Strict encoding detection: a byte order mark first, then clean decodes. A statistical guess never overrides a
// clean decode; when nothing decodes cleanly we say where the most plausible candidate breaks.
// All validators are streaming state machines, so a 1 GB body can be judged chunk by chunk in bounded memory.
import type { EncodingFacts, EncodingName } from '../../model.ts';
import { guessSingleByte, highByteBitmap } from './single-byte.ts';
import { BIG5_ORDER, Big5Family, countHighBytes, hex, Utf16Validator, Utf8Validator, type DecodeFailure, type Validator } from './validators.ts';

/**
 * EncodingFacts plus the first failure of every candidate that was tried. Local extension of the shared model:
 * `failures.big5` is what lets a rule say "declared BIG5, but byte 0xf9da at offset 96938 needs CP950".
 */
export interface EncodingFactsDetail extends EncodingFacts {
  failures: Partial<Record<EncodingName, DecodeFailure>>;
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
