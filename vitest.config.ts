import { defineConfig } from 'vitest/config';

// One command runs every project; scripts/test.mjs adds the closing
// "N passed, N failed" line that CI reads.
/** Integration tests not run again with every server on PostgreSQL, and why. */
const POSTGRES_EXCLUDED = [
  // Already run every store on SQLite and PostgreSQL.
  'tests/integration/sqlStores.test.ts',
  'tests/integration/documentStores.test.ts',
  'tests/integration/database.test.ts',
  'tests/integration/instances.test.ts',
  'tests/integration/nginx.test.ts',
  // SQLite itself: its file, migrations from the old runner, WAL sync, backups, copying it to
  // PostgreSQL, startup errors of its file, what a shutdown leaves in it, a full disk under it.
  // (crash.test.ts, kill -9 of a spawned server while two people type, runs on both.)
  'tests/integration/migrations.test.ts',
  'tests/integration/walSync.test.ts',
  'tests/integration/backup.test.ts',
  'tests/integration/copyToPostgres.test.ts',
  'tests/integration/startup.test.ts',
  'tests/integration/shutdown.test.ts',
  'tests/integration/readiness.test.ts',
  // No storage at all: the transport alone, configuration, source maps, proxies, hashing cost.
  'tests/integration/transport.test.ts',
  'tests/integration/passwordPolicy.test.ts',
  'tests/integration/sourceMaps.test.ts',
  'tests/integration/proxy.test.ts',
  'tests/integration/signinCost.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'server/src/**/*.test.ts', 'editor/src/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same integration tests with every server on PostgreSQL and Redis
        // fan-out (issue 15, SPEC S6, I1–I7): support/server.ts startServer
        // gives each DATA_DIR a schema.
        // Left out: POSTGRES_EXCLUDED.
        test: {
          name: 'integration-postgres',
          include: ['tests/integration/**/*.test.ts'],
          exclude: POSTGRES_EXCLUDED,
          environment: 'node',
          env: { TEST_STORAGE: 'postgres' },
          globalSetup: ['tests/integration/postgresGlobalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/globalSetup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          // One browser at a time: the machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
