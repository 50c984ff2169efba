// A declared 編碼格式 against the detected facts: "declared equals detected", with the tolerances the official
// checker shows, and single-byte declarations disproved by the bytes they leave undefined.
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
