import {
  FieldValue,
  type DocumentData,
  type DocumentReference,
  type Firestore,
  type Timestamp,
  type Transaction,
} from '@google-cloud/firestore';
import type { MessageKey, PostAttempt, TrackedMessage, TrackedMessageStore, UnsurePost } from '../../pipeline/ports.js';
import { COLLECTIONS, ids } from '../ids.js';
import { readFields, type FieldReader } from '../firestore/decode.js';
import { buildQuery, QUERIES } from '../firestore/queries.js';
import { createTransactionRunner } from '../firestore/transactions.js';
import { isAlreadyExists } from '../already-exists.js';
import { isWriteRace } from '../firestore/write-race.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';
import { rememberCapped } from '../../shared/capped-memory.js';

/** Past this many remembered claims the memory is dropped: recording then takes the transaction path. */
const MAX_CLAIMS_KNOWN = 5_000;

/** No claim, and no post that may exist unrecorded. */
const NO_CLAIM = { post_owner: null, post_instance: null, post_unsure_since: null, post_unsure_until: null };

/**
 * tracked_messages/{team}#{channel}#{encodedRepo}#{pr}: the one Slack message of a PR in a channel. The right to
 * post it (a claim: `ts: null`, `post_owner` = the run's token) is taken in a transaction, so two runs never post at
 * once. Only one reconcile job can post a given message, and it runs once at a time, so a claim held by another run
 * is dead: it is taken over once whatever that run may have sent has settled (`settleMs` after its claim: the
 * Slack client's timeout and a margin). A post that may have reached Slack unrecorded is remembered
 * (`post_unsure_since` / `post_unsure_until`) until a holder looked for it in the channel.
 *
 * The common case costs no transaction: the first claim of a message creates its document (`create()` fails if it
 * exists, so two runs never both get it), and the ts is recorded (or, nothing sent, the claim given back by deleting
 * the document) on the condition that the document is still as that claim wrote it. Anything else (a document that
 * exists, a claim taken over or given back meanwhile) is decided in a transaction, as before.
 */
export function createFirestoreTrackedMessageStore(
  db: Firestore,
  options: { settleMs: number; io?: DocIo },
): TrackedMessageStore {
  const { settleMs } = options;
  const io = options.io ?? createBatchedDocIo(db);
  const collection = db.collection(COLLECTIONS.trackedMessages);
  const ref = (k: MessageKey) => collection.doc(ids.trackedMessage(k));
  const transactions = createTransactionRunner(db);
  const later = (d: Date, ms: number) => new Date(d.getTime() + ms);
  /**
   * Claims this process created, by document path: the update time their creation left and the holder's token (see
   * recordPosted and releaseClaim).
   */
  const created = new Map<string, { at: Timestamp; token: string }>();
  /** The claim this process created at `path` for `token`, forgotten as it is handed over; another holder's stays. */
  function takeCreated(path: string, token: string): { at: Timestamp } | undefined {
    const claim = created.get(path);
    if (claim?.token !== token) return undefined;
    created.delete(path);
    return claim;
  }

  /** Gives back the claim of the run holding `path` (if `isHolder` accepts it), remembering a post it may have made. */
  async function handBack(
    path: string,
    input: { isHolder: (f: FieldReader) => boolean; attempt: PostAttempt; now: Date },
  ): Promise<boolean> {
    const docRef = db.doc(path);
    return transactions.run(path, async (tx) => {
      const snap = await tx.get(docRef);
      if (!snap.exists) return false;
      const f = readFields(path, snap.data());
      if (f.stringOrNull('ts') !== null || !input.isHolder(f)) return false;
      let unsure = readUnsure(f);
      if (input.attempt !== 'not_sent') {
        const until = input.attempt === 'maybe_in_flight' ? later(input.now, settleMs) : input.now;
        unsure = merge(unsure, { since: f.dateOrNull('post_claimed_at') ?? input.now, until });
      }
      // Nothing can be in Slack: forget the message, as if never claimed (the next claim needs no look).
      if (unsure === null) tx.delete(docRef);
      else tx.update(docRef, { ...NO_CLAIM, ...toUnsureFields(unsure), updated_at: input.now });
      return true;
    });
  }

  return {
    async get(key) {
      const snap = await io.get(ref(key));
      return snap.exists ? toTrackedMessage(key, readFields(snap.ref.path, snap.data())) : null;
    },
    async claimPost({ key, holder, now }) {
      const docRef = ref(key);
      const claim = { post_owner: holder.token, post_instance: holder.owner, post_claimed_at: now, updated_at: now };
      created.delete(docRef.path);
      try {
        const result = await io.create(docRef, claimedDoc(key, now, claim));
        rememberCapped(created, docRef.path, { at: result.writeTime, token: holder.token }, MAX_CLAIMS_KNOWN);
        return { outcome: 'claimed' as const, lookFor: null };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        if (!snap.exists) {
          // Given back (deleted) since the create failed: claim it anew here.
          tx.create(docRef, claimedDoc(key, now, claim));
          return { outcome: 'claimed' as const, lookFor: null };
        }
        const f = readFields(docRef.path, snap.data());
        const message = toTrackedMessage(key, f);
        if (message.ts !== null) return { outcome: 'posted' as const, message };
        let unsure = readUnsure(f);
        if (f.stringOrNull('post_owner') !== null) {
          // Held by a run that is gone (this job runs once at a time): it may have posted right after claiming.
          const since = f.dateOrNull('post_claimed_at') ?? f.dateOrNull('created_at') ?? now;
          unsure = merge(unsure, { since, until: later(since, settleMs) });
        }
        if (unsure !== null && now < unsure.until) return { outcome: 'busy' as const, until: unsure.until };
        tx.update(docRef, { ...claim, ...toUnsureFields(unsure) });
        return { outcome: 'claimed' as const, lookFor: unsure };
      });
    },
    confirmClaim({ key, holder, now }) {
      const docRef = ref(key);
      takeCreated(docRef.path, holder.token);
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        if (!snap.exists) return false;
        const f = readFields(docRef.path, snap.data());
        if (f.stringOrNull('ts') !== null || f.stringOrNull('post_owner') !== holder.token) return false;
        tx.update(docRef, { post_claimed_at: now, post_unsure_since: null, post_unsure_until: null, updated_at: now });
        return true;
      });
    },
    async recordPosted({ key, ts, renderHash, now }) {
      const docRef = ref(key);
      const fields = { ts, render_hash: renderHash, reactions: [], ...NO_CLAIM, posted_at: now, updated_at: now };
      const claimedAt = created.get(docRef.path)?.at;
      created.delete(docRef.path);
      if (claimedAt) {
        // Unchanged since our claim created it (so no ts is recorded yet): record without a transaction.
        try {
          await io.update(docRef, fields, { lastUpdateTime: claimedAt });
          return { recorded: true as const };
        } catch (err) {
          if (!isWriteRace(err)) throw err;
        }
      }
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        const recorded = snap.exists ? readFields(docRef.path, snap.data()).stringOrNull('ts') : null;
        if (recorded !== null && recorded !== ts) return { recorded: false as const, ts: recorded };
        record(tx, { docRef, exists: snap.exists, key, now }, fields);
        return { recorded: true as const };
      });
    },
    async releaseClaim({ key, holder, attempt, now }) {
      const docRef = ref(key);
      // Only its holder's release forgets the claim: another holder's record is then still one conditional write.
      const claim = takeCreated(docRef.path, holder.token);
      // Nothing sent (most often: the channel's posting slot is later), and the record is as this holder's claim
      // created it: it goes, as the transaction below would decide, in one conditional delete with the turn's writes.
      if (attempt === 'not_sent' && claim) {
        try {
          await io.delete(docRef, { lastUpdateTime: claim.at });
          return;
        } catch (err) {
          if (!isWriteRace(err)) throw err;
        }
      }
      await handBack(docRef.path, { isHolder: (f) => f.stringOrNull('post_owner') === holder.token, attempt, now });
    },
    async releaseClaimsOf({ owner, now }) {
      const held = await buildQuery(db, QUERIES.postClaimsOfInstance, [owner]).get();
      const released = await Promise.all(
        held.docs.map((d) =>
          handBack(d.ref.path, {
            isHolder: (f) => f.stringOrNull('post_instance') === owner,
            attempt: 'maybe_in_flight',
            now,
          }),
        ),
      );
      return released.filter(Boolean).length;
    },
    async update({ key, renderHash, reactions, followUpIds, now }) {
      const patch: DocumentData = { updated_at: now };
      if (renderHash !== undefined) patch['render_hash'] = renderHash;
      if (reactions !== undefined) patch['reactions'] = reactions;
      if (followUpIds !== undefined) patch['follow_ups'] = FieldValue.arrayUnion(...followUpIds);
      await io.update(ref(key), patch);
    },
    async markDeleted({ key, reason, now }) {
      await io.update(ref(key), { deleted_at: now, deleted_reason: reason, updated_at: now });
    },
  };
}

