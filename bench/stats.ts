/** Nearest-rank percentile summary of a sample of milliseconds: what the report prints and the targets check. */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samplesMs: readonly number[]): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return {
    count: sorted.length,
    p50: round(rank(50)),
    p95: round(rank(95)),
    p99: round(rank(99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** a / b to one decimal, or NaN when b is not a positive figure. */
export const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : Number.NaN);

export const toMiB = (bytes: number) => round(bytes / (1024 * 1024), 1);
