import type { DocumentData, Firestore, Transaction } from '@google-cloud/firestore';
import { COLLECTIONS, ids } from '../ids.js';
import { REVIEW_REQUEST_DELIVERIES, type ReviewRequestDelivery } from '../../domain/user.js';
import type { UserRecord, UserStore } from '../types.js';
import { recordInTransaction } from './audit-log.js';
import { readFields, type FieldReader } from './decode.js';
import type { TransactionRunner } from './transactions.js';
import { QUERIES } from './queries.js';
import { createCoalescedInReads } from './coalesced-in-reads.js';

function toUser(path: string, data: unknown): UserRecord {
  const f = readFields(path, data);
  return {
    workspaceId: f.string('slack_team_id'),
    slackUserId: f.string('slack_user_id'),
    githubUserId: f.numberOrNull('github_user_id'),
    githubLogin: f.stringOrNull('github_login'),
    verified: f.booleanOr('verified', false),
    defaultChannel: f.stringOrNull('default_channel'),
    notificationsEnabled: f.booleanOr('notifications_enabled', true),
    reviewRequests: readReviewRequests(f),
    authorNews: f.booleanOr('author_news', true),
    updatedAt: f.date('updated_at'),
  };
}

/** Users stored before the choice existed have no field: they get the default, the PR's thread. */
function readReviewRequests(f: FieldReader): ReviewRequestDelivery {
  return f.stringOrNull('review_requests') === null ? 'thread' : f.oneOf('review_requests', REVIEW_REQUEST_DELIVERIES);
}

type UserKey = { workspaceId: string; slackUserId: string };
type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'githubUserId'
    | 'githubLogin'
    | 'verified'
    | 'defaultChannel'
    | 'notificationsEnabled'
    | 'reviewRequests'
    | 'authorNews'
  >
>;

export function createFirestoreUserStore(options: { db: Firestore; transactions: TransactionRunner }): UserStore {
  const { db, transactions } = options;
  const ref = (k: UserKey) => db.collection(COLLECTIONS.users).doc(ids.user(k.workspaceId, k.slackUserId));
  const byGithubId = createCoalescedInReads(db, QUERIES.usersByGithubId, 'github_user_id');

  /** Reads the user inside the transaction and writes the whole document, so a first write gets the defaults. */
  async function upsert(tx: Transaction, key: UserKey, at: Date, patch: (current: UserRecord) => UserPatch) {
    const docRef = ref(key);
    const snap = await tx.get(docRef);
    const current: UserRecord = snap.exists ? toUser(docRef.path, snap.data()) : newUser(key, at);
    const next: UserRecord = { ...current, ...patch(current), updatedAt: at };
    tx.set(docRef, toUserData(next), { merge: true });
    return current;
  }

  /** Sets some of the user's fields; a user seen for the first time starts from the defaults. */
  async function setFields(input: UserKey & { at: Date }, patch: UserPatch): Promise<void> {
    await transactions.run(ref(input).path, (tx) => upsert(tx, input, input.at, () => patch));
  }

  return {
    async get(workspaceId, slackUserId) {
      const snap = await ref({ workspaceId, slackUserId }).get();
      return snap.exists ? toUser(snap.ref.path, snap.data()) : null;
    },
    async linkGithub(input) {
      await transactions.run(ref(input).path, async (tx) => {
        await upsert(tx, input, input.at, () => ({
          githubUserId: input.githubUserId,
          githubLogin: input.githubLogin,
          verified: true,
        }));
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.slackUserId,
          action: 'github.link',
          target: input.githubLogin,
          at: input.at,
          details: { github_user_id: input.githubUserId },
        });
      });
    },
    unlinkGithub(input) {
      return transactions.run(ref(input).path, async (tx) => {
        const snap = await tx.get(ref(input));
        const current = snap.exists ? toUser(snap.ref.path, snap.data()) : null;
        if (!current || current.githubUserId === null) return false;
        await upsert(tx, input, input.at, () => ({ githubUserId: null, githubLogin: null, verified: false }));
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.slackUserId,
          action: 'github.unlink',
          target: current.githubLogin ?? '',
          at: input.at,
          details: { github_user_id: current.githubUserId },
        });
        return true;
      });
    },
    setDefaultChannel: (input) => setFields(input, { defaultChannel: input.channelId }),
    setNotifications: (input) => setFields(input, { notificationsEnabled: input.enabled }),
    setReviewRequests: (input) => setFields(input, { reviewRequests: input.delivery }),
    setAuthorNews: (input) => setFields(input, { authorNews: input.enabled }),
    async findVerifiedByGithubId(githubUserId) {
      const docs = await byGithubId([githubUserId]);
      return docs.map((d) => toUser(d.ref.path, d.data())).filter((u) => u.verified);
    },
  };
}

function newUser(key: UserKey, at: Date): UserRecord {
  return {
    workspaceId: key.workspaceId,
    slackUserId: key.slackUserId,
    githubUserId: null,
    githubLogin: null,
    verified: false,
    defaultChannel: null,
    notificationsEnabled: true,
    reviewRequests: 'thread',
    authorNews: true,
    updatedAt: at,
  };
}

function toUserData(u: UserRecord): DocumentData {
  return {
    slack_team_id: u.workspaceId,
    slack_user_id: u.slackUserId,
    github_user_id: u.githubUserId,
    github_login: u.githubLogin,
    verified: u.verified,
    default_channel: u.defaultChannel,
    notifications_enabled: u.notificationsEnabled,
    review_requests: u.reviewRequests,
    author_news: u.authorNews,
    updated_at: u.updatedAt,
  };
}
