import { defineConfig } from 'vitest/config';

// Browser tests: the real server (embedded PostgreSQL and broker, demo data, built web
// app) driven by Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
