// A child process for the lease tests: creates a run in the store (or claims run <id>), says so on stdout, and holds
// it until it is killed — what an audit does while it works, without the audit.
import { SqliteStore } from '../../src/store/store.ts';

const [path, claim] = process.argv.slice(2);
const store = SqliteStore.open(path);
const run = claim
  ? await store.claimRun(Number(claim))
  : await store.createRun({ rulesetId: 'tw-ndc-2017', ruleset: {}, catalog: 'c.csv', catalogKey: 'k', options: {}, startedAt: new Date().toISOString() });
process.stdout.write(`HELD ${run.id}\n`);
// The store must stay reachable: a collected connection closes, and its lock goes with it.
setInterval(() => store.path, 1_000);