/** A new document holding a post claim. */
function claimedDoc(key: MessageKey, now: Date, claim: DocumentData): DocumentData {
  return {
    ...identityFields(key),
    ts: null,
    render_hash: null,
    reactions: [],
    created_at: now,
    ...NO_CLAIM,
    ...claim,
  };
}

/** Writes the recorded message; a document given back meanwhile (nothing was sent, we thought) is created again. */
function record(
  tx: Transaction,
  at: { docRef: DocumentReference; exists: boolean; key: MessageKey; now: Date },
  fields: DocumentData,
): void {
  if (at.exists) return void tx.update(at.docRef, fields);
  const { key, now } = at;
  tx.create(at.docRef, { ...identityFields(key), created_at: now, ...fields });
}

/** What a tracked message is: a PR's message in a channel, or one of its follow-ups (`follow_up_id`). */
function identityFields(key: MessageKey): DocumentData {
  return {
    slack_team_id: key.workspaceId,
    channel_id: key.channelId,
    repo_full_name: key.repoFullName,
    pr_number: key.prNumber,
    ...(key.followUpId === undefined ? {} : { follow_up_id: key.followUpId }),
  };
}

function readUnsure(f: FieldReader): UnsurePost | null {
  const since = f.dateOrNull('post_unsure_since');
  const until = f.dateOrNull('post_unsure_until');
  return since && until ? { since, until } : null;
}

function merge(a: UnsurePost | null, b: UnsurePost): UnsurePost {
  if (a === null) return b;
  return { since: a.since < b.since ? a.since : b.since, until: a.until > b.until ? a.until : b.until };
}

function toUnsureFields(u: UnsurePost | null): DocumentData {
  return { post_unsure_since: u?.since ?? null, post_unsure_until: u?.until ?? null };
}

function toTrackedMessage(key: MessageKey, f: FieldReader): TrackedMessage {
  return {
    ...key,
    ts: f.stringOrNull('ts'),
    renderHash: f.stringOrNull('render_hash'),
    reactions: f.stringList('reactions'),
    deletedAt: f.dateOrNull('deleted_at'),
    followUps: f.stringListOrEmpty('follow_ups'),
  };
}
