import { defineConfig } from 'vitest/config';

// Browser journeys: one server and one Chromium per file; files run one at a time (2 cores).
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
