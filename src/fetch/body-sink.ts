// Where one body's bytes go while it downloads: memory while it fits both the per-body limit and the global budget,
// a spill file from the first chunk that does not (what was in memory moves to the file and its reservation is
// returned). A body the disk cannot take stays in memory past the budget rather than failing the download.
import type { BodyBudget } from './body-budget.ts';
import type { SpillArea, SpillFile } from './spill.ts';

/** A finished body: in memory (holding `reserved` bytes of the budget) or in a spill file. */
export type KeptBody =
  | { kind: 'memory'; body: Buffer; reserved: number }
  | { kind: 'file'; path: string };

export class BodySink {
  readonly #budget: BodyBudget;
  readonly #inMemoryMax: number;
  readonly #spill: SpillArea;
  #parts: Buffer[] = [];
  #bytes = 0;
  #reserved = 0;
  #file: SpillFile | undefined;
  #noDisk = false;
  /** Why spilling failed, for a note; undefined when it never did. */
  spillError: string | undefined;

  constructor(budget: BodyBudget, inMemoryMax: number, spill: SpillArea, file?: SpillFile) {
    this.#budget = budget;
    this.#inMemoryMax = inMemoryMax;
    this.#spill = spill;
    this.#file = file;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Takes a chunk. Returns a promise only when the disk is involved, so the in-memory path costs no extra tick. */
  add(chunk: Buffer): Promise<void> | undefined {
    const n = chunk.length;
    if (!this.#file) {
      if (this.#noDisk) {
        this.#budget.forceReserve(n);
      } else if (this.#bytes + n > this.#inMemoryMax || !this.#budget.tryReserve(n)) {
        return this.#spillWith(chunk);
      }
      this.#parts.push(chunk);
      this.#bytes += n;
      this.#reserved += n;
      return undefined;
    }
    this.#bytes += n;
    return this.#file.write(chunk);
  }

  async #spillWith(chunk: Buffer): Promise<void> {
    let file: SpillFile | undefined;
    try {
      file = await this.#spill.create();
      for (const p of this.#parts) await file.write(p);
    } catch (e) {
      if (file) {
        const partial = file.path;
        await file.end().catch(() => undefined);
        await this.#spill.remove(partial);
      }
      // No disk to spill to (full, read-only, closed): keep the body in memory over budget, and say so.
      this.#noDisk = true;
      this.spillError = (e as Error)?.message ?? String(e);
      this.#budget.forceReserve(chunk.length);
      this.#parts.push(chunk);
      this.#bytes += chunk.length;
      this.#reserved += chunk.length;
      return;
    }
    this.#file = file;
    this.#parts = [];
    this.#budget.release(this.#reserved);
    this.#reserved = 0;
    this.#bytes += chunk.length;
    await file.write(chunk);
  }

  /** The complete body. In memory, the reservation passes to the caller (release it when the body is consumed). */
  async finish(): Promise<KeptBody> {
    if (this.#file) {
      await this.#file.end();
      return { kind: 'file', path: this.#file.path };
    }
    const body = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts, this.#bytes);
    this.#parts = [];
    const reserved = this.#reserved;
    this.#reserved = 0;
    return { kind: 'memory', body, reserved };
  }

  /** Throws the body away: its reservation is returned and its spill file deleted. */
  async discard(): Promise<void> {
    this.#parts = [];
    this.#budget.release(this.#reserved);
    this.#reserved = 0;
    const file = this.#file;
    if (file) {
      await file.end().catch(() => undefined);
      await this.#spill.remove(file.path);
    }
  }
}
