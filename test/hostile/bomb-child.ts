// Runs in a child process of the bomb tests, so that its peak memory is its own. Loaded with `node --import` before
// the odbadge CLI, it writes the process's peak RSS (bytes, worker threads included) to $ODBADGE_TEST_RSS_FILE at
// exit; run as a script (`node bomb-child.ts <file> [limits JSON]`) it also inspects one file with inspectResource
// and prints the facts as JSON.
import { readFileSync, writeFileSync } from 'node:fs';

const rssFile = process.env.ODBADGE_TEST_RSS_FILE;
if (rssFile) process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS * 1024)));

if (import.meta.main) {
  const { inspectResource } = await import('../../src/inspect/index.ts');
  const [file, limits] = process.argv.slice(2);
  const facts = await inspectResource({ body: new Uint8Array(readFileSync(file!)), url: file, ...(limits ? { limits: JSON.parse(limits) } : {}) });
  process.stdout.write(JSON.stringify(facts));
}
