import { defineConfig } from 'vitest/config';

// unit: pure code and single modules, no build needed (`npm run test:unit`).
// integration: the real server on real sockets, and the built CLI as a child process.
// e2e: real Chromium processes against a real `portal serve`, two files side by side.
// e2e-timed: the e2e files whose figures (frame rates, resolution ramps, latency, seconds to
// come back) need the machine to themselves: one file at a time, after everything else.
//
// Vitest runs one file at a time on a 2-core machine unless told (cores - 1); the unit and
// integration files mostly wait on sockets and children, and the e2e ones on Chromium's clock.
const TIMED = ['test/e2e/link.test.ts', 'test/e2e/network-cuts.test.ts', 'test/e2e/network-paths.test.ts'];

const e2e = { testTimeout: 120_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: TIMED,
          ...e2e,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e-timed',
          include: TIMED,
          ...e2e,
          // Two Chromium processes per test already fill both cores.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
