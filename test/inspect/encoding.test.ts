import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EncodingName } from '../../src/model.ts';
import { createEncodingDetector, decodeText, detectEncoding, isDeclaredCompatible, normaliseEncodingName } from '../../src/inspect/encoding/index.ts';
import { singleByteEncodingOf } from '../../src/inspect/encoding/single-byte.ts';
import iconv from 'iconv-lite';

const iconvEncode = (s: string, enc: string) => iconv.encode(s, enc);
import { corporaDir, readBytes, readManifest } from './corpora.ts';

const tw = path.join(corporaDir, 'tw-encodings');
const twManifest = readManifest(tw);
const fpy = path.join(corporaDir, 'frictionless-py');
const fpyManifest = readManifest(fpy);

/** The manifest's words for an encoding → our names. */
function expectedName(manifestEncoding: string): EncodingName {
  if (/utf-16le/.test(manifestEncoding)) return 'utf-16le';
  if (/utf-8 with BOM/i.test(manifestEncoding)) return 'utf-8-bom';
  return manifestEncoding as EncodingName;
}

const failsAt = (verdict: string): number | undefined => {
  const m = /fails at byte (\d+)/.exec(verdict);
  return m ? Number(m[1]) : undefined;
};

describe('detectEncoding on real Taiwanese files (tw-encodings)', () => {
  for (const [file, exp] of Object.entries<any>(twManifest.files)) {
    it(`${file}: ${exp.encoding}`, () => {
      const bytes = readBytes(tw, file);
      const facts = detectEncoding(bytes);
      expect(facts.detected).toBe(expectedName(exp.encoding));
      const python = exp.strictDecoders.python as Record<string, string>;
      // every strict verdict the manifest records for a Big5 variant is reproduced, offsets included
      for (const [codec, ours] of [['big5', 'big5'], ['cp950', 'cp950'], ['big5hkscs', 'big5-hkscs']] as const) {
        if (facts.bom) continue; // with a BOM the file is judged by its BOM alone
        const at = failsAt(python[codec]);
        if (at === undefined) expect(facts.compatible).toContain(ours);
        else expect(facts.failures[ours]?.offset).toBe(at);
      }
      if (!facts.bom) expect(facts.failures['utf-8']?.offset).toBe(failsAt(python['utf-8']));
    });
  }

  it('a file declared BIG5 that needs CP950 is a mismatch naming the offending byte', () => {
    for (const [file, exp] of Object.entries<any>(twManifest.files)) {
      const facts = detectEncoding(readBytes(tw, file));
      const verdict = isDeclaredCompatible('BIG5', facts);
      const at = failsAt(exp.strictDecoders.python.big5);
      if (exp.encoding === 'big5') expect(verdict.match, file).toBe(true);
      else expect(verdict.match, file).toBe(false);
      if (exp.encoding === 'cp950') {
        expect(verdict.why).toContain(`offset ${at}`);
        expect(verdict.why).toMatch(/CP950/);
        expect(isDeclaredCompatible('CP950', facts).match).toBe(true);
        expect(isDeclaredCompatible('Big5-HKSCS', facts).match).toBe(true);
      }
    }
  });

  it('decodes every file to the header the manifest gives', () => {
    for (const [file, exp] of Object.entries<any>(twManifest.files)) {
      const facts = detectEncoding(readBytes(tw, file));
      const text = decodeText(readBytes(tw, file), facts.detected);
      expect(text.includes('\uFFFD'), file).toBe(false);
      expect(text.startsWith('\uFEFF'), file).toBe(false);
      const firstCell = exp.rfc4180.header[0] as string;
      expect(text.replace(/^"/, '').startsWith(firstCell), file).toBe(true);
    }
  });

  it('UTF-8 with BOM that also decodes as UTF-16LE is still UTF-8 (the BOM decides)', () => {
    const facts = detectEncoding(readBytes(tw, 'taitung-shelters-2017.csv'));
    expect(facts.detected).toBe('utf-8-bom');
    expect(facts.bom).toBe('utf-8');
    expect(isDeclaredCompatible('UTF-8', facts)).toMatchObject({ match: true });
  });
});

describe('declared encodings from the frictionless corpus', () => {
  for (const c of fpyManifest.encodingCases as any[]) {
    it(`${c.file} declared ${c.declaredEncoding}: ${c.valid ? 'matches' : 'mismatch'}`, () => {
      const facts = detectEncoding(readBytes(fpy, c.file));
      const verdict = isDeclaredCompatible(c.declaredEncoding, facts);
      expect(verdict.match).toBe(c.valid);
      const pos = /position (\d+)/.exec(c.note ?? '')?.[1];
      if (!c.valid && pos) expect(verdict.why).toContain(`offset ${pos}`);
    });
  }

  it('files frictionless expects detected as UTF-8 are UTF-8, whatever a statistical detector says', () => {
    for (const [file, exp] of Object.entries<any>(fpyManifest.files)) {
      if (exp.encoding !== 'utf-8') continue;
      expect(detectEncoding(readBytes(fpy, file)).detected, file).toBe('utf-8');
    }
  });

  it('Latin-1 text that happens to decode as Big5 is not called Big5', () => {
    const facts = detectEncoding(readBytes(fpy, 'table-with-accents.csv'));
    expect(facts.compatible).toContain('big5');
    expect(facts.detected).toBe('unknown');
    expect(facts.evidence).toMatch(/Latin/);
  });

  it('reports the first undecodable byte when nothing decodes', () => {
    const facts = detectEncoding(readBytes(fpy, 'latin1.csv'));
    expect(facts.detected).toBe('unknown');
    expect(facts.invalidAt).toEqual({ encoding: 'utf-8', offset: 20, bytes: '0xa9' });
  });
});

describe('detectEncoding basics', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('pure ASCII is compatible with UTF-8 and Big5', () => {
    const facts = detectEncoding(enc('id,name\n1,a\n'));
    expect(facts.detected).toBe('ascii');
    expect(facts.compatible).toEqual(expect.arrayContaining(['utf-8', 'big5', 'cp950']));
    expect(isDeclaredCompatible('UTF-8', facts).match).toBe(true);
    expect(isDeclaredCompatible('BIG5', facts).match).toBe(true);
  });
  it('UTF-8 text declared BIG5 is a mismatch', () => {
    const facts = detectEncoding(enc('村名,人口\n大安,1\n'));
    expect(facts.detected).toBe('utf-8');
    expect(isDeclaredCompatible('BIG5', facts).match).toBe(false);
  });
  it('UTF-16 byte order marks', () => {
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x41, 0x00])).detected).toBe('utf-16le');
    expect(detectEncoding(new Uint8Array([0xfe, 0xff, 0x00, 0x41])).detected).toBe('utf-16be');
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x41])).invalidAt?.offset).toBe(2);
  });
  it('rejects overlong and surrogate UTF-8', () => {
    expect(detectEncoding(new Uint8Array([0x41, 0xc0, 0xaf])).failures['utf-8']?.offset).toBe(1);
    expect(detectEncoding(new Uint8Array([0xed, 0xa0, 0x80])).failures['utf-8']?.offset).toBe(0);
  });
  it('a body full of NUL bytes is binary', () => {
    expect(detectEncoding(new Uint8Array([0x89, 0, 0, 0, 1, 2, 0, 0, 0xff])).detected).toBe('binary');
  });
});

