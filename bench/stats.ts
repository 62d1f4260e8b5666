/** Nearest-rank percentile summary of a sample of milliseconds: what the report prints and the targets check. */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The nearest-rank `p`th percentile of a sample, not rounded (NaN for an empty one). */
export function percentile(sample: readonly number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function summarize(samplesMs: readonly number[]): Summary {
  const rank = (p: number) => round(percentile(samplesMs, p));
  return { count: samplesMs.length, p50: rank(50), p95: rank(95), p99: rank(99), max: rank(100) };
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** a / b to one decimal, or NaN when b is not a positive figure. */
export const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : Number.NaN);

export const toMiB = (bytes: number) => round(bytes / (1024 * 1024), 1);
