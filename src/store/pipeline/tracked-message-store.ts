import { Timestamp, type DocumentData, type Firestore } from '@google-cloud/firestore';
import type { MessageKey, TrackedMessage, TrackedMessageStore } from '../../core/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { readFields } from '../firestore/decode.js';
import { createTransactionRunner } from '../firestore/transactions.js';

/**
 * tracked_messages/{team}#{channel}#{encodedRepo}#{pr}: the one Slack message of a PR in a channel. The right
 * to post it is taken in a transaction (a document with `ts: null`), so concurrent jobs never post twice.
 */
export function createFirestoreTrackedMessageStore(db: Firestore): TrackedMessageStore {
  const ref = (k: MessageKey) => db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage(k));
  const transactions = createTransactionRunner(db);
  return {
    async get(key) {
      const snap = await ref(key).get();
      return snap.exists ? toTrackedMessage(key, snap.ref.path, snap.data()) : null;
    },
    claimPost({ key, owner, now, staleAfterMs }) {
      const docRef = ref(key);
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        const claim = { post_owner: owner, post_claimed_at: now, updated_at: now };
        if (!snap.exists) {
          tx.create(docRef, {
            slack_team_id: key.teamId, channel_id: key.channelId, repo_full_name: key.repoFullName, pr_number: key.prNumber,
            ts: null, render_hash: null, reactions: [], created_at: now, ...claim,
          });
          return { outcome: 'claimed' as const };
        }
        const message = toTrackedMessage(key, docRef.path, snap.data());
        if (message.ts !== null) return { outcome: 'posted' as const, message };
        const claimedAt = snap.get('post_claimed_at');
        const stale = !(claimedAt instanceof Timestamp) || now.getTime() - claimedAt.toMillis() >= staleAfterMs;
        if (!stale) return { outcome: 'busy' as const };
        tx.update(docRef, claim);
        return { outcome: 'claimed' as const };
      });
    },
    async recordPosted({ key, ts, renderHash, now }) {
      await ref(key).update({ ts, render_hash: renderHash, reactions: [], post_owner: null, posted_at: now, updated_at: now });
    },
    async releaseClaim({ key, owner }) {
      await transactions.run(ref(key).path, async (tx) => {
        const snap = await tx.get(ref(key));
        if (snap.exists && snap.get('ts') === null && snap.get('post_owner') === owner) tx.delete(ref(key));
      });
    },
    async update({ key, renderHash, reactions, now }) {
      const patch: DocumentData = { updated_at: now };
      if (renderHash !== undefined) patch['render_hash'] = renderHash;
      if (reactions !== undefined) patch['reactions'] = reactions;
      await ref(key).update(patch);
    },
    async markDeleted({ key, reason, now }) {
      await ref(key).update({ deleted_at: now, deleted_reason: reason, updated_at: now });
    },
  };
}

function toTrackedMessage(key: MessageKey, path: string, data: unknown): TrackedMessage {
  const f = readFields(path, data);
  return {
    ...key,
    ts: f.stringOrNull('ts'),
    renderHash: f.stringOrNull('render_hash'),
    reactions: f.stringList('reactions'),
    deletedAt: f.dateOrNull('deleted_at'),
  };
}
