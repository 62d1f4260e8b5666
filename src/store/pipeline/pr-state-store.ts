import { FieldValue, type DocumentData, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
import type { PrStateStore } from '../../pipeline/ports.js';
import {
  decodeActivity,
  decodePrFields,
  decodePrSize,
  decodeRequested,
  encodePrFields,
  PR_FIELD_NAMES,
} from '../../pipeline/core/pr-event-codec.js';
import { EPOCH, foldAndCompare, type PrState, type ReviewerState } from '../../pipeline/core/pr-state.js';
import { COLLECTIONS, ids, repoKey } from '../ids.js';
import { ownerOf } from '../../domain/account-subscription.js';
import { readFields, type FieldReader } from '../firestore/decode.js';
import { createCompareAndSet } from '../firestore/compare-and-set.js';
import { createBatchedDocIo, type DocIo } from '../firestore/doc-io.js';

const DECISIVE_STATES = ['approved', 'changes_requested', 'dismissed'] as const;

/**
 * pr_states/{encodedRepo}#{number}: one document per PR. A fold is a compare-and-set (see compare-and-set.ts), so
 * concurrent events (on any instance) merge and none is lost. A PR's next event here writes from the version this
 * process wrote last, and its first event (its opening) is created without a read: one round trip, where a
 * transaction takes two.
 */
export function createFirestorePrStateStore(db: Firestore, options: { io?: DocIo } = {}): PrStateStore {
  const io = options.io ?? createBatchedDocIo(db);
  const ref = (repoFullName: string, prNumber: number) =>
    db.collection(COLLECTIONS.prStates).doc(ids.prState(repoFullName, prNumber));
  const decoded = new WeakMap<DocumentSnapshot, PrState>();
  const states = createCompareAndSet<PrState>({
    db,
    io,
    decode: (snap) => toPrState(snap.ref.path, snap.data()),
    forUpdate: withAbsentDeleted,
  });
  return {
    fold(event) {
      // A PR's opening usually finds no state (a redelivery finds it, and reads).
      const opening = event.kind === 'pull_request' && event.action === 'opened';
      return states.write(ref(event.pr.repoFullName, event.pr.number), {
        otherwise: opening ? { value: null } : undefined,
        change(current) {
          const folded = foldAndCompare(current, event);
          // A copy is remembered: what the caller does with the state it gets does not change the next fold's start.
          return { data: toPrStateData(folded.state), value: structuredClone(folded.state), result: folded };
        },
      });
    },
    async get(repoFullName, prNumber) {
      const snap = await io.get(ref(repoFullName, prNumber));
      if (!snap.exists) return null;
      // A fan-out's reconciles share one read of the PR (one snapshot): it is decoded once for all of them.
      const known = decoded.get(snap);
      if (known) return known;
      const state = toPrState(snap.ref.path, snap.data());
      decoded.set(snap, state);
      return state;
    },
  };
}

/** An update leaves fields it does not name as they were: a PR field the state no longer has is deleted, as a set would. */
function withAbsentDeleted(data: DocumentData): DocumentData {
  const absent = Object.values(PR_FIELD_NAMES).filter((name) => !(name in data));
  return { ...data, ...Object.fromEntries(absent.map((name) => [name, FieldValue.delete()])) };
}

function toPrStateData(s: PrState): DocumentData {
  return {
    ...encodePrFields(s),
    merged: s.merged,
    pr_updated_at: s.prUpdatedAt,
    size: s.size,
    size_updated_at: s.sizeUpdatedAt,
    announced: s.announced,
    was_ready: s.wasReady,
    reviewers: s.reviewers,
    visibility_at: s.visibilityAt,
    requested: { reviewers: s.requestedReviewers, teams: s.requestedTeams },
    review_activity_at: s.reviewActivityAt,
    activity: Object.fromEntries(s.activity.map(({ id, ...entry }) => [id, entry])),
    // For the digest's queries: a channel's repos and accounts, whatever case GitHub spelled them in.
    repo_key: repoKey(s.repoFullName),
    repo_owner_key: ownerOf(repoKey(s.repoFullName)),
  };
}

/** A `pr_states` document, validated (the digest queries them too). */
export function toPrState(path: string, data: unknown): PrState {
  const f = readFields(path, data);
  const size = f.nestedOrNull('size');
  return {
    ...decodePrFields(f, (field) => PR_FIELD_NAMES[field]),
    merged: f.boolean('merged'),
    prUpdatedAt: f.string('pr_updated_at'),
    size: size && decodePrSize(size, ''),
    sizeUpdatedAt: f.stringOrNull('size_updated_at'),
    announced: f.boolean('announced'),
    // States stored before the field: an announced PR that is not a draft now was ready.
    wasReady: f.booleanOr('was_ready', f.boolean('announced') && !f.boolean('draft')),
    reviewers: Object.fromEntries(f.nestedEntries('reviewers').map(([id, reviewer]) => [id, toReviewer(reviewer)])),
    visibilityAt: f.stringOrNull('visibility_at') ?? EPOCH,
    // States stored before these fields existed: nobody requested, no review activity seen.
    ...requestedOf(f),
    reviewActivityAt: f.stringOrNull('review_activity_at'),
    activity: decodeActivity(optionalMap(f, 'activity')),
  };
}

function requestedOf(f: FieldReader): Pick<PrState, 'requestedReviewers' | 'requestedTeams'> {
  const { reviewers, teams } = decodeRequested(optionalMap(f, 'requested'));
  return { requestedReviewers: reviewers, requestedTeams: teams };
}

const optionalMap = (f: FieldReader, name: string): Record<string, unknown> =>
  f.nestedOrNull(name) === null ? {} : f.map(name);

function toReviewer(f: FieldReader): ReviewerState {
  const decisive = f.nestedOrNull('decisive');
  return {
    login: f.string('login'),
    commented: f.boolean('commented'),
    decisive: decisive && {
      id: decisive.integer('id'),
      state: decisive.oneOf('state', DECISIVE_STATES),
      submittedAt: decisive.string('submittedAt'),
    },
  };
}
