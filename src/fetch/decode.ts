// Reads a response body once, decoding Content-Encoding ourselves so every cap applies to decoded bytes and a
// decompression bomb stops after a bounded amount of work instead of filling memory.
import { Readable, pipeline } from 'node:stream';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

/** Decoded size below which the ratio test is not applied: tiny repetitive bodies compress absurdly well. */
export const BOMB_RATIO_FLOOR_BYTES = 1024 * 1024;

export interface BodyRead {
  /** Decoded bytes kept (handed to the sink). */
  bytes: number;
  /** Bytes received on the wire (still encoded). */
  wireBytes: number;
  /** Stopped at the byte cap with more data pending. */
  truncated: boolean;
  /** Stopped because decoded/wire exceeded the ratio cap. */
  bomb: boolean;
  notes: string[];
  /** Set when reading or decoding failed part-way; the sink holds what was decoded before. */
  error?: unknown;
  /** The error came from the decoder (corrupt encoding) rather than the connection. */
  decodeError?: boolean;
}

/** Where decoded bytes go: `add` returns a promise only when the caller must wait (a disk write). */
export interface ByteSink {
  add(chunk: Buffer): Promise<void> | undefined;
}

/** Live count of bytes received, read by the minimum-rate check while the body is still arriving. */
export interface WireMeter {
  wire: number;
}

export function parseContentEncoding(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'identity');
}

type Chunks = AsyncIterable<Buffer>;

/** Yields the first non-empty chunks until at least `n` bytes are known, then the rest unchanged. */
async function peek(src: Chunks, n: number): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const r = await it.next();
    if (r.done) break;
    parts.push(r.value);
    len += r.value.length;
  }
  return { head: Buffer.concat(parts), rest: it };
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length) yield head;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await rest.return?.();
  }
}

class DecodeError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

async function* through(src: Chunks, z: Transform): AsyncGenerator<Buffer> {
  const input = Readable.from(src, { objectMode: false });
  let inputError: unknown;
  input.once('error', (e) => { inputError = e; });
  pipeline(input, z, () => {});
  try {
    for await (const c of z) yield c as Buffer;
  } catch (e) {
    // A failure of the connection surfaces through the decoder too; keep the original for classification.
    throw inputError ?? new DecodeError(e);
  } finally {
    input.destroy();
    z.destroy();
  }
}

function decoderFor(enc: string, src: Chunks, notes: string[]): Chunks | null {
  switch (enc) {
    case 'gzip':
    case 'x-gzip':
      return (async function* () {
        const { head, rest } = await peek(src, 2);
        if (head.length === 0) return;
        if (head[0] !== 0x1f || head[1] !== 0x8b) {
          // A common server misconfiguration; browsers fail here, but the bytes themselves are usable.
          notes.push(`Content-Encoding says ${enc} but the body is not gzip; kept as sent`);
          yield* replay(head, rest);
          return;
        }
        yield* through(replay(head, rest), zlib.createGunzip());
      })();
    case 'deflate':
      return (async function* () {
        const { head, rest } = await peek(src, 2);
        if (head.length === 0) return;
        // RFC 9110 "deflate" is zlib-wrapped, but many servers send raw deflate; the zlib header tells them apart.
        const zlibWrapped = head.length >= 2 && (head[0] & 0x0f) === 8 && ((head[0] << 8) | head[1]) % 31 === 0;
        if (!zlibWrapped) notes.push('Content-Encoding deflate sent as raw deflate (no zlib header)');
        yield* through(replay(head, rest), zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw());
      })();
    case 'br':
      return through(src, zlib.createBrotliDecompress());
    case 'zstd': {
      const make = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
      return make ? through(src, make()) : null;
    }
    default:
      return null;
  }
}

/**
 * Reads `source` to the end or to `cap` decoded bytes, decoding `encodings` (in header order), into `sink`.
 * Never throws: failures are returned in `error`, the bytes decoded before them are in the sink.
 */
export async function readBody(
  source: Chunks,
  encodings: string[],
  cap: number,
  maxRatio: number,
  sink: ByteSink,
  meter: WireMeter = { wire: 0 },
): Promise<BodyRead> {
  const notes: string[] = [];
  const counted = (async function* () {
    for await (const c of source) {
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array);
      meter.wire += b.length;
      yield b;
    }
  })();
  let stream: Chunks = counted;
  let decoded = false;
  // Content-Encoding lists codings in the order applied, so undo them last-first.
  for (const enc of [...encodings].reverse()) {
    const next = decoderFor(enc, stream, notes);
    if (!next) {
      notes.push(`Content-Encoding "${enc}" not supported; body kept as sent`);
      break;
    }
    stream = next;
    decoded = true;
  }

  let total = 0;
  let truncated = false;
  let bomb = false;
  try {
    for await (const chunk of stream) {
      if (chunk.length === 0) continue;
      if (total >= cap) {
        truncated = true;
        break;
      }
      if (decoded && total + chunk.length > BOMB_RATIO_FLOOR_BYTES && (total + chunk.length) / Math.max(1, meter.wire) > maxRatio) {
        bomb = true;
        truncated = true;
        notes.push(`decompression stopped: ${total + chunk.length} bytes decoded from ${meter.wire} received (ratio cap ${maxRatio})`);
        break;
      }
      const take = Math.min(chunk.length, cap - total);
      const pending = sink.add(take === chunk.length ? chunk : chunk.subarray(0, take));
      if (pending) await pending;
      total += take;
      if (take < chunk.length) {
        truncated = true;
        break;
      }
    }
  } catch (e) {
    const decodeError = e instanceof DecodeError;
    return { bytes: total, wireBytes: meter.wire, truncated, bomb, notes, error: decodeError ? e.cause : e, decodeError };
  }
  if (truncated && !bomb) notes.push(`body cut at the ${cap}-byte cap`);
  return { bytes: total, wireBytes: meter.wire, truncated, bomb, notes };
}
