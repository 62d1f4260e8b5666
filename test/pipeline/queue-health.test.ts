import { describe, expect, it } from 'vitest';
import { startQueueHealth } from '../../src/queue/queue-health.js';
import { eventually } from '../support/eventually.js';
import { createMemoryLog } from './support/queue-kit.js';

describe('queue health line', () => {
  it('logs depth, the oldest due age, the claims lost since the last line and the instances sharing the queue; an empty queue (as the head watch says) costs no read', async () => {
    const log = createMemoryLog();
    let head: Date | null = null;
    let depthCalls = 0;
    let lost = 5;
    let members = 1;
    const stop = startQueueHealth({
      admin: {
        depth: async () => {
          depthCalls += 1;
          return { pending: 12, running: 3, oldestDueMs: 95_000 };
        },
      },
      head: () => head,
      lostClaims: () => lost,
      members: () => members,
      log,
      now: () => new Date(),
      intervalMs: 30,
    });
    try {
      await eventually(() =>
        expect(log.lines.filter((l) => l.msg === 'job queue health').length).toBeGreaterThanOrEqual(2),
      );
      expect(depthCalls).toBe(0);
      // The 5 lost before it started are not this interval's.
      expect(log.lines[0]).toMatchObject({
        msg: 'job queue health',
        obj: { pending: 0, running: 0, oldest_due_s: 0, claims_lost: 0, members: 1 },
      });
      lost = 9;
      members = 3;
      head = new Date();
      await eventually(() => expect(log.lines.some((l) => l.obj['pending'] === 12)).toBe(true));
      const busy = log.lines.filter((l) => l.obj['pending'] === 12).map((l) => l.obj);
      expect(busy[0]).toMatchObject({ running: 3, oldest_due_s: 95, members: 3 });
      // Each line counts its own interval: the 4 lost once, then none.
      expect(log.lines.reduce((n, l) => n + Number(l.obj['claims_lost']), 0)).toBe(4);
      // Lost after the last line: stopping says so, without a read.
      lost = 11;
      const calls = depthCalls;
      stop();
      expect(log.lines.at(-1)).toMatchObject({ msg: 'job queue health at stop', obj: { claims_lost: 2 } });
      expect(depthCalls).toBe(calls);
      expect(log.lines.reduce((n, l) => n + Number(l.obj['claims_lost']), 0)).toBe(6);
    } finally {
      stop();
    }
  });
});
