// Earlier runs for trends and 品質進步獎. A small seam: the dashboard and the award tables ask a RunHistory for
// AuditResults; today they come from results.json files, later from the history store (src/store/).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditResult } from '../../model.ts';
import type { Bilingual } from '../../model.ts';
import { readResultsHeader, ResultsFileError } from '../results-file.ts';

export interface RunHistory {
  /** Earlier runs, oldest first. Must not include the run being reported. */
  runs(): Promise<AuditResult[]>;
  /** How those runs were chosen, for the reader of a trend. */
  basis?: Bilingual;
}

export const emptyHistory: RunHistory = { runs: async () => [] };

export function historyFrom(runs: AuditResult[]): RunHistory {
  const sorted = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { runs: async () => sorted };
}

export class HistoryFileError extends Error {
  override name = 'HistoryFileError';
}

export async function readResultsFile(path: string): Promise<AuditResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new HistoryFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HistoryFileError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const r = json as Partial<AuditResult>;
  if (!r || typeof r !== 'object' || !Array.isArray(r.datasets) || !Array.isArray(r.agencies) || typeof r.startedAt !== 'string') {
    throw new HistoryFileError(`${path} is not an odbadge results.json (needs datasets, agencies and startedAt)`);
  }
  return r as AuditResult;
}

/** Results files, or directories searched one level deep for results.json / *.json; skips `exclude` (the current run). */
export async function historyFromPaths(paths: string[], exclude?: AuditResult): Promise<RunHistory> {
  const files: string[] = [];
  const found: string[] = []; // inside directories: skipped quietly when not a results file (awards.json, …)
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new HistoryFileError(`cannot read ${p}: no such file or directory`);
    if (!s.isDirectory()) {
      files.push(p);
      continue;
    }
    for (const e of (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isFile() && e.name.endsWith('.json')) found.push(join(p, e.name));
      else if (e.isDirectory()) {
        const inner = join(p, e.name, 'results.json');
        if (await stat(inner).catch(() => undefined)) found.push(inner);
      }
    }
  }
  // A trend reads the earlier runs' envelopes (agency scores) only: their datasets are skipped, not read, so a
  // portal's earlier results.json files cost their scan, not their size in memory.
  const header = (f: string) => readResultsHeader(f).catch((e: unknown) => {
    throw e instanceof ResultsFileError ? new HistoryFileError(e.message) : e;
  });
  const runs = [
    ...(await Promise.all(files.map(header))),
    ...(await Promise.all(found.map((f) => header(f).catch(() => undefined)))).filter((r): r is AuditResult => !!r),
  ];
  return {
    ...historyFrom(runs.filter((r) => !exclude || r.startedAt !== exclude.startedAt || r.catalog?.source !== exclude.catalog.source)),
    basis: { zh: '以 --previous 指定的結果檔。', en: 'The results files given with --previous.' },
  };
}
