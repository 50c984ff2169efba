// A child process for the lease tests: creates a run in the store (an SQLite file or a postgres:// URL), or claims
// run <id>, says so on stdout, and holds it until it is killed — on PostgreSQL renewing its lease as an audit's
// heartbeat does, without the audit.
import { openStore } from '../../src/store/open-store.ts';

const [spec, claim] = process.argv.slice(2);
const store = await openStore(spec);
const run = claim
  ? await store.claimRun(Number(claim))
  : await store.createRun({ rulesetId: 'tw-ndc-2017', ruleset: {}, catalog: 'c.csv', catalogKey: 'k', options: {}, startedAt: new Date().toISOString() });
process.stdout.write(`HELD ${run.id}\n`);
// Keeps the store reachable too: a collected SQLite connection closes, and its lock goes with it. (SQLite's tests
// set the heartbeat themselves, and a renewal would race their writes.)
setInterval(() => {
  if (store.kind === 'postgres') void store.renewLease(run.id).catch(() => undefined);
}, 500);
