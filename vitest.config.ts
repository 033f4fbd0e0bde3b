import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/.data/**'];

// Gazette packages resolve to their TypeScript source (the "@gazette/source" export
// condition), so tests need no build.
const conditions = ['@gazette/source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
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
