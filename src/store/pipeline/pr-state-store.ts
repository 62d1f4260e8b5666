import type { DocumentData, Firestore } from '@google-cloud/firestore';
import type { PrStateStore } from '../../pipeline/ports.js';
import { decodePrFields, decodePrSize, encodePrFields, PR_FIELD_NAMES } from '../../pipeline/core/pr-event-codec.js';
import { EPOCH, foldPrEvent, type PrState, type ReviewerState } from '../../pipeline/core/pr-state.js';
import { COLLECTIONS, ids } from '../ids.js';
import { readFields, type FieldReader } from '../firestore/decode.js';
import { createTransactionRunner } from '../firestore/transactions.js';
import { UNGATED, type OpGate } from '../../queue/op-gate.js';

const DECISIVE_STATES = ['approved', 'changes_requested', 'dismissed'] as const;

/** pr_states/{encodedRepo}#{number}: one document per PR, folded in a transaction so concurrent events merge. */
export function createFirestorePrStateStore(db: Firestore, options: { gate?: OpGate } = {}): PrStateStore {
  const gate = options.gate ?? UNGATED;
  const ref = (repoFullName: string, prNumber: number) =>
    db.collection(COLLECTIONS.prStates).doc(ids.prState(repoFullName, prNumber));
  // Events for one PR arrive in bursts: fold them one at a time here instead of waiting on Firestore locks.
  const transactions = createTransactionRunner(db);
  return {
    fold(event) {
      const docRef = ref(event.pr.repoFullName, event.pr.number);
      return transactions.run(docRef.path, async (tx) => {
        const snap = await tx.get(docRef);
        const next = foldPrEvent(snap.exists ? toPrState(docRef.path, snap.data()) : null, event);
        tx.set(docRef, toPrStateData(next));
        return next;
      });
    },
    async get(repoFullName, prNumber) {
      const snap = await gate.run(() => ref(repoFullName, prNumber).get());
      return snap.exists ? toPrState(snap.ref.path, snap.data()) : null;
    },
  };
}

function toPrStateData(s: PrState): DocumentData {
  return {
    ...encodePrFields(s),
    merged: s.merged,
    pr_updated_at: s.prUpdatedAt,
    size: s.size,
    size_updated_at: s.sizeUpdatedAt,
    announced: s.announced,
    reviewers: s.reviewers,
    visibility_at: s.visibilityAt,
  };
}

function toPrState(path: string, data: unknown): PrState {
  const f = readFields(path, data);
  const size = f.nestedOrNull('size');
  return {
    ...decodePrFields(f, (field) => PR_FIELD_NAMES[field]),
    merged: f.boolean('merged'),
    prUpdatedAt: f.string('pr_updated_at'),
    size: size && decodePrSize(size, ''),
    sizeUpdatedAt: f.stringOrNull('size_updated_at'),
    announced: f.boolean('announced'),
    reviewers: Object.fromEntries(f.nestedEntries('reviewers').map(([id, reviewer]) => [id, toReviewer(reviewer)])),
    visibilityAt: f.stringOrNull('visibility_at') ?? EPOCH,
  };
}

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
