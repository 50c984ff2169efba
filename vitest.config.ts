import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core CI machines: keep parallelism modest so loopback servers do not starve each other.
    maxWorkers: 2,
  },
});
