import { defineConfig } from 'vitest/config';
import { requireModuleNeedsFlag } from './packages/devstack/src/node-options.ts';

const exclude = ['**/node_modules/**', '**/.data/**'];

// Gazette packages resolve to their TypeScript source (the "@gazette/source" export
// condition), so tests need no build.
const conditions = ['@gazette/source'];

// Test workers run the api in process: on a Node.js that loads ES modules from require() only
// behind a flag (20.17–20.18, 22.0–22.11), they get it, as the service processes do.
const execArgv = requireModuleNeedsFlag() ? ['--experimental-require-module'] : [];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    poolOptions: { forks: { execArgv } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/bench/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
            'test/e2e/**/*.test.ts',
            'test/faults/**/*.test.ts',
            'test/security/**/*.test.ts',
          ],
          exclude,
          globalSetup: ['test/support/require-services.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Integration files start processes and share two cores: one file at a time.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
