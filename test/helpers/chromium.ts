// Headless Chromium for the browser tests: the one launcher is scripts/local-chromium.ts (the benchmarks use it too).
export * from '../../scripts/local-chromium.ts';
