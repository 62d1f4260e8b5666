import type { DocumentData, Firestore } from '@google-cloud/firestore';
import { createJsonReader } from '../../core/json-reader.js';
import type { PrStateStore } from '../../core/ports.js';
import { foldPrEvent, type PrState, type ReviewerState } from '../../core/pr-state.js';
import { COLLECTIONS, ids } from '../ids.js';
import { createTransactionRunner } from '../firestore/transactions.js';

/** pr_states/{encodedRepo}#{number}: one document per PR, folded in a transaction so concurrent events merge. */
export function createFirestorePrStateStore(db: Firestore): PrStateStore {
  const ref = (repoFullName: string, prNumber: number) => db.collection(COLLECTIONS.prStates).doc(ids.prState(repoFullName, prNumber));
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
      const snap = await ref(repoFullName, prNumber).get();
      return snap.exists ? toPrState(snap.ref.path, snap.data()) : null;
    },
  };
}

function toPrStateData(s: PrState): DocumentData {
  return {
    repo_full_name: s.repoFullName, pr_number: s.number, title: s.title, url: s.url,
    author_login: s.authorLogin, author_id: s.authorId, base_ref: s.baseRef, head_ref: s.headRef,
    draft: s.draft, state: s.state, merged: s.merged, pr_updated_at: s.prUpdatedAt,
    size: s.size, size_updated_at: s.sizeUpdatedAt, announced: s.announced, reviewers: s.reviewers,
  };
}

function toPrState(path: string, data: unknown): PrState {
  const r = createJsonReader(data);
  try {
    const state = r.string('state');
    if (state !== 'open' && state !== 'closed') throw new Error('field state should be open or closed');
    const reviewers: Record<string, ReviewerState> = {};
    const raw = (data as Record<string, unknown>)['reviewers'];
    for (const id of Object.keys(typeof raw === 'object' && raw !== null ? raw : {})) reviewers[id] = toReviewer(r, `reviewers.${id}`);
    return {
      repoFullName: r.string('repo_full_name'), number: r.integer('pr_number'), title: r.string('title'), url: r.string('url'),
      authorLogin: r.string('author_login'), authorId: r.integer('author_id'), baseRef: r.string('base_ref'), headRef: r.string('head_ref'),
      draft: r.boolean('draft'), state, merged: r.boolean('merged'), prUpdatedAt: r.string('pr_updated_at'),
      size: r.has('size') ? { additions: r.integer('size.additions'), deletions: r.integer('size.deletions'), changedFiles: r.integer('size.changedFiles') } : null,
      sizeUpdatedAt: r.optionalString('size_updated_at') ?? null, announced: r.boolean('announced'), reviewers,
    };
  } catch (err) {
    throw new Error(`Malformed document ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function toReviewer(r: ReturnType<typeof createJsonReader>, at: string): ReviewerState {
  const state = r.optionalString(`${at}.decisive.state`);
  if (state !== undefined && state !== 'approved' && state !== 'changes_requested' && state !== 'dismissed') {
    throw new Error(`field ${at}.decisive.state should be a decisive review state`);
  }
  return {
    login: r.string(`${at}.login`),
    commented: r.boolean(`${at}.commented`),
    decisive: state === undefined ? null : { id: r.integer(`${at}.decisive.id`), state, submittedAt: r.string(`${at}.decisive.submittedAt`) },
  };
}
