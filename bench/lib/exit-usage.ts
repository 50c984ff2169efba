// Preloaded into a process under measurement (`node --import <this> …`): at exit, writes its own peak RSS and CPU
// time to $BENCH_EXIT_USAGE_FILE. The parent can only sample /proc/<pid>/status, which misses whatever happens in
// the last interval before exit (an audit writes its reports there); getrusage in the process itself does not.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_EXIT_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKB: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
  });
}
