import type { Subscription } from '../domain/subscription.js';
import { createTakeOnce } from './take-once.js';

/**
 * A fan-out's index entries carry each workspace's subscription: the reconcile runs it enqueued on this instance take
 * that copy instead of reading the subscription again. A copy is taken once, by the run of the job version that
 * fan-out enqueued (see handoverKey), and only while it is as new as a read would be here: no subscription write of
 * this process began since the index was read (its own suspensions and route changes are seen at once), and it is
 * under `keepMs` old (another instance's changes are seen by a run that starts later).
 */
export interface SourcesHandover {
  give(key: string, handed: { sources: Subscription[]; writesBefore: number }): void;
  take(key: string): Subscription[] | undefined;
}

export function createSourcesHandover(options: {
  keepMs: number;
  now: () => number;
  /** This process's subscription writes so far (SubscriptionStore.writesSoFar). */
  writesSoFar: () => number;
}): SourcesHandover {
  const given = createTakeOnce<{ sources: Subscription[]; writesBefore: number }>(options);
  return {
    give: (key, handed) => given.leave(key, handed),
    take(key) {
      const handed = given.take(key);
      return handed && handed.writesBefore === options.writesSoFar() ? handed.sources : undefined;
    },
  };
}
