import { describe, expect, it } from 'vitest';
import { runDayLongOutage } from './scenarios/day-long-outage.js';

const HOUR_MS = 60 * 60 * 1000;

describe('a day-long Slack outage (5xx for 24 hours, simulated clock)', () => {
  it('is ridden out: no job dies, and each channel has its message once at the end, updated at the merge', async () => {
    const r = await runDayLongOutage({
      channels: 3,
      outageMs: 24 * HOUR_MS,
      stepMs: 10 * 60_000,
      repo: 'fault-org/outage',
      pr: 51,
      teamPrefix: 'OUT',
    });
    // Retried all day long (the 12 attempts of old were spent within 20 minutes).
    expect(r.fewestTries).toBeGreaterThan(100);
    expect(r.deadAfterOutage).toEqual([]);
    const clean = { checked: 3, lost: [], doubled: [], wrong: [] };
    expect(r.posted).toEqual(clean);
    // Within one backoff interval (at most 10 minutes) of Slack coming back.
    expect(r.postedAfterMs).not.toBeNull();
    expect(r.postedAfterMs).toBeLessThanOrEqual(10 * 60_000);
    expect(r.final, r.unfinished.join('\n')).toEqual(clean);
    expect(r.deadAtEnd).toEqual([]);
  }, 150_000);
});
