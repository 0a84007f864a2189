import { defineConfig } from 'vitest/config';

/** Unit, server and conformance suites (Node). Browser suites run under @web/test-runner; e2e has its own config. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/architecture/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});
