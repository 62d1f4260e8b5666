import { createMemoryStore } from '../support/memory-store/index.js';
import { createMemoryPostSlotStore } from '../support/pipeline-doubles/memory-post-slot-store.js';
import { createMemoryPrStateStore } from '../support/pipeline-doubles/memory-pr-state-store.js';
import { createMemoryReconcileQueue } from '../support/pipeline-doubles/memory-reconcile-queue.js';
import { createMemorySubscriberNoticeStore } from '../support/pipeline-doubles/memory-subscriber-notice-store.js';
import { createMemoryTrackedMessageStore } from '../support/pipeline-doubles/memory-tracked-message-store.js';
import { describePipelinePortContract, TRACKED_SETTLE_MS } from './pipeline-port-contract.js';

/** In memory, both "instances" are one store: there is one state, as there is one database. */
const same = async <T>(make: () => T): Promise<[T, T]> => {
  const one = make();
  return [one, one];
};

describePipelinePortContract('in-memory', {
  prStates: () => same(createMemoryPrStateStore),
  tracked: () => same(() => createMemoryTrackedMessageStore({ settleMs: TRACKED_SETTLE_MS })),
  notices: async () => {
    const store = createMemoryStore();
    return {
      notices: await same(() => createMemorySubscriberNoticeStore(store.subscriptions)),
      subscriptions: store.subscriptions,
    };
  },
  postSlots: () => same(createMemoryPostSlotStore),
  reconcileQueue: async () => {
    const queue = createMemoryReconcileQueue();
    return { queue, pending: async () => queue.pending() };
  },
});
