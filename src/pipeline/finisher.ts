// The finisher: where a finished dataset goes, and what the audit keeps of it. Its result is written at once — to
// the history store (with its verdicts and resource observations, one transaction), or without a store to a spill
// file — and leaves memory; the audit keeps a few bytes per dataset (agency, badge, two flags) to score agencies
// exactly as scoreAgencies scores the whole list, in catalogue order. At the end the run is closed in the store and
// the results are handed on as a stream (AuditResults) for the outputs.
import type { AgencyScore, AuditHeader, AuditResults, Dataset, DatasetResult } from '../model.ts';
import { scoreAgencies, type ScoredDataset } from '../score/agency-score.ts';
import type { Ruleset } from '../score/ruleset.ts';
import type { AuditHistory } from '../store/audit-history.ts';
import type { Observation } from '../store/observation-store.ts';
import { storedResults } from '../store/run-history.ts';
import type { ResultSpool } from './result-spool.ts';
import { resultsOf } from '../report/results-stream.ts';

/** A resource request odbadge refused because its address is private, loopback or link-local. */
export function refusedAsPrivate(f: { kind: string; error?: string }): boolean {
  return f.kind === 'blocked' && /refused/.test(f.error ?? '') && /address/.test(f.error ?? '');
}

/** Where finished datasets go: the store, a spill file, or (library callers, tests) memory. */
export type ResultSink =
  | { kind: 'store'; history: AuditHistory }
  | { kind: 'spool'; spool: ResultSpool }
  | { kind: 'memory' };

/** Interned strings: an index per distinct value, so 53,000 datasets of 600 agencies cost bytes, not strings. */
class Interned {
  readonly values: string[] = [];
  readonly #ids = new Map<string, number>();
  id(s: string): number {
    let i = this.#ids.get(s);
    if (i === undefined) this.#ids.set(s, (i = this.values.push(s) - 1));
    return i;
  }
}

/** What scoring needs of each dataset, by catalogue position: agency, badge and two flags, in typed arrays. */
class Tallies {
  readonly agencies = new Interned();
  readonly badges = new Interned();
  #agency = new Int32Array(1024).fill(-1);
  #badge = new Uint16Array(1024);
  #flags = new Uint8Array(1024);

  set(idx: number, d: ScoredDataset): void {
    if (idx >= this.#agency.length) {
      const n = Math.max(idx + 1, this.#agency.length * 2);
      const grow = <T extends Int32Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T) => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.#agency = grow(this.#agency, (k) => new Int32Array(k).fill(-1));
      this.#badge = grow(this.#badge, (k) => new Uint16Array(k));
      this.#flags = grow(this.#flags, (k) => new Uint8Array(k));
    }
    this.#agency[idx] = this.agencies.id(d.agency);
    this.#badge[idx] = this.badges.id(d.badge);
    this.#flags[idx] = (d.bonus ? 1 : 0) | (d.whitelisted ? 2 : 0);
  }

  /** The scored datasets in catalogue order: the same list, in the same order, scoreAgencies always saw. */
  *inOrder(below: number): Generator<ScoredDataset> {
    for (let i = 0; i < Math.min(below, this.#agency.length); i++) {
      if (this.#agency[i] < 0) continue;
      yield { agency: this.agencies.values[this.#agency[i]], badge: this.badges.values[this.#badge[i]], bonus: (this.#flags[i] & 1) !== 0, whitelisted: (this.#flags[i] & 2) !== 0 };
    }
  }
}

export interface FinishedDataset {
  idx: number;
  /** The dataset as the catalogue listed it (its metadata time is saved with the result); none for a stored one. */
  dataset?: Dataset;
  result: DatasetResult;
  /** null: recorded as failed, or read back from the store (nothing to save). */
  contentChanged?: boolean | null;
  /** The resources' observations, saved with the result in the store. */
  resources?: (Observation & { url: string })[];
  /** Already stored by an earlier session of this run: counted, not saved again. */
  stored?: boolean;
}

export class Finisher {
  readonly #sink: ResultSink;
  readonly #tallies = new Tallies();
  readonly #memory: DatasetResult[] = [];
  /** Datasets finished (this session and, on a resume, earlier ones). */
  datasets = 0;
  /** Resources of finished datasets refused as private addresses (recorded with the run: see store/comparable.ts). */
  privateRefused = 0;
  /** Run-level byte counters to save with each dataset (so a SIGKILL loses none of them). */
  bytes: () => { bytes: number; wireBytes: number } = () => ({ bytes: 0, wireBytes: 0 });
  /** Told of each dataset once it is recorded (the CLI's --verbose lines). */
  onFinish?: (r: DatasetResult) => void;

  constructor(sink: ResultSink) {
    this.#sink = sink;
  }

  /** Records a finished dataset. Rejects with a StoreError when the store cannot take it (the audit stops). */
  async finish(f: FinishedDataset): Promise<void> {
    const s = this.#sink;
    if (!f.stored) {
      if (s.kind === 'store') {
        await s.history.store.saveDataset({
          runId: s.history.run.id, idx: f.idx, result: f.result, contentChanged: f.contentChanged ?? null, metadataUpdatedAt: f.dataset?.metadataUpdatedAt,
          resources: (f.resources ?? []).map((r) => ({ url: r.url, fetch: r.fetch, facts: r.facts, hash: r.hash, reused: r.reused })),
          bytes: this.bytes(),
        });
      } else if (s.kind === 'spool') s.spool.append(f.idx, f.result);
    }
    if (s.kind === 'memory') this.#memory[f.idx] = f.result;
    this.#tallies.set(f.idx, f.result);
    for (const r of f.result.resources) if (refusedAsPrivate(r.fetch)) this.privateRefused++;
    this.datasets++;
    this.onFinish?.(f.result);
  }

  /** Agency scores over the datasets at catalogue positions below `below`, exactly as scoreAgencies gives them. */
  agencies(rs: Ruleset, below: number): AgencyScore[] {
    return scoreAgencies([...this.#tallies.inOrder(below)], rs);
  }

  /** The finished results, streamed from where they went. */
  async results(header: AuditHeader, below: number): Promise<AuditResults> {
    const s = this.#sink;
    if (s.kind === 'store') return await storedResults(s.history.store, s.history.run.id, { header, below });
    if (s.kind === 'spool') return s.spool.results(header, below);
    const list = this.#memory.slice(0, below).filter(Boolean);
    return resultsOf(header, list);
  }
}
