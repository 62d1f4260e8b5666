import type { SubscriptionStore } from './types.js';

/** A store's subscriptions without `writesSoFar`: what the adapters implement. */
export type SubscriptionStoreBase = Omit<SubscriptionStore, 'writesSoFar'>;

/**
 * Adds `writesSoFar` to a subscription store: this process's subscription writes, counted as each starts and as it
 * ends. A copy of a subscription read while the count stayed the same is as new as this process's own changes (a
 * fan-out hands such copies to its reconcile runs; see src/pipeline/run-handover.ts).
 */
export function withWriteCount<S extends SubscriptionStoreBase>(store: S): S & Pick<SubscriptionStore, 'writesSoFar'> {
  let writes = 0;
  const counted =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      writes += 1;
      try {
        return await write(...args);
      } finally {
        writes += 1;
      }
    };
  return {
    ...store,
    subscribe: counted(store.subscribe),
    setFilters: counted(store.setFilters),
    unsubscribe: counted(store.unsubscribe),
    removeFailedRoute: counted(store.removeFailedRoute),
    autoRegister: counted(store.autoRegister),
    setEnabled: counted(store.setEnabled),
    suspendPublicProof: counted(store.suspendPublicProof),
    suspendProvenBy: counted(store.suspendProvenBy),
    writesSoFar: () => writes,
  };
}
