import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { SubscriberNoticeStore } from '../../pipeline/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { createTransactionRunner } from '../firestore/transactions.js';

/**
 * subscription_notices/{team}#{encodedRepo}: who already told the subscriber that their subscription stopped.
 * The notice remembers the `repos` document's update time it was claimed for; a re-subscribe (or re-enable)
 * changes that time, so the next disabling is told again, while concurrent failing jobs of one disabling
 * (several PRs failing on the same archived channel at once) send one DM between them.
 */
export function createFirestoreSubscriberNoticeStore(db: Firestore): SubscriberNoticeStore {
  const transactions = createTransactionRunner(db);
  return {
    claim({ workspaceId, repoFullName, channelId, reason, now }) {
      const repoRef = db.collection(COLLECTIONS.repos).doc(ids.repo(workspaceId, repoFullName));
      const noticeRef = db
        .collection(COLLECTIONS.subscriptionNotices)
        .doc(ids.subscriptionNotice(workspaceId, repoFullName));
      return transactions.run(noticeRef.path, async (tx) => {
        const [repo, notice] = await Promise.all([tx.get(repoRef), tx.get(noticeRef)]);
        if (!repo.exists || repo.get('enabled') !== true || repo.get('channel_id') !== channelId || !repo.updateTime)
          return false;
        const claimedFor: unknown = notice.get('subscription_updated_at');
        if (claimedFor instanceof Timestamp && repo.updateTime.isEqual(claimedFor)) return false;
        tx.set(noticeRef, {
          slack_team_id: workspaceId,
          repo_full_name: repoFullName,
          channel_id: channelId,
          reason,
          subscription_updated_at: repo.updateTime,
          claimed_at: now,
        });
        return true;
      });
    },
  };
}
