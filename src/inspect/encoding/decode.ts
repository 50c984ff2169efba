// Turning bytes into text once the encoding is known (or the best fallback when it is not).
import iconv from 'iconv-lite';
import type { EncodingFacts, EncodingName } from '../../model.ts';

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
