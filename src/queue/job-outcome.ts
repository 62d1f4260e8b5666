/**
 * What a job handler reports. The handler says what happened; the queue decides what that means for the job
 * (the retry budget is in time, kept by the queue, not by handlers). A handler that throws is treated as `retry`
 * with the queue's own backoff: an unexpected error is a failure like any other.
 */
export type JobOutcome =
  /** Finished: nothing left to do for this version of the job. */
  | { kind: 'done' }
  /**
   * A failure (network, Slack 5xx, Firestore unavailable): retried with capped backoff until the job's retry budget
   * (time since its first failure in a row) runs out, then the job is dead. `notBefore`: a server asked for at least
   * this long.
   */
  | { kind: 'retry'; error: string; notBefore: Date | null }
  /**
   * Not a failure: run again at `until` without spending anything of the budget (Slack's Retry-After, another job
   * holding the post claim, the channel's next posting slot). `reason` is for logs and `npm run jobs -- status`.
   */
  | { kind: 'wait'; until: Date; reason: string };

export const jobDone = (): JobOutcome => ({ kind: 'done' });
export const jobRetry = (error: string, notBefore: Date | null = null): JobOutcome => ({
  kind: 'retry',
  error,
  notBefore,
});
export const jobWait = (until: Date, reason: string): JobOutcome => ({ kind: 'wait', until, reason });
