/** The sizes of one run: the full run of issue 11, or `--small` while developing the bench. */
export function benchPlan(small: boolean) {
  return {
    workspaces: small ? 100 : 1_000,
    slackLatencyMs: 50,
    floorSamples: 30,
    prLife: { repo: 'bench-org/life', workspaces: 10, timeoutMs: 30_000 },
    fanOut: {
      sizes: small ? [1, 10, 100] : [1, 10, 100, 1_000],
      // Nine runs: the p50 is then neither the first (cold) run's nor moved much by one or two slow runs on the shared
      // machine (with five, the 100-workspace p50 moved between 4.8x and 6.1x from one run of the bench to the next).
      runs: (n: number) => (n >= 1_000 ? 1 : 9),
      timeoutMs: small ? 60_000 : 120_000,
    },
    ingress: {
      levels: [
        { concurrency: 1, samples: small ? 20 : 40 },
        { concurrency: 16, samples: small ? 64 : 96 },
        { concurrency: 64, samples: small ? 128 : 192 },
      ],
      /** Deliveries to the 100-workspace repo sent before each level: its background work. */
      background: 2,
      budgetMs: 40_000,
    },
    lookup: { sizes: small ? [200, 1_000] : [1_000, 10_000], samples: 10 },
    scaleOut: {
      deliveries: small ? 60 : 300,
      channels: small ? 10 : 20,
      // Three PRs per channel drained first, not measured: the instances are then warm, as a deployment's are.
      warmUpDeliveries: small ? 30 : 60,
      instanceCounts: [1, 3],
      // Three runs of each, alternating, compared by their medians: one run of each moved by a second either way
      // from one bench to the next (as much as the difference being measured), and the emulator warms up as it goes.
      runs: small ? 1 : 3,
      timeoutMs: small ? 60_000 : 90_000,
    },
    /** The whole run must end: a stuck stage fails the bench instead of hanging. */
    deadlineMs: 10 * 60_000,
  };
}

export type BenchPlan = ReturnType<typeof benchPlan>;
