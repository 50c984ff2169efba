// Encoding detection and checks: the streaming validators (validators.ts), the detector (detector.ts), declared
// names against detected facts (declared.ts), decoding (decode.ts) and single-byte encodings (single-byte.ts).
export type { DecodeFailure } from './validators.ts';
export { createEncodingDetector, detectEncoding, type EncodingDetector, type EncodingFactsDetail } from './detector.ts';
export { declaredEncodingVerdict, isDeclaredCompatible, normaliseEncodingName } from './declared.ts';
export { decodeText, decodingFor } from './decode.ts';
