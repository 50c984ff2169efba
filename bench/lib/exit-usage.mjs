// Preloaded into a process under measurement (`node --import <this> …`): at exit, writes its own peak RSS and CPU
// time to $BENCH_EXIT_USAGE_FILE. The parent can only sample /proc/<pid>/status, which misses whatever happens in
// the last interval before exit (an audit writes its reports there); getrusage in the process itself does not.
// Plain JavaScript, not TypeScript: --import reaches every worker thread too, and a .ts file there would load Node's
// type stripper (~20 MB) into threads that would otherwise never need it — the measurement would change the figure.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_EXIT_USAGE_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKB: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
  });
}
