import { describe, expect, it } from 'vitest';
import { createReadAhead } from '../../../src/pipeline/read-ahead.js';

describe('reads started ahead of their reader', () => {
  it('gives the read to its reader once: a retry of the same work reads again', async () => {
    let reads = 0;
    const ahead = createReadAhead<number>({ keepMs: 60_000, now: () => 0 });
    ahead.start('delivery-1', async () => ++reads);
    expect(await ahead.take('delivery-1')).toBe(1);
    expect(ahead.take('delivery-1')).toBeUndefined();
    expect(ahead.take('delivery-2')).toBeUndefined();
    expect(reads).toBe(1);
  });

  it('drops a read nobody took once it is older than keepMs, so nothing stale is handed out later', async () => {
    let now = 0;
    const ahead = createReadAhead<string>({ keepMs: 1_000, now: () => now });
    ahead.start('old', async () => 'subscribers then');
    now = 500;
    ahead.start('new', async () => 'subscribers now');
    now = 1_200;
    expect(ahead.take('old')).toBeUndefined();
    expect(await ahead.take('new')).toBe('subscribers now');
  });

  it('hands a failed read to its reader as a failure (the reader asks again), never as an unhandled rejection', async () => {
    const ahead = createReadAhead<string>({ keepMs: 1_000, now: () => 0 });
    ahead.start('d', () => Promise.reject(new Error('unavailable')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(ahead.take('d')).rejects.toThrow('unavailable');
  });
});
