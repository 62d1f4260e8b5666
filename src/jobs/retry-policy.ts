/** Capped exponential backoff with jitter; a server's Retry-After wins when it asks for longer. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

export function toRetryDelayMs(options: {
  policy: RetryPolicy;
  /** Attempts made so far, including the one that just failed (1 after the first failure). */
  attempts: number;
  retryAfterMs: number | null;
  random?: () => number;
}): number {
  const { policy, attempts, retryAfterMs } = options;
  const random = options.random ?? Math.random;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  // Jitter in [50%, 100%] keeps retries from many jobs from arriving in lockstep.
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  if (retryAfterMs === null) return jittered;
  // Honour Retry-After, plus a little spread so a workspace's queued jobs do not all return in the same instant.
  return Math.max(retryAfterMs + Math.round(random() * 250), Math.min(jittered, retryAfterMs));
}

/** An error may say when to try again (Slack's Retry-After, a busy post claim). */
export function retryAfterOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null || !('retryAfterMs' in err)) return null;
  const v = err.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}
