import { defineConfig } from 'vitest/config';

// One run covers the pure packages and the server. Database tests run on SQLite always and on
// PostgreSQL too when RENKEI_TEST_DATABASE_URL is set (see apps/server/src/testing/engines.ts).
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'packages/cli/src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
