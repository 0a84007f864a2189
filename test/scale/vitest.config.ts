import { defineConfig } from 'vitest/config';

/** Scale-out on real engines: PostgreSQL + Redis, several server processes. `npm run test:scale`. */
export default defineConfig({
  test: {
    include: ['test/scale/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
