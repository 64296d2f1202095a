const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

/**
 * Two tiers, both run by `npm test`:
 * - unit: pure rules (policies, pro rata, progress, cursors, the unit of work's branches,
 *   the architecture check), fast and without a database;
 * - e2e: everything that touches the database, against a real PostgreSQL: the server named by
 *   DATABASE_URL (a fresh database is created on it and dropped afterwards), or else an
 *   embedded PostgreSQL started for the run.
 * @type {import('jest').Config}
 */
export default {
  maxWorkers: 2,
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.js',
      globalTeardown: '<rootDir>/test/setup/global-teardown.js',
    },
  ],
};
