// Child process: linkinator checks every link of the simulated portal's HTML page with the same concurrency.
import { LinkChecker } from 'linkinator';
import { peakRssMB } from './child.ts';

const started = performance.now();
const result = await new LinkChecker().check({
  path: process.env.BENCH_PAGE!,
  concurrency: Number(process.env.BENCH_CONCURRENCY),
  recurse: false,
  timeout: 30_000,
});
const elapsedMs = performance.now() - started;
const checked = result.links.filter((l) => l.url !== process.env.BENCH_PAGE);
process.stdout.write(`${JSON.stringify({
  links: checked.length, ok: checked.filter((l) => l.state === 'OK').length, elapsedMs, peakRssMB: peakRssMB(),
})}\n`);
