// Validity maps for the three Big5 variants Taiwanese portals use, as 64 Ki flags indexed by (lead << 8) | trail.
// Why our own tables: iconv-lite substitutes U+FFFD instead of failing, and Node's ICU "big5" TextDecoder is not
// strict (it passes 0x80 through and maps user-defined areas to the Private Use Area), so neither can say
// "this byte is where plain Big5 stops working". Built lazily, once per process (~20 k tiny decodes).
import iconv from 'iconv-lite';

export type Big5Variant = 'big5' | 'cp950' | 'big5-hkscs';

const tables = new Map<Big5Variant, Uint8Array>();

function isTrail(b: number): boolean {
  return (b >= 0x40 && b <= 0x7e) || (b >= 0xa1 && b <= 0xfe);
}

/**
 * Plain Big5 as the Unicode consortium's BIG5.TXT (and Python's `big5` codec) define it: symbols A140–A3BF,
 * frequent hanzi A440–C67E, less frequent hanzi C940–F9D5. Everything else (the ETEN extensions F9D6–F9FE,
 * the euro sign A3E1, the user-defined areas) is outside plain Big5.
 */
function plainBig5(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let lead = 0xa1; lead <= 0xf9; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (!isTrail(trail)) continue;
      const code = (lead << 8) | trail;
      if ((code >= 0xa140 && code <= 0xa3bf) || (code >= 0xa440 && code <= 0xc67e) || (code >= 0xc940 && code <= 0xf9d5)) {
        t[code] = 1;
      }
    }
  }
  return t;
}

/** CP950 and Big5-HKSCS: every pair iconv-lite maps to a real character (its tables follow Microsoft / HKSCS-2008). */
function fromIconv(codec: string): Uint8Array {
  const t = new Uint8Array(65536);
  const pair = Buffer.alloc(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (!isTrail(trail)) continue;
      pair[0] = lead;
      pair[1] = trail;
      const s = iconv.decode(pair, codec);
      if (s.length > 0 && !s.includes('\uFFFD')) t[(lead << 8) | trail] = 1;
    }
  }
  return t;
}

export function big5Table(variant: Big5Variant): Uint8Array {
  let t = tables.get(variant);
  if (!t) {
    t = variant === 'big5' ? plainBig5() : fromIconv(variant === 'cp950' ? 'cp950' : 'big5hkscs');
    tables.set(variant, t);
  }
  return t;
}
