import { defineConfig } from 'vitest/config';

// The integration suites talk to real MariaDB, Postgres and S3 servers and spawn the built command:
// each file runs in a forked process of its own, two at a time to fit a 2-core machine.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // A migration, a kill -9 and a resume in one test take minutes on a loaded machine.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
