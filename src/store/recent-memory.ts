import { rememberCapped } from '../shared/capped-memory.js';

/** About one entry per workspace or channel this process posts to. */
const KEPT = 10_000;

/**
 * What this process last read of rarely changing documents (an installation, a channel's settings), kept for
 * `keepMs`: one read per key per `keepMs` instead of one per job. This process's own writes drop the key at once, and
 * a read that one of them overlapped is not kept (it may be older than the write); another process's writes are seen
 * within `keepMs`.
 */
export function createRecentMemory<V>(options: { keepMs: number; now: () => number }) {
  const recent = new Map<string, { value: V; at: number }>();
  // Counts this process's writes as they start and end (writes are rare: one counter for all keys is enough).
  let writes = 0;
  return {
    /** The kept value of each key read less than `keepMs` ago. */
    kept(key: string): { value: V } | undefined {
      const entry = recent.get(key);
      return entry && options.now() - entry.at < options.keepMs ? entry : undefined;
    },
    /** Reads afresh (`read` answers for every key asked) and keeps the answers. */
    async read<T>(read: () => Promise<T>, entries: (answer: T) => Iterable<[string, V]>): Promise<T> {
      const [at, writesBefore] = [options.now(), writes];
      const answer = await read();
      if (writes === writesBefore)
        for (const [key, value] of entries(answer)) rememberCapped(recent, key, { value, at }, KEPT);
      return answer;
    },
    /** A write of this process: its key is dropped before and after it. */
    async writing<T>(key: string, write: () => Promise<T>): Promise<T> {
      writes += 1;
      recent.delete(key);
      try {
        return await write();
      } finally {
        writes += 1;
        recent.delete(key);
      }
    },
  };
}
