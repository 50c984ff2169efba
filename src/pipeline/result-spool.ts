// Where finished datasets go when there is no history store (--no-store): one JSON line each in a private temporary
// file, so they leave memory as they finish and the outputs are written from here afterwards, in catalogue order.
// The file lives in a spill directory of the fetcher's kind (odbadge-spill-<pid>-…, mode 0700): removed when the
// audit's outputs are written, and by the next audit if this process is killed.
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditHeader, AuditResults, DatasetResult } from '../model.ts';
import { removeStale } from '../fetch/spill.ts';
import { jsonText } from '../util/json-text.ts';

/** Reads are served from blocks this large: datasets finish roughly in catalogue order, so a block serves many. */
const BLOCK = 1 << 20;
const BLOCKS_KEPT = 4;

export class ResultSpool {
  readonly #dir: string;
  readonly #fh: FileHandle;
  /** Byte offset and length of each dataset's line, by catalogue position (length 0: none). */
  #start = new Float64Array(1024);
  #length = new Uint32Array(1024);
  #end = 0;
  #writing: Promise<void> = Promise.resolve();
  #error: unknown;
  #blocks: { at: number; bytes: Buffer }[] = [];

  private constructor(dir: string, fh: FileHandle) {
    this.#dir = dir;
    this.#fh = fh;
  }

  static async create(parent = tmpdir()): Promise<ResultSpool> {
    await removeStale(parent);
    const dir = await mkdtemp(join(parent, `odbadge-spill-${process.pid}-results-`));
    return new ResultSpool(dir, await open(join(dir, 'results.jsonl'), 'wx+', 0o600));
  }

  /** Appends a finished dataset (written in order in the background; a write error surfaces at the next read). */
  append(idx: number, result: DatasetResult): void {
    const bytes = Buffer.from(jsonText(result));
    if (idx >= this.#start.length) {
      const n = Math.max(idx + 1, this.#start.length * 2);
      const start = new Float64Array(n);
      start.set(this.#start);
      const length = new Uint32Array(n);
      length.set(this.#length);
      this.#start = start;
      this.#length = length;
    }
    const at = this.#end;
    this.#start[idx] = at;
    this.#length[idx] = bytes.length;
    this.#end += bytes.length;
    this.#writing = this.#writing.then(async () => {
      if (this.#error) return;
      try {
        for (let off = 0; off < bytes.length;) off += (await this.#fh.write(bytes, off, bytes.length - off, at + off)).bytesWritten;
      } catch (e) {
        this.#error = e;
      }
    });
  }

  /** The datasets at catalogue positions below `below`, in catalogue order, with `header`. */
  results(header: AuditHeader, below: number): AuditResults {
    const positions: number[] = [];
    for (let i = 0; i < Math.min(below, this.#length.length); i++) if (this.#length[i] > 0) positions.push(i);
    return {
      header,
      count: positions.length,
      datasets: async function* (this: ResultSpool) {
        for (const i of positions) yield await this.#read(i, true);
      }.bind(this),
      dataset: (n: number) => {
        if (!(n >= 0 && n < positions.length)) return Promise.reject(new RangeError(`no dataset ${n}`));
        return this.#read(positions[n], false);
      },
    };
  }

  /** `sequential`: read ahead in blocks (catalogue order); otherwise just this line (fix-first, JUnit). */
  async #read(idx: number, sequential: boolean): Promise<DatasetResult> {
    await this.#writing;
    if (this.#error) throw this.#error;
    const at = this.#start[idx];
    const n = this.#length[idx];
    let block = this.#blocks.find((b) => b.at <= at && at + n <= b.at + b.bytes.length);
    if (!block && !sequential) {
      const bytes = Buffer.allocUnsafe(n);
      const { bytesRead } = await this.#fh.read(bytes, 0, n, at);
      return JSON.parse(bytes.toString('utf8', 0, bytesRead)) as DatasetResult;
    }
    if (!block) {
      const bytes = Buffer.allocUnsafe(Math.max(BLOCK, n));
      const { bytesRead } = await this.#fh.read(bytes, 0, bytes.length, at);
      block = { at, bytes: bytes.subarray(0, bytesRead) };
      this.#blocks.push(block);
      if (this.#blocks.length > BLOCKS_KEPT) this.#blocks.shift();
    }
    return JSON.parse(block.bytes.toString('utf8', at - block.at, at - block.at + n)) as DatasetResult;
  }

  async dispose(): Promise<void> {
    await this.#writing.catch(() => undefined);
    await this.#fh.close().catch(() => undefined);
    await rm(this.#dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
