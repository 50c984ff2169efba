// Headless Chromium for the benchmarks: the one launcher is scripts/local-chromium.ts (the tests use it too).
export * from '../../scripts/local-chromium.ts';
