import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests must never write the user's real history store (~/.local/share/odbadge): give them a scratch home.
const ODBADGE_HOME = process.env.ODBADGE_TEST_HOME ?? mkdtempSync(join(tmpdir(), 'odbadge-test-home-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core CI machines: keep parallelism modest so loopback servers do not starve each other.
    maxWorkers: 2,
    // …and never go through the machine's proxy: every test server is on 127.0.0.1, and the proxy tests start their
    // own (an empty value wins over the upper-case name, as undici and odbadge read them).
    // ODBADGE_DB is emptied for the same reason (a developer's may name a real PostgreSQL store).
    env: { ODBADGE_HOME, ODBADGE_DB: '', http_proxy: '', https_proxy: '', no_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '', NO_PROXY: '' },
    // fast-check runs from a known seed (printed in every failure): see test/setup/fuzz-seed.ts.
    setupFiles: ['test/setup/fuzz-seed.ts'],
  },
});
