// Holds V8's young generation at a modest size in a long-running command. On a machine with plenty of memory V8
// grows it to 2 × 64 MB whenever objects keep surviving scavenges — which an audit's in-flight datasets do — and
// never gives it back while allocation goes on: ~100 MB of a whole-portal audit's RSS for no gain in speed. The flag
// that sizes it (--max-semi-space-size) can only be given when the process starts, which an installed command
// cannot do; the growth factor, however, is read each time V8 resizes the space, so once the space reaches `cap`
// growth is switched off (and on again should V8 shrink it). Measured on the portal benchmark's crawl: the same
// throughput, ~95 MB less.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** V8's own default growth factor (semi-space doubles). */
const GROWTH = 2;

let observer: PerformanceObserver | undefined;

/** Caps the young generation of this thread's isolate at `capMb` from now on; idempotent. */
export function capYoungGeneration(capMb = 32): void {
  if (observer) return;
  const cap = capMb * 1024 * 1024;
  let frozen = false;
  const check = () => {
    const size = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    const freeze = size >= cap;
    if (freeze === frozen) return;
    frozen = freeze;
    v8.setFlagsFromString(`--semi-space-growth-factor=${freeze ? 1 : GROWTH}`);
  };
  observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  check();
}

/**
 * Worker threads created from now on start with a young generation of 2 × `semiMb` (V8 reads the minimum when it
 * creates an isolate): a fixed size they never need to grow into, so the cap above cannot leave them tiny. Their
 * maximum is set per worker (resourceLimits.maxYoungGenerationSizeMb).
 */
export function workerYoungGeneration(semiMb: number): void {
  v8.setFlagsFromString(`--min-semi-space-size=${semiMb}`);
}
