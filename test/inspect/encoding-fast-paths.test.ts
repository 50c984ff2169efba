// The detector's fast paths (native UTF-8 validation per chunk, one pass for the three Big5 variants, word-wise
// counting of high bytes, UTF-16 checks retired after a NUL-free first megabyte) must give exactly the facts of a
// byte-by-byte reading: same offsets, same counts, whatever the chunking.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createEncodingDetector, detectEncoding } from '../../src/inspect/encoding/index.ts';
import { inspectResource } from '../../src/inspect/index.ts';
import { inspectStream } from '../../src/inspect/stream.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function inChunks(bytes: Uint8Array, size: number) {
  const d = createEncodingDetector();
  for (let i = 0; i < bytes.length; i += size) d.push(bytes.subarray(i, i + size));
  return d.finish();
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** A table of Taiwanese rows, about `bytes` long, deterministic. */
function table(bytes: number): string {
  const names = ['中正區', '大同區', '萬華區', '信義區', '𠀋村', 'Da-an'];
  let s = '序號,行政區,人口\n';
  for (let i = 0; s.length * 2 < bytes; i++) s += `${i},${names[i % names.length]},${(i * 7919) % 50000}\n`;
  return s;
}

describe('encoding detector fast paths', () => {
  const utf8 = enc(table(2_500_000));
  const highBytes = utf8.reduce((n, b) => n + (b >= 0x80 ? 1 : 0), 0);

  it('counts every non-ASCII byte of a multi-megabyte UTF-8 body, whatever the chunking and alignment', () => {
    const whole = detectEncoding(utf8);
    expect(whole.detected).toBe('utf-8');
    expect(whole.evidence).toBe(`${highBytes} non-ASCII bytes, all valid UTF-8 sequences`);
    for (const size of [4093, 65536, 65537, 1 << 20]) expect(inChunks(utf8, size), `${size}-byte chunks`).toEqual(whole);
    // an odd start offset in the underlying buffer (unaligned words)
    const shifted = new Uint8Array(utf8.length + 1);
    shifted.set(utf8, 1);
    expect(detectEncoding(shifted.subarray(1))).toEqual(whole);
  });

  it('finds a bad UTF-8 sequence past the first megabyte, split across a chunk boundary', () => {
    const bad = new Uint8Array(utf8.length + 4);
    bad.set(utf8);
    const at = 1_500_001;
    bad.copyWithin(at + 2, at);
    bad[at] = 0xe4; // a 3-byte lead followed by an ASCII digit: invalid
    bad[at + 1] = 0xb8;
    // 750001-byte chunks end right after the lead byte: the sequence is finished in the next chunk
    for (const size of [750_001, 65536]) {
      expect(inChunks(bad, size).failures['utf-8'], `${size}-byte chunks`).toEqual({ offset: at, bytes: `0xe4b8${bad[at + 2].toString(16)}` });
    }
    const facts = detectEncoding(bad);
    expect(facts.failures['utf-8']?.offset).toBe(at);
  });

  it('judges the three Big5 variants in one pass with the byte offsets of separate passes', () => {
    // 0xf9fe is CP950 only (an ETEN box-drawing extension); 0x8840 is HKSCS only
    const big5 = new Uint8Array(iconv.encode(table(1_200_000), 'big5'));
    const withEten = new Uint8Array([...big5, 0x41, 0xf9, 0xfe, 0x0a]);
    const f1 = detectEncoding(withEten);
    expect(f1.detected).toBe('cp950');
    expect(f1.failures.big5).toEqual({ offset: big5.length + 1, bytes: '0xf9fe' });
    expect(f1.compatible).toEqual(expect.arrayContaining(['cp950', 'big5-hkscs']));
    for (const size of [1, 7, 65536]) {
      if (size === 1) continue; // too slow over a megabyte; the corpora test covers tiny chunks
      expect(inChunks(withEten, size)).toEqual(f1);
    }
    const withHkscs = new Uint8Array([...big5, 0x88, 0x40]);
    const f2 = detectEncoding(withHkscs);
    expect(f2.detected).toBe('big5-hkscs');
    expect(f2.failures.big5?.offset).toBe(big5.length);
    expect(f2.failures.cp950?.offset).toBe(big5.length);
    // a lead byte cut off at the very end fails every variant still alive, at the lead
    const cut = detectEncoding(new Uint8Array([...big5, 0xa4]));
    expect(cut.failures.big5).toEqual({ offset: big5.length, bytes: '0xa4' });
  });

  it('still recognises UTF-16 without a BOM on a large body (NULs show up in the first megabyte)', () => {
    const le = new Uint8Array(Buffer.from('id,name\n' + 'row,abc\n'.repeat(200_000), 'utf16le'));
    expect(le.length).toBeGreaterThan(1 << 20);
    expect(inChunks(le, 65536).detected).toBe('utf-16le');
    expect(detectEncoding(le).detected).toBe('utf-16le');
  });

  it('a body of NUL bytes is binary however dense the NULs are in a chunk', () => {
    const nul = new Uint8Array(300_000);
    nul[5] = 0x41;
    const facts = inChunks(nul, 65536);
    expect(facts.detected).toBe('binary');
    expect(facts.evidence).toBe(`${nul.length - 1} NUL bytes in ${nul.length}: binary content, not text`);
  });
});

describe('UTF-8 CSV streamed as bytes', () => {
  it('gives the facts of the in-memory path: BOM dropped from the header, subtotal and blank rows found', async () => {
    const text = '\uFEFF區域,人口\n' + '大安區,100\n'.repeat(30_000) + '\n' + '合計,3000000\n' + '中山區,5\n'.repeat(10);
    const bytes = enc(text);
    const whole = await inspectResource({ body: bytes });
    for (const size of [5, 65536]) {
      const streamed = await inspectStream(chunks(bytes, size));
      expect(streamed.fields).toEqual(['區域', '人口']);
      expect(streamed.fields).toEqual(whole.fields);
      expect(streamed.recordCount).toBe(whole.recordCount);
      expect(streamed.structuralErrors).toEqual(whole.structuralErrors);
      expect(streamed.structuralErrors.map((e) => e.type)).toEqual(['blank-row', 'subtotal-row']);
      expect(streamed.encoding?.detected).toBe('utf-8-bom');
    }
  });

  it('a cell with invalid UTF-8 becomes a replacement character, and the encoding finding names the byte', async () => {
    const head = enc('名稱,數量\n' + '臺北,1\n'.repeat(100_000));
    const bytes = new Uint8Array([...head, 0xff, 0x2c, 0x32, 0x0a]);
    const facts = await inspectStream(chunks(bytes, 65536));
    expect(facts.recordCount).toBe(100_001);
    expect(facts.structured).toBe(true);
    expect(facts.encoding?.detected).toBe('unknown');
    expect(facts.notes.join('\n')).toContain(`byte 0xff at offset ${head.length}`);
  });
});
