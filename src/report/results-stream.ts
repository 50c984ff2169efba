// Results held in memory as the stream every writer reads (AuditResults), and back: the outputs are written one
// dataset at a time whether the datasets come from the store, a spill file, a results.json or an array.
import type { AuditHeader, AuditResult, AuditResults, DatasetResult } from '../model.ts';

/** An AuditResult (or an envelope and its datasets) as a stream. */
export function resultsOf(r: AuditResult): AuditResults;
export function resultsOf(header: AuditHeader, datasets: DatasetResult[]): AuditResults;
export function resultsOf(r: AuditResult | AuditHeader, list?: DatasetResult[]): AuditResults {
  const datasets = list ?? (r as AuditResult).datasets;
  const header = headerOf(r);
  return {
    header,
    count: datasets.length,
    async *datasets() {
      yield* datasets;
    },
    dataset: async (n) => {
      const d = datasets[n];
      if (!d) throw new RangeError(`no dataset ${n}`);
      return d;
    },
  };
}

/** The envelope of a results object: everything but its datasets. */
export function headerOf(r: AuditResult | AuditHeader): AuditHeader {
  const { datasets: _datasets, ...header } = r as AuditResult;
  return header;
}

/** Every dataset read into memory: for small results only (a test, `awards`). */
export async function collect(r: AuditResults): Promise<AuditResult> {
  const datasets: DatasetResult[] = [];
  for await (const d of r.datasets()) datasets.push(d);
  return withDatasets(r.header, datasets);
}

/**
 * The envelope with its datasets, in the order results.json has always had its fields: odbadge, ruleset, catalog,
 * startedAt, finishedAt, datasets, agencies, stats, run — any other field where the envelope has it.
 */
export function withDatasets<T>(header: AuditHeader, datasets: T): Omit<AuditResult, 'datasets'> & { datasets: T } {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(header)) {
    if (k === 'agencies' && !placed) {
      out.datasets = datasets;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out.datasets = datasets;
  return out as Omit<AuditResult, 'datasets'> & { datasets: T };
}