describe('createEncodingDetector (streaming)', () => {
  it('gives the same facts as the one-shot detector whatever the chunking', () => {
    for (const file of Object.keys(twManifest.files)) {
      const bytes = readBytes(tw, file);
      const whole = detectEncoding(bytes);
      for (const size of [1, 2, 3, 7, 4096]) {
        const d = createEncodingDetector();
        for (let i = 0; i < bytes.length && (size > 2 || i < 60_000); i += size) d.push(bytes.subarray(i, i + size));
        if (size <= 2 && bytes.length > 60_000) continue; // byte-by-byte over a big file is only a speed test
        expect(d.finish(), `${file} in ${size}-byte chunks`).toEqual(whole);
      }
    }
  });

  it('finds a bad byte far into a long stream without holding the stream', () => {
    const d = createEncodingDetector();
    const chunk = new TextEncoder().encode('臺北市,大安區,12345\n'.repeat(2048));
    let offset = 0;
    for (let i = 0; i < 200; i++) {
      d.push(chunk);
      offset += chunk.length;
    }
    d.push(new Uint8Array([0x41, 0xb0, 0x41]));
    const facts = d.finish();
    expect(facts.detected).toBe('unknown');
    expect(facts.failures['utf-8']?.offset).toBe(offset + 1);
  });
});

describe('normaliseEncodingName', () => {
  const cases: [string, string][] = [
    ['UTF8', 'utf-8'], ['utf-8', 'utf-8'], ['UTF-8(BOM)', 'utf-8-bom'], ['BIG-5', 'big5'], ['big5', 'big5'], ['BIG5', 'big5'],
    ['CP950', 'cp950'], ['MS950', 'cp950'], ['Big5-HKSCS', 'big5-hkscs'], ['UTF-16', 'utf-16le'], ['Unicode', 'utf-16le'],
    ['ANSI', 'cp950'], ['其他', 'unknown'], ['', 'unknown'], ['ＵＴＦ－８', 'utf-8'],
  ];
  for (const [input, want] of cases) it(`${JSON.stringify(input)} → ${want}`, () => expect(normaliseEncodingName(input)).toBe(want));

  it('an unrecognised declaration never matches', () => {
    expect(isDeclaredCompatible('其他', detectEncoding(new TextEncoder().encode('a'))).match).toBe(false);
  });
});

