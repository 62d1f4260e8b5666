/** The sizes of one run: the full run of issue 11, or `--small` while developing the bench. */
export function benchPlan(small: boolean) {
  return {
    workspaces: small ? 100 : 1_000,
    slackLatencyMs: 50,
    floorSamples: 30,
    prLife: { repo: 'bench-org/life', workspaces: 10, timeoutMs: 30_000 },
    fanOut: {
      sizes: small ? [1, 10, 100] : [1, 10, 100, 1_000],
      runs: (n: number) => (n >= 1_000 ? 1 : 3),
      timeoutMs: 60_000,
    },
    ingress: {
      levels: [
        { concurrency: 1, samples: small ? 20 : 60 },
        { concurrency: 16, samples: small ? 64 : 160 },
        { concurrency: 64, samples: small ? 128 : 320 },
      ],
      /** Deliveries to the 100-workspace repo sent before each level: its background work. */
      background: 3,
      budgetMs: 60_000,
    },
    lookup: { sizes: small ? [200, 1_000] : [1_000, 10_000], samples: 10 },
    scaleOut: {
      deliveries: small ? 60 : 600,
      channels: small ? 10 : 30,
      instanceCounts: [1, 3],
      timeoutMs: small ? 60_000 : 100_000,
    },
    /** The whole run must end: a stuck stage fails the bench instead of hanging. */
    deadlineMs: 10 * 60_000,
  };
}

export type BenchPlan = ReturnType<typeof benchPlan>;
