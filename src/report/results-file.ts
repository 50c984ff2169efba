// Reading a results.json of any size. A whole portal's file (≈ 600 MB) is longer than a JavaScript string may be,
// so it is never read whole: one pass over its bytes finds the envelope's fields (parsed, they are small) and where
// each element of `datasets` begins and ends; datasets are then parsed one at a time as they are read. The scan
// tracks only JSON's structure (brackets, strings and their escapes), which no UTF-8 multi-byte sequence can
// disturb, so any valid JSON layout is read, not just the one odbadge writes.
import { open, type FileHandle } from 'node:fs/promises';
import type { AuditHeader, AuditResult, AuditResults, DatasetResult } from '../model.ts';

const READ = 1 << 20;

export class ResultsFileError extends Error {
  override name = 'ResultsFileError';
}

/** A results file opened for streaming: its results, and close() to release the file. */
export interface ResultsFile extends AuditResults {
  close(): Promise<void>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Opens `path`; throws ResultsFileError when it cannot be read or is not an odbadge results.json. */
export async function openResultsFile(path: string): Promise<ResultsFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new ResultsFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const scanned = await scan(fh, path);
    const { header } = scanned;
    const r = header as Partial<AuditResult>;
    if (!r || typeof r !== 'object' || !Array.isArray(r.agencies) || typeof r.startedAt !== 'string' || !scanned.starts || !scanned.ends) {
      throw new ResultsFileError(`${path} is not an odbadge results.json (needs datasets, agencies and startedAt)`);
    }
    const starts = scanned.starts;
    const ends = scanned.ends;
    const count = starts.length;
    const read = async (at: number, end: number): Promise<Buffer> => {
      const buf = Buffer.allocUnsafe(end - at);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, at + got);
        if (!bytesRead) throw new ResultsFileError(`${path} changed while it was read`);
        got += bytesRead;
      }
      return buf;
    };
    const parse = (bytes: Buffer, n: number): DatasetResult => {
      try {
        return JSON.parse(bytes.toString('utf8')) as DatasetResult;
      } catch (e) {
        throw new ResultsFileError(`${path} is not valid JSON: dataset ${n}: ${(e as Error).message}`);
      }
    };
    return {
      header: header as AuditHeader,
      count,
      async *datasets() {
        // Read in blocks of at least READ bytes; each dataset is cut out of the block that holds it.
        let block: Buffer = Buffer.alloc(0);
        let blockAt = 0;
        for (let n = 0; n < count; n++) {
          const s = starts[n];
          const e = ends[n];
          if (s < blockAt || e > blockAt + block.length) {
            blockAt = s;
            block = await read(s, Math.max(e, Math.min(s + READ, ends[count - 1])));
          }
          yield parse(block.subarray(s - blockAt, e - blockAt), n);
        }
      },
      dataset: async (n) => {
        if (!(n >= 0 && n < count)) throw new RangeError(`no dataset ${n}`);
        return parse(await read(starts[n], ends[n]), n);
      },
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}

/** The envelope of a results file (its datasets skipped, not read): for trends over earlier runs. */
export async function readResultsHeader(path: string): Promise<AuditResult> {
  const f = await openResultsFile(path);
  await f.close();
  return { ...f.header, datasets: [] } as AuditResult;
}

interface Scanned {
  header: Record<string, unknown>;
  starts?: number[];
  ends?: number[];
}

