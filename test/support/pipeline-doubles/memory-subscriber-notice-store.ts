import type { SubscriberNoticeStore } from '../../../src/pipeline/ports.js';
import { ids } from '../../../src/store/ids.js';
import type { MemorySubscriptionStore } from '../memory-store/subscription-store.js';
import { createSerial } from '../memory-store/serial.js';

/**
 * Subscriber notices in memory: a notice is claimed for one revision of the subscription (as Firestore's claims one
 * update time of the `repos` document), so a re-subscribe or re-enable is told again, one disabling once.
 */
export function createMemorySubscriberNoticeStore(subscriptions: MemorySubscriptionStore): SubscriberNoticeStore {
  const serial = createSerial();
  const claimedFor = new Map<string, number>();
  return {
    claim: ({ workspaceId, repoFullName, channelId }) =>
      serial(async () => {
        const subscription = await subscriptions.get(workspaceId, repoFullName);
        const revision = subscriptions.revisionOf(workspaceId, repoFullName);
        if (!subscription?.enabled || subscription.channelId !== channelId || revision === null) return false;
        const id = ids.subscriptionNotice(workspaceId, repoFullName);
        if (claimedFor.get(id) === revision) return false;
        claimedFor.set(id, revision);
        return true;
      }),
  };
}