describe('single-byte encodings (WHATWG names and labels)', () => {
  const win1252 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  it.each([['latin1'], ['ISO-8859-1'], ['iso_8859-1'], ['cp1252'], ['Windows-1252'], ['CP1252'], ['l1']])('%s names windows-1252', (label) => {
    expect(singleByteEncodingOf(label)).toBe('windows-1252');
  });
  it.each([['ISO-8859-15', 'iso-8859-15'], ['latin9', 'iso-8859-15'], ['cp1250', 'windows-1250'], ['KOI8-R', 'koi8-r'], ['windows-1251', 'windows-1251']])('%s names %s', (label, name) => {
    expect(singleByteEncodingOf(label)).toBe(name);
  });
  it.each([['UTF-8'], ['BIG5'], ['其他'], ['shift_jis'], ['']])('%s is not a single-byte encoding', (label) => {
    expect(singleByteEncodingOf(label)).toBeUndefined();
  });

  it('frictionless-py latin1.csv declared latin1 matches; one © is too little to be sure it is windows-1252', () => {
    const facts = detectEncoding(readBytes(fpy, 'latin1.csv'));
    expect(facts.detected).toBe('unknown');
    expect(isDeclaredCompatible('latin1', facts)).toEqual({ match: true, why: 'every byte is defined in windows-1252' });
    expect(isDeclaredCompatible('ISO-8859-1', facts).match).toBe(true);
    expect(facts.likely?.encoding).toBe('windows-1252');
    // One byte: evidence factor 1 / (1 + 4) = 0.2. 24 of the 28 encodings read 0xA9 as a Latin letter or a symbol
    // (not ISO-8859-6, windows-874, ISO-8859-5, IBM866); their priors add up to 0.86 + 18 × 0.01 = 1.04, so
    // windows-1252 gets 0.2 × 0.6 / 1.04 = 0.115 → 0.12.
    expect(facts.likely?.confidence).toBe(0.12);
    expect(facts.evidence).toMatch(/likely windows-1252 \(confidence 0\.12, not certain\): 100 % of the 1 non-ASCII byte read as Latin-script text/);
  });

  it('goodtables cp1252 files (£, no-break spaces, é) are named likely windows-1252 and pass a cp1252 declaration', () => {
    for (const file of ['VilleMTP_MTP_BudgetPri_2015.csv', 'gla-250-report-2014-15-P08.csv']) {
      const facts = detectEncoding(readBytes(path.join(corporaDir, 'goodtables-py'), file));
      expect(facts.likely?.encoding, file).toBe('windows-1252');
      expect(isDeclaredCompatible('cp1252', facts).match, file).toBe(true);
    }
    const many = detectEncoding(readBytes(path.join(corporaDir, 'goodtables-py'), 'VilleMTP_MTP_BudgetPri_2015.csv'));
    expect(many.likely?.confidence).toBeGreaterThan(0.5);
    expect(many.likely?.evidence).toMatch(/^likely windows-1252 \(confidence 0\.\d\d?, not certain\): 100 % of the 1362 non-ASCII bytes read as Latin-script text/);
  });

  it('a byte the declared encoding leaves undefined is a mismatch naming the byte', () => {
    const facts = detectEncoding(win1252('caf\u00e9 \u0081 na\u00efve\n'));
    expect(isDeclaredCompatible('cp1252', facts)).toEqual({ match: false, why: 'declared "cp1252" (windows-1252), but byte 0x81 is not defined in windows-1252' });
  });

  it('valid multi-byte UTF-8 declared as a single-byte encoding is flagged as a likely mislabel', () => {
    const facts = detectEncoding(new TextEncoder().encode('café,naïve\n'));
    expect(isDeclaredCompatible('latin1', facts)).toEqual({ match: false, why: 'declared "latin1" (windows-1252), a single-byte encoding, but the body is valid UTF-8 with non-ASCII text: likely mislabelled' });
  });

  it('Chinese Big5 text declared windows-1252 is not accepted just because every byte is defined', () => {
    const facts = detectEncoding(readBytes(tw, 'moi-lvr-land-A.csv'));
    expect(facts.detected).toMatch(/^(big5|cp950)$/);
    expect(isDeclaredCompatible('windows-1252', facts).match).toBe(false);
    expect(facts.likely).toBeUndefined();
  });

  it('ASCII is valid in every single-byte encoding', () => {
    expect(isDeclaredCompatible('latin1', detectEncoding(new TextEncoder().encode('a,b\n1,2\n'))).match).toBe(true);
  });

  it('Cyrillic words in windows-1251 are named as such', () => {
    const bytes = new Uint8Array(iconvEncode('Привет,мир\nданные,таблица\nстрока,значение\n', 'win1251'));
    const facts = detectEncoding(bytes);
    expect(facts.detected).toBe('unknown');
    expect(facts.likely?.encoding).toBe('windows-1251');
    expect(isDeclaredCompatible('cp1251', facts).match).toBe(true);
  });
});
