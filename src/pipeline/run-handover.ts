import type { Subscription } from '../domain/subscription.js';
import type { PrState } from './core/pr-state.js';
import { createTakeOnce } from './take-once.js';

/**
 * What a fan-out hands to the reconcile runs it enqueued on this instance, so that their first round trip is their post
 * claim rather than reads of what the fan-out had just read or written. Taken once, by the run of the job version that
 * fan-out enqueued (see handoverKey), and dropped after `keepMs` (another instance's changes are seen by a run that
 * starts later).
 */
export interface Handover {
  /**
   * The subscriptions the index entries carried: undefined where they did not name everything the run reads, or
   * where a subscription write of this process began since the index was read (its own suspensions and route changes
   * are seen at once).
   */
  sources: Subscription[] | undefined;
  /** The PR state the fan-out's fold wrote (see reconcile.ts for when a run may use it instead of a read). */
  pr: PrState;
  /** The delivery opened the PR: its messages most likely do not exist yet. */
  opened: boolean;
}

/** What the fan-out gives: the sources with this process's subscription writes when the index read began. */
type Given = Omit<Handover, 'sources'> & { sources?: Subscription[]; writesBefore: number };

export interface RunHandover {
  give(key: string, handed: Given): void;
  take(key: string): Handover | undefined;
}

export function createRunHandover(options: {
  keepMs: number;
  now: () => number;
  /** This process's subscription writes so far (SubscriptionStore.writesSoFar). */
  writesSoFar: () => number;
}): RunHandover {
  const given = createTakeOnce<Given>(options);
  return {
    give: (key, handed) => given.leave(key, handed),
    take(key) {
      const handed = given.take(key);
      if (!handed) return undefined;
      const fresh = handed.writesBefore === options.writesSoFar();
      return { sources: fresh ? handed.sources : undefined, pr: handed.pr, opened: handed.opened };
    },
  };
}
