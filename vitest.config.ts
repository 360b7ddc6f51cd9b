import { defineConfig } from 'vitest/config';

// Every server test runs on SQLite and, when QIAO_TEST_PG_URL is set, again on PostgreSQL.
const serverTests = ['apps/server/src/**/*.test.ts', 'packages/contracts/src/**/*.test.ts'];
const withPostgres = Boolean(process.env.QIAO_TEST_PG_URL);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'sqlite',
          include: serverTests,
          env: { QIAO_TEST_ENGINE: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(withPostgres
        ? [
            {
              test: {
                name: 'postgres',
                include: ['apps/server/src/**/*.test.ts'],
                env: { QIAO_TEST_ENGINE: 'postgres' },
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      'apps/web/vitest.config.ts',
    ],
  },
});
