import { describe, expect, it } from 'vitest';
import type { SubscriberNoticeStore } from '../../../src/pipeline/ports.js';
import type { SubscriptionStore } from '../../../src/store/types.js';

/** Notices and the subscriptions they are about, on one state; two notice handles (two app instances). */
export type MakeNotices = () => Promise<{
  notices: [SubscriberNoticeStore, SubscriberNoticeStore];
  subscriptions: SubscriptionStore;
}>;

const at = new Date('2024-01-01T00:00:00Z');
let n = 0;
const freshRepo = () => `octo/notice-${(n += 1)}`;

export function describeSubscriberNoticeContract(makeNotices: MakeNotices): void {
  describe('subscriber notices', () => {
    it('goes to exactly one of many concurrent claimers of one disabling', async () => {
      const { notices, subscriptions } = await makeNotices();
      const repoFullName = freshRepo();
      await subscriptions.subscribe({ workspaceId: 'T1', repoFullName, channelId: 'C1', actor: 'U1', at });
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          notices[i % 2]!.claim({ workspaceId: 'T1', repoFullName, channelId: 'C1', reason: 'is_archived', now: at }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('is claimed again after a re-subscribe, and never for another channel or a disabled or missing subscription', async () => {
      const { notices, subscriptions } = await makeNotices();
      const [store] = notices;
      const repoFullName = freshRepo();
      const claim = (channelId = 'C1') =>
        store.claim({ workspaceId: 'T1', repoFullName, channelId, reason: 'r', now: at });
      expect(await claim()).toBe(false);
      await subscriptions.subscribe({ workspaceId: 'T1', repoFullName, channelId: 'C1', actor: 'U1', at });
      expect(await claim('C2')).toBe(false);
      expect(await claim()).toBe(true);
      await subscriptions.setEnabled({
        workspaceId: 'T1',
        repoFullName,
        enabled: false,
        reason: 'r',
        actor: 'system',
        at,
      });
      expect(await claim()).toBe(false);
      await subscriptions.subscribe({ workspaceId: 'T1', repoFullName, channelId: 'C1', actor: 'U1', at });
      expect(await claim()).toBe(true);
      expect(await claim()).toBe(false);
      // Another workspace's subscription of the same repo has its own notice.
      await subscriptions.subscribe({ workspaceId: 'T2', repoFullName, channelId: 'C1', actor: 'U2', at });
      expect(await store.claim({ workspaceId: 'T2', repoFullName, channelId: 'C1', reason: 'r', now: at })).toBe(true);
    });
  });
}
