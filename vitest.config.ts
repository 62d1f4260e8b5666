import { defineConfig } from 'vitest/config';

/**
 * Tests whose subject is timing, run after the rest with the machine to themselves: the real-process fault tests
 * (test/faults: each starts three app instances against the emulator) and the pacing test (a channel's posts must
 * reach Slack at least a second apart, which a machine loaded by other test files blurs).
 */
const TIMED_TESTS = ['test/faults/**/*.test.ts', 'test/pipeline/pacing.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    env: { METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'test' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        // Two files at a time even on two cores (vitest's default there is one): most of a file's time is spent
        // waiting on the emulator, the fakes or a child process, not on the CPU.
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: TIMED_TESTS, maxWorkers: 2 },
      },
      {
        extends: true,
        // After the rest, one file at a time: their timings (leases, settle times, exits within 10 s) are the
        // subject, so they get the machine to themselves; starting three instances can take a while.
        test: {
          name: 'faults',
          include: TIMED_TESTS,
          sequence: { groupOrder: 1 },
          maxWorkers: 1,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
