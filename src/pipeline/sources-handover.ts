import type { Subscription } from '../domain/subscription.js';

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
  // In insertion order, so the oldest are first.
  const given = new Map<string, { at: number; sources: Subscription[]; writesBefore: number }>();
  const dropOld = () => {
    const cutoff = options.now() - options.keepMs;
    for (const [key, entry] of given) {
      if (entry.at > cutoff) break;
      given.delete(key);
    }
  };
  return {
    give(key, handed) {
      dropOld();
      given.delete(key);
      given.set(key, { at: options.now(), ...handed });
    },
    take(key) {
      dropOld();
      const entry = given.get(key);
      given.delete(key);
      return entry && entry.writesBefore === options.writesSoFar() ? entry.sources : undefined;
    },
  };
}
