import { describe, expect, it } from 'vitest';
import {
  decideAfterFailure,
  DEFAULT_RETRY_BUDGET,
  toBackoffMs,
  type RetryBudget,
} from '../../src/queue/retry-budget.js';

const budget: RetryBudget = { baseDelayMs: 1000, maxDelayMs: 60_000, giveUpAfterMs: 3_600_000 };
const T0 = new Date('2024-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('backoff', () => {
  it('doubles per failure in a row, with jitter between half and all of it', () => {
    expect(toBackoffMs({ budget, failuresInRow: 1, random: () => 0 })).toBe(500);
    expect(toBackoffMs({ budget, failuresInRow: 1, random: () => 1 })).toBe(1000);
    expect(toBackoffMs({ budget, failuresInRow: 4, random: () => 1 })).toBe(8000);
  });

  it('is capped, also after very many failures', () => {
    expect(toBackoffMs({ budget, failuresInRow: 30, random: () => 1 })).toBe(60_000);
    expect(toBackoffMs({ budget, failuresInRow: 5000, random: () => 1 })).toBe(60_000);
  });

  it('by default caps at 10 minutes and gives up after 24 hours', () => {
    expect(DEFAULT_RETRY_BUDGET.maxDelayMs).toBe(600_000);
    expect(DEFAULT_RETRY_BUDGET.giveUpAfterMs).toBe(24 * 3_600_000);
  });
});

describe('retry budget in time', () => {
  it('retries until the budget since the first failure in a row is spent, however many failures that takes', () => {
    const decide = (now: Date, failuresInRow: number) =>
      decideAfterFailure({ budget, failingSince: T0, failuresInRow, now, notBefore: null, random: () => 1 });
    expect(decide(at(0), 1)).toEqual({ kind: 'retry', runAt: at(1000) });
    expect(decide(at(3_599_999), 500)).toEqual({ kind: 'retry', runAt: at(3_599_999 + 60_000) });
    expect(decide(at(3_600_000), 60)).toEqual({ kind: 'dead' });
  });

  it('never retries sooner than the server asked', () => {
    expect(
      decideAfterFailure({
        budget,
        failingSince: T0,
        failuresInRow: 1,
        now: T0,
        notBefore: at(30_000),
        random: () => 0,
      }),
    ).toEqual({ kind: 'retry', runAt: at(30_000) });
  });
});