/** One pass over the file's bytes: the envelope's fields parsed, the datasets' byte ranges. */
async function scan(fh: FileHandle, path: string): Promise<Scanned> {
  const bad = (why: string) => new ResultsFileError(`${path} is not valid JSON: ${why}`);
  const header: Record<string, unknown> = {};
  let starts: number[] | undefined;
  let ends: number[] | undefined;
  let depth = 0;
  let inString = false;
  let escaped = false;
  // At depth 1: 'key' (a key or the end expected), 'value' (after its colon), 'in-value' (inside one), 'after'.
  let state: 'start' | 'key' | 'colon' | 'value' | 'in-value' | 'after' | 'done' = 'start';
  let key: Buffer[] = [];
  let keyName = '';
  let value: Buffer[] = [];
  let valueFrom = 0;
  let inDatasets = false;
  let elementAt = -1;
  const buf = Buffer.allocUnsafe(READ);
  let pos = 0;
  for (;;) {
    const { bytesRead } = await fh.read(buf, 0, READ, pos);
    if (!bytesRead) break;
    const chunk = buf.subarray(0, bytesRead);
    valueFrom = 0;
    let keyFrom = 0;
    for (let i = 0; i < bytesRead; i++) {
      const b = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (depth === 1 && state === 'key') {
            key.push(Buffer.from(chunk.subarray(keyFrom, i + 1)));
            keyName = JSON.parse(Buffer.concat(key).toString('utf8')) as string;
            key = [];
            state = 'colon';
          }
        }
        continue;
      }
      if (state === 'done') {
        if (!isSpace(b)) throw bad(`unexpected text after the end, at byte ${pos + i}`);
        continue;
      }
      if (depth === 0) {
        if (isSpace(b)) continue;
        if (b !== OPEN_OBJ || state !== 'start') throw bad(`expected an object at byte ${pos + i}`);
        depth = 1;
        state = 'key';
        continue;
      }
      if (depth === 1 && state !== 'in-value') {
        if (isSpace(b)) continue;
        if (state === 'key') {
          if (b === CLOSE_OBJ) {
            depth = 0;
            state = 'done';
          } else if (b === QUOTE) {
            inString = true;
            keyFrom = i;
          } else throw bad(`expected a key at byte ${pos + i}`);
          continue;
        }
        if (state === 'colon') {
          if (b !== COLON) throw bad(`expected ":" at byte ${pos + i}`);
          state = 'value';
          continue;
        }
        if (state === 'after') {
          if (b === COMMA) state = 'key';
          else if (b === CLOSE_OBJ) {
            depth = 0;
            state = 'done';
          } else throw bad(`expected "," or "}" at byte ${pos + i}`);
          continue;
        }
        // state 'value': the value of keyName starts here.
        state = 'in-value';
        if (keyName === 'datasets') {
          if (b !== OPEN_ARR) throw new ResultsFileError(`${path} is not an odbadge results.json (datasets is not a list)`);
          inDatasets = true;
          starts = [];
          ends = [];
          depth = 2;
          continue;
        }
        value = [];
        valueFrom = i;
        // A scalar ends at the next "," or "}" at this depth; a container at its closing bracket (below).
      }
      // Inside a value of the envelope (depth ≥ 1, state 'in-value').
      if (b === QUOTE) {
        inString = true;
        continue;
      }
      if (b === OPEN_OBJ || b === OPEN_ARR) {
        if (inDatasets && depth === 2) {
          if (b !== OPEN_OBJ) throw new ResultsFileError(`${path} is not an odbadge results.json (a dataset is not an object)`);
          elementAt = pos + i;
        }
        depth++;
        continue;
      }
      if (b === CLOSE_OBJ || b === CLOSE_ARR) {
        depth--;
        if (inDatasets) {
          if (depth === 2 && elementAt >= 0) {
            starts!.push(elementAt);
            ends!.push(pos + i + 1);
            elementAt = -1;
          } else if (depth === 1) {
            inDatasets = false;
            state = 'after';
          }
          continue;
        }
        if (depth === 1) {
          value.push(Buffer.from(chunk.subarray(valueFrom, i + 1)));
          header[keyName] = parseValue(value, keyName);
          state = 'after';
        } else if (depth === 0) {
          // A scalar value ended by the closing brace of the envelope.
          value.push(Buffer.from(chunk.subarray(valueFrom, i)));
          header[keyName] = parseValue(value, keyName);
          state = 'done';
        }
        continue;
      }
      if (b === COMMA && depth === 1 && !inDatasets) {
        value.push(Buffer.from(chunk.subarray(valueFrom, i)));
        header[keyName] = parseValue(value, keyName);
        state = 'key';
      }
    }
    if (state === 'in-value' && !inDatasets) value.push(Buffer.from(chunk.subarray(valueFrom)));
    if (inString && depth === 1 && state === 'key') key.push(Buffer.from(chunk.subarray(keyFrom)));
    pos += bytesRead;
  }
  if ((state as string) !== 'done') throw bad('it ends before its closing "}"');
  return { header, starts, ends };

  function parseValue(parts: Buffer[], name: string): unknown {
    try {
      return JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (e) {
      throw bad(`the value of "${name}": ${(e as Error).message}`);
    }
  }
}
