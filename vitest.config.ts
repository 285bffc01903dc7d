import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts', 'marbles/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // an unhandled rejection or uncaught exception fails the test during which it happened
    setupFiles: ['./spec/helpers/failOnUnhandled.ts'],
    reporters: ['default', './spec/helpers/summaryReporter.ts'],
  },
});
