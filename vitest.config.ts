import { defineConfig } from 'vitest/config';

// unit: pure code and single modules, no build needed (`npm run test:unit`).
// integration: the real server on real sockets, and the built CLI as a child process.
// e2e: real Chromium processes against a real `portal serve`.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Two Chromium processes per test already fill both cores.
          fileParallelism: false,
          // After the unit and integration files, not beside them: the network tests' timing
          // and latency figures do not hold with a dozen CLI children starting next to them.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
