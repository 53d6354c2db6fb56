import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native modules (better-sqlite3, sharp) and worker threads: forks isolate them cleanly.
    pool: 'forks',
  },
});
