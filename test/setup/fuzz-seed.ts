// Fuzzing with a seed: every fast-check property in the suite runs from ODBADGE_FUZZ_SEED (a fixed default, so a
// run is reproducible; `ODBADGE_FUZZ_SEED=random` explores). fast-check names the seed and the shrunk path in every
// failure message ("… seed: 20261130, path: …"), so a failure found with a random seed can be replayed exactly.
import fc from 'fast-check';

const raw = process.env.ODBADGE_FUZZ_SEED;
const seed = raw === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(raw ?? 20261130);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
