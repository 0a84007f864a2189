import { defineConfig } from 'vitest/config';

/** Fault harness: crashes, bad networks, reloads and tabs. `npm run test:faults`. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Prints the table of every scenario's figures at the end.
    globalSetup: ['test/faults/summary.ts'],
  },
});
