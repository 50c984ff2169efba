// The fetcher as the catalogue's HTTP client (src/catalog/http.ts): catalogue requests take the same guarded path
// as resources, marked as catalogue traffic (counted apart, never cut short by an open circuit breaker).
import type { CatalogHttp } from '../catalog/http.ts';
import type { Fetcher } from './fetcher.ts';

export function catalogHttpOf(fetcher: Fetcher): CatalogHttp {
  return {
    fetch: (url, o) => fetcher.fetch(url, { ...o, role: 'catalog' }),
    stream: (url, o) => fetcher.stream(url, { ...o, role: 'catalog' }),
    release: (outcome) => fetcher.release(outcome),
  };
}
