// Single-byte encodings (the WHATWG Encoding Standard's legacy single-byte set: windows-1252, ISO-8859-x, KOI8-R …):
// which labels name one, which bytes each leaves undefined, and which one most plausibly wrote a body that is
// neither UTF-8 nor Big5. Every byte decodes in most of them, so a body can only be shown NOT to be one (an
// undefined byte, or valid multi-byte UTF-8); a positive answer is a likelihood, never a certainty.

/** The WHATWG single-byte encodings, by canonical name, most common on open-data portals first. */
export const SINGLE_BYTE_ENCODINGS = [
  'windows-1252', 'iso-8859-15', 'windows-1250', 'iso-8859-2', 'windows-1251', 'koi8-r', 'windows-1254', 'windows-1257',
  'iso-8859-13', 'windows-1253', 'iso-8859-7', 'windows-1255', 'iso-8859-8', 'windows-1256', 'iso-8859-6', 'windows-874',
  'windows-1258', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-10', 'iso-8859-14', 'iso-8859-16', 'koi8-u',
  'ibm866', 'macintosh', 'x-mac-cyrillic', 'iso-8859-8-i',
] as const;

export type SingleByteEncoding = (typeof SINGLE_BYTE_ENCODINGS)[number];

/** What byte b (0x80–0xFF) is in an encoding: not text (undefined, or a C1 control), a Latin letter, a letter of another script, or a printable symbol, space or punctuation mark. */
const Kind = { NotText: 0, Latin: 1, OtherScript: 2, Symbol: 3 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Table {
  kind: Kind[];
}

const tables = new Map<SingleByteEncoding, Table>();

function tableOf(name: SingleByteEncoding): Table {
  let t = tables.get(name);
  if (!t) {
    const strict = new TextDecoder(name, { fatal: true });
    t = { kind: [] };
    for (let b = 0x80; b <= 0xff; b++) {
      let ch = '';
      try {
        ch = strict.decode(new Uint8Array([b]));
      } catch {
        // undefined in this encoding
      }
      // WHATWG maps the bytes cp1252 leaves undefined (0x81, 0x8D …) and ISO-8859-x's 0x80–0x9F to C1 controls,
      // which no text file contains: for verification they are as good as undefined.
      t.kind.push(ch === '' || /\p{Cc}/u.test(ch) ? Kind.NotText
        : /\p{L}/u.test(ch) ? (/\p{Script=Latin}/u.test(ch) ? Kind.Latin : Kind.OtherScript)
        : Kind.Symbol);
    }
    tables.set(name, t);
  }
  return t;
}

/**
 * The WHATWG single-byte encoding a declared label names (latin1, ISO-8859-1, cp1252, Windows-1252 → windows-1252,
 * as browsers resolve them), or undefined for anything else.
 */
export function singleByteEncodingOf(label: string): SingleByteEncoding | undefined {
  const l = label.normalize('NFKC').trim().toLowerCase().replace(/_/g, '-');
  // Labels the WHATWG list lacks but portals write.
  const cp = /^(?:cp|ms|windows)-?125([0-8])$/.exec(l);
  const alias = cp ? `windows-125${cp[1]}` : /^latin-?1$/.test(l) ? 'latin1' : /^latin-?9$/.test(l) ? 'iso-8859-15' : /^latin-?2$/.test(l) ? 'iso-8859-2' : l;
  try {
    const name = new TextDecoder(alias).encoding;
    return (SINGLE_BYTE_ENCODINGS as readonly string[]).includes(name) ? (name as SingleByteEncoding) : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes 0x80–0xFF present in a body, as a 32-hex-digit bitmap (bit b − 0x80). */
export function highByteBitmap(counts: ArrayLike<number>): string {
  let out = '';
  for (let nibble = 0; nibble < 32; nibble++) {
    let v = 0;
    for (let k = 0; k < 4; k++) if (counts[0x80 + nibble * 4 + k] > 0) v |= 1 << k;
    out += v.toString(16);
  }
  return out;
}

function present(bitmap: string, b: number): boolean {
  const i = b - 0x80;
  return (parseInt(bitmap[i >> 2], 16) & (1 << (i & 3))) !== 0;
}

/** Bytes of the body (from its bitmap) that `name` does not define as text, e.g. ["0x81", "0x9d"]. */
export function undefinedBytes(name: SingleByteEncoding, bitmap: string): string[] {
  const { kind } = tableOf(name);
  const out: string[] = [];
  for (let b = 0x80; b <= 0xff; b++) if (kind[b - 0x80] === Kind.NotText && present(bitmap, b)) out.push(`0x${b.toString(16)}`);
  return out;
}

export interface SingleByteGuess {
  encoding: SingleByteEncoding;
  /** 0–1, a likelihood: the encoding's share among those that fit the bytes as well, weighted by how common each is. */
  confidence: number;
  evidence: string;
}

/**
 * How common each encoding is among single-byte open-data files (a prior, from experience rather than a census):
 * windows-1252 / Latin-1 dominates; the Central European and Cyrillic code pages follow. Others share the rest.
 */
const PRIOR: Partial<Record<SingleByteEncoding, number>> = {
  'windows-1252': 0.6, 'windows-1250': 0.08, 'windows-1251': 0.08, 'iso-8859-15': 0.05, 'iso-8859-2': 0.03, 'koi8-r': 0.02,
};
const OTHER_PRIOR = 0.01;

export interface ByteStats {
  /** counts[b]: occurrences of byte b (only 0x80–0xFF are read). */
  counts: ArrayLike<number>;
  /** Non-ASCII bytes right after an ASCII byte: Latin-script text puts its few accented letters, currency signs and
   *  no-break spaces among ASCII; other scripts write whole words in non-ASCII bytes. */
  isolated: number;
}

/**
 * The single-byte encoding that most plausibly wrote a body, from its byte statistics. Among the encodings that
 * define every byte present as text, each is scored by the share of non-ASCII bytes that read as what the context
 * expects: Latin letters or symbols (£, no-break space, ’) when most of them sit among ASCII, letters of another
 * script when they form words of their own. Those within 5 points of the best fit the bytes equally; the prior
 * decides between them, and the confidence also grows with the number of non-ASCII bytes seen (n / (n + 4)).
 */
export function guessSingleByte(stats: ByteStats): SingleByteGuess | undefined {
  const { counts } = stats;
  let total = 0;
  for (let b = 0x80; b <= 0xff; b++) total += counts[b];
  if (total === 0) return undefined;
  const latinContext = stats.isolated * 2 >= total;
  const scored: { name: SingleByteEncoding; share: number }[] = [];
  for (const name of SINGLE_BYTE_ENCODINGS) {
    const { kind } = tableOf(name);
    let ok = true;
    let fit = 0;
    for (let b = 0x80; b <= 0xff && ok; b++) {
      if (counts[b] === 0) continue;
      const k = kind[b - 0x80];
      if (k === Kind.NotText) ok = false;
      else if (latinContext ? k !== Kind.OtherScript : k === Kind.OtherScript) fit += counts[b];
    }
    if (ok) scored.push({ name, share: fit / total });
  }
  if (scored.length === 0) return undefined;
  const top = Math.max(...scored.map((s) => s.share));
  if (top < 0.5) return undefined; // the bytes read as the wrong kind of text everywhere
  const fitting = scored.filter((s) => top - s.share <= 0.05);
  const weight = (s: { name: SingleByteEncoding; share: number }) => (PRIOR[s.name] ?? OTHER_PRIOR) * s.share;
  const sum = fitting.reduce((n, s) => n + weight(s), 0);
  const best = fitting.reduce((a, b) => (weight(b) > weight(a) ? b : a));
  const confidence = +((weight(best) / sum) * best.share * (total / (total + 4))).toFixed(2);
  const rivals = fitting.filter((s) => s !== best).map((s) => s.name);
  return {
    encoding: best.name,
    confidence,
    evidence: `likely ${best.name} (confidence ${confidence}, not certain): ${Math.round(best.share * 100)} % of the ${total} non-ASCII byte${total > 1 ? 's' : ''} read as ${latinContext ? 'Latin-script text' : 'words of a non-Latin script'} in it` +
      (rivals.length ? `; ${rivals.length} other encoding${rivals.length > 1 ? 's' : ''} read ${total > 1 ? 'them' : 'it'} as well (${rivals.slice(0, 3).join(', ')}${rivals.length > 3 ? ', …' : ''})` : ''),
  };
}
