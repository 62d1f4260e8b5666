import { describe, expect, it } from 'vitest';
import { startQueueHealth } from '../../src/queue/queue-health.js';
import { eventually } from '../support/eventually.js';
import { createMemoryLog } from './support/queue-kit.js';

describe('queue health line', () => {
  it('logs depth and the oldest due age on its interval; an empty queue (as the head watch says) costs no read', async () => {
    const log = createMemoryLog();
    let head: Date | null = null;
    let depthCalls = 0;
    const stop = startQueueHealth({
      admin: {
        depth: async () => {
          depthCalls += 1;
          return { pending: 12, running: 3, oldestDueMs: 95_000 };
        },
      },
      head: () => head,
      log,
      now: () => new Date(),
      intervalMs: 30,
    });
    try {
      await eventually(() =>
        expect(log.lines.filter((l) => l.msg === 'job queue health').length).toBeGreaterThanOrEqual(2),
      );
      expect(depthCalls).toBe(0);
      expect(log.lines[0]).toMatchObject({ msg: 'job queue health', obj: { pending: 0, running: 0, oldest_due_s: 0 } });
      head = new Date();
      await eventually(() => expect(log.lines.some((l) => l.obj['pending'] === 12)).toBe(true));
      expect(log.lines.find((l) => l.obj['pending'] === 12)?.obj).toMatchObject({ running: 3, oldest_due_s: 95 });
    } finally {
      stop();
    }
  });
});
