/**
 * The retry budget is time, not attempts: a failing job is retried with capped exponential backoff and jitter
 * until `giveUpAfterMs` after the first failure in a row (a success or a new version of the job starts over),
 * then it is dead. Waits and hand-backs never count.
 */
export interface RetryBudget {
  baseDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** A Slack incident can last hours: ride out a day, retrying at least every 10 minutes once backed off. */
export const DEFAULT_RETRY_BUDGET: RetryBudget = {
  baseDelayMs: 1_000,
  maxDelayMs: 10 * 60_000,
  giveUpAfterMs: 24 * HOUR_MS,
};

export type FailureDecision = { kind: 'retry'; runAt: Date } | { kind: 'dead' };

export function toBackoffMs(options: { budget: RetryBudget; failuresInRow: number; random: () => number }): number {
  const { budget, failuresInRow, random } = options;
  // 2 ** 30 and beyond only overflow into the cap.
  const exponential = Math.min(
    budget.maxDelayMs,
    budget.baseDelayMs * 2 ** Math.min(30, Math.max(0, failuresInRow - 1)),
  );
  // Jitter in [50%, 100%] keeps retries from many jobs from arriving in lockstep.
  return Math.round(exponential * (0.5 + random() / 2));
}

/** What to do after a failure: `failingSince` is the first failure in a row (this one, if it is the first). */
export function decideAfterFailure(options: {
  budget: RetryBudget;
  failingSince: Date;
  failuresInRow: number;
  now: Date;
  /** The server asked for at least this (e.g. a Retry-After on a 5xx). */
  notBefore: Date | null;
  random?: () => number;
}): FailureDecision {
  const { budget, failingSince, now, notBefore } = options;
  if (now.getTime() - failingSince.getTime() >= budget.giveUpAfterMs) return { kind: 'dead' };
  const backoff = toBackoffMs({ budget, failuresInRow: options.failuresInRow, random: options.random ?? Math.random });
  const runAt = Math.max(now.getTime() + backoff, notBefore?.getTime() ?? 0);
  return { kind: 'retry', runAt: new Date(runAt) };
}
