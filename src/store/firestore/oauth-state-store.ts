import type { Firestore } from '@google-cloud/firestore';
import { isAlreadyExists } from '../already-exists.js';
import { COLLECTIONS, ids } from '../ids.js';
import { OAUTH_STATE_KINDS, type OAuthStateRecord, type OAuthStateStore } from '../types.js';
import { readFields } from './decode.js';
import type { TransactionRunner } from './transactions.js';

function toOAuthState(path: string, state: string, data: unknown): OAuthStateRecord {
  const f = readFields(path, data);
  return {
    state,
    kind: f.oneOf('kind', OAUTH_STATE_KINDS),
    workspaceId: f.stringOrNull('slack_team_id'),
    slackUserId: f.stringOrNull('slack_user_id'),
    expiresAt: f.date('expires_at'),
    data: f.stringMap('data'),
  };
}

export function createFirestoreOAuthStateStore(options: {
  db: Firestore;
  transactions: TransactionRunner;
}): OAuthStateStore {
  const { db, transactions } = options;
  const ref = (state: string) => db.collection(COLLECTIONS.oauthStates).doc(ids.oauthState(state));
  return {
    async create(record) {
      // create(): a state value is never silently reused.
      const created = ref(record.state).create({
        kind: record.kind,
        slack_team_id: record.workspaceId,
        slack_user_id: record.slackUserId,
        expires_at: record.expiresAt,
        // TTL policy field (firestore.indexes.json): Firestore deletes the document some time after this.
        expire_at: record.expiresAt,
        data: record.data,
      });
      try {
        await created;
        return 'created';
      } catch (err) {
        if (isAlreadyExists(err)) return 'exists';
        throw err;
      }
    },
    consume(input) {
      const docRef = ref(input.state);
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        if (!snap.exists) return null;
        const record = toOAuthState(docRef.path, input.state, snap.data());
        // A state of another kind is not ours to burn; an expired one is useless, so drop it.
        if (record.kind !== input.kind) return null;
        tx.delete(docRef);
        return record.expiresAt.getTime() > input.now.getTime() ? record : null;
      });
    },
  };
}
