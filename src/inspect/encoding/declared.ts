// A declared 編碼格式 against the detected facts: "declared equals detected", with the tolerances the official
// checker shows, and single-byte declarations disproved by the bytes they leave undefined.
import { legacyText, msg, type EncodingReasonCode, type Ref } from '../../messages/index.ts';
import type { EncodingFacts, EncodingName } from '../../model.ts';
import type { EncodingFactsDetail } from './detector.ts';
import { singleByteEncodingOf, undefinedBytes } from './single-byte.ts';

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

type Reason = Ref<EncodingReasonCode>;

/**
 * Does the declared encoding describe the bytes? "Declared equals detected", with the tolerances the official
 * checker shows: a UTF-8 BOM is not a mismatch, ASCII satisfies UTF-8 and Big5, and a wider Big5 variant covers a
 * narrower one. A narrower declaration (BIG5 for a file that needs CP950 or HKSCS) is a mismatch naming the byte.
 * The reason is a message of the catalogue (encoding.*); `isDeclaredCompatible` gives its English text.
 */
export function declaredEncodingVerdict(declared: string, facts: EncodingFacts): { match: boolean; reason: Reason } {
  const want = normaliseEncodingName(declared);
  const failures = (facts as Partial<EncodingFactsDetail>).failures ?? {};
  const det = facts.detected;
  if (want === 'unknown') {
    const single = singleByteEncodingOf(declared);
    if (single) return isSingleByteCompatible(declared, single, facts);
    return { match: false, reason: msg('encoding.unrecognised-name', { declared, detected: det }) };
  }
  if (det === 'binary') return { match: false, reason: msg('encoding.binary', { want }) };
  if (det === 'ascii') {
    const ok = want === 'ascii' || want === 'utf-8' || want === 'utf-8-bom' || BIG5_FAMILY.includes(want);
    return ok ? { match: true, reason: msg('encoding.ascii', { label: declared }) } : { match: false, reason: msg('encoding.only-ascii', { declared }) };
  }
  if (want === 'utf-8' || want === 'utf-8-bom' || want === 'ascii') {
    if (det === 'utf-8' || det === 'utf-8-bom') {
      if (want === 'ascii') {
        const f = failures.ascii;
        return { match: false, reason: msg('encoding.non-ascii', f ? { offset: f.offset, bytes: f.bytes } : {}) };
      }
      return { match: true, reason: det === 'utf-8-bom' ? msg('encoding.utf8-bom', {}) : msg('encoding.decodes-as', { encoding: 'utf-8' }) };
    }
    const f = failures['utf-8'] ?? failures['utf-8-bom'] ?? facts.invalidAt;
    return { match: false, reason: msg('encoding.detected-other', { declared, detected: det, ...(f ? { invalid: { offset: f.offset, bytes: f.bytes } } : {}) }) };
  }
  if (want === 'utf-16le' || want === 'utf-16be') {
    if (det === 'utf-16le' || det === 'utf-16be') return { match: true, reason: msg('encoding.utf16', { detected: det, bom: !!facts.bom }) };
    return { match: false, reason: msg('encoding.detected-other', { declared, detected: det }) };
  }
  // Big5 family
  if (det === 'utf-8' || det === 'utf-8-bom' || det === 'utf-16le' || det === 'utf-16be') {
    return { match: false, reason: msg('encoding.unicode-not-big5', { declared, detected: det }) };
  }
  if (facts.compatible.includes(want)) {
    return { match: true, reason: msg('encoding.decodes-as', { encoding: want, ...(det === 'unknown' ? { latinCaveat: true } : {}) }) };
  }
  const f = failures[want];
  const needs = BIG5_FAMILY.find((v) => facts.compatible.includes(v));
  if (f) return { match: false, reason: msg('encoding.byte-not-in', { declared, want, offset: f.offset, bytes: f.bytes, ...(needs ? { needs } : {}) }) };
  return { match: false, reason: msg('encoding.detected-other', { declared, detected: det }) };
}

/** The verdict with its reason in English (the form odbadge's evidence has always quoted). */
export function isDeclaredCompatible(declared: string, facts: EncodingFacts): { match: boolean; why: string } {
  const r = declaredEncodingVerdict(declared, facts);
  return { match: r.match, why: legacyText(r.reason) };
}

/**
 * A declared single-byte encoding (latin1, ISO-8859-1, cp1252 → windows-1252 …) can be disproved, not proved: by a
 * byte it leaves undefined, by a body that is valid multi-byte UTF-8 (a classic mislabel), by Chinese text that
 * decodes as Big5, by UTF-16 or binary content. ASCII is valid in every one of them.
 */
function isSingleByteCompatible(declared: string, name: string, facts: EncodingFacts): { match: boolean; reason: Reason } {
  const det = facts.detected;
  const label = declared.trim().toLowerCase() === name ? name : `"${declared}" (${name})`;
  if (det === 'ascii') return { match: true, reason: msg('encoding.ascii', { label }) };
  if (det === 'utf-8') return { match: false, reason: msg('encoding.single-byte-but-utf8', { label }) };
  if (det === 'binary' || det === 'utf-8-bom' || det === 'utf-16le' || det === 'utf-16be') return { match: false, reason: msg('encoding.detected-other', { declared: label, detected: det }) };
  if (BIG5_FAMILY.includes(det)) return { match: false, reason: msg('encoding.single-byte-but-big5', { label, detected: det }) };
  if (!facts.highBytes) return { match: false, reason: msg('encoding.detected-other', { declared: label, detected: det }) };
  const bad = undefinedBytes(name as Parameters<typeof undefinedBytes>[0], facts.highBytes);
  if (bad.length) return { match: false, reason: msg('encoding.undefined-bytes', { label, name, bytes: bad.slice(0, 5), more: bad.length > 5 }) };
  return { match: true, reason: msg('encoding.single-byte', { name, ...(facts.likely && facts.likely.encoding !== name ? { likely: facts.likely.encoding } : {}) }) };
}
