import { defineConfig } from 'vitest/config';

/** End-to-end: the built demo served by the real server, driven in Debian Chromium by playwright-core. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
