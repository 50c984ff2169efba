// A distributed run's statistics come from what its workers recorded, not from one fetcher's counters: distinct
// URLs, bytes downloaded (facts reused from an earlier run cost none), requests and retries (a fetch's attempts), and
// how many URLs reused stored facts. Each URL counts once however many datasets list it.
import type { HistoryStore } from '../../store/history-store.ts';

export interface ObservationStats {
  distinctUrls: number;
  bytes: number;
  requests: number;
  retries: number;
  reused: number;
}

export async function observationStats(store: HistoryStore, runId: number): Promise<ObservationStats> {
  const seen = new Set<string>();
  const s: ObservationStats = { distinctUrls: 0, bytes: 0, requests: 0, retries: 0, reused: 0 };
  for (const r of await store.runResources(runId)) {
    if (seen.has(r.url)) continue;
    seen.add(r.url);
    s.distinctUrls++;
    const attempts = Math.max(1, r.fetch.attempts ?? 1);
    s.requests += attempts;
    s.retries += attempts - 1;
    if (r.reused) s.reused++;
    else s.bytes += r.fetch.bytes ?? 0;
  }
  return s;
}
