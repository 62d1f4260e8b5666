import { describe, expect, it } from 'vitest';
import { retryAfterOf, toRetryDelayMs, type RetryPolicy } from '../../src/jobs/retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 12, baseDelayMs: 1000, maxDelayMs: 60_000 };

describe('toRetryDelayMs', () => {
  it('doubles per attempt, with jitter between half and all of it', () => {
    expect(toRetryDelayMs({ policy, attempts: 1, retryAfterMs: null, random: () => 0 })).toBe(500);
    expect(toRetryDelayMs({ policy, attempts: 1, retryAfterMs: null, random: () => 1 })).toBe(1000);
    expect(toRetryDelayMs({ policy, attempts: 4, retryAfterMs: null, random: () => 1 })).toBe(8000);
  });

  it('is capped', () => {
    expect(toRetryDelayMs({ policy, attempts: 30, retryAfterMs: null, random: () => 1 })).toBe(60_000);
  });

  it('never retries sooner than Retry-After asks', () => {
    expect(toRetryDelayMs({ policy, attempts: 1, retryAfterMs: 30_000, random: () => 0 })).toBe(30_000);
    expect(toRetryDelayMs({ policy, attempts: 1, retryAfterMs: 30_000, random: () => 1 })).toBe(30_250);
  });
});

describe('retryAfterOf', () => {
  it('reads a numeric retryAfterMs and ignores anything else', () => {
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: 2000 }))).toBe(2000);
    expect(retryAfterOf(new Error('x'))).toBeNull();
    expect(retryAfterOf({ retryAfterMs: 'soon' })).toBeNull();
    expect(retryAfterOf(null)).toBeNull();
  });
});
