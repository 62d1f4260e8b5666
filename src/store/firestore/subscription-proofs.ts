import type { Firestore, Transaction } from '@google-cloud/firestore';
import { repoKey } from '../ids.js';
import type { AccessProof, Subscription } from '../types.js';
import { recordInTransaction } from './audit-log.js';
import {
  subscriptionRefs,
  toAccessData,
  toSubscription,
  writeTwins,
  type SubscriptionRefs,
} from './subscription-docs.js';
import type { TransactionRunner } from './transactions.js';

const PUBLIC: AccessProof = { kind: 'public' };

export async function readCurrent(tx: Transaction, r: SubscriptionRefs): Promise<Subscription | null> {
  const snap = await tx.get(r.repo);
  return snap.exists ? toSubscription(r.repo.path, snap.data()) : null;
}

/** One subscription's proof change, as both stores (Firestore and the in-memory double) take it. */
export interface ProofChange {
  workspaceId: string;
  repoFullName: string;
  reason: string;
  actor: string;
  at: Date;
  /** Checked again inside the transaction: a re-subscribe that raced ahead (a new proof) is left alone. */
  holds: (s: Subscription) => boolean;
}

/** What happens to a subscription when the proof of its access goes (the repo turned private, the prover unlinked). */
export function createProofChanges(options: { db: Firestore; transactions: TransactionRunner }) {
  const { db, transactions } = options;
  const refs = (workspaceId: string, repoFullName: string) => subscriptionRefs(db, workspaceId, repoFullName);
  return {
    /** Records the public proof instead of the user's, if `holds`, audit-logged `subscription.update` with the reason. */
    downgradeIf(input: ProofChange): Promise<void> {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        if (!current || !input.holds(current)) return;
        writeTwins(tx, r, { ...current, access: PUBLIC });
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: 'subscription.update',
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { reason: input.reason, channel_id: current.channelId, ...toAccessData(PUBLIC) },
        });
      });
    },

    /** Disables the subscription if it is enabled and `holds`, audit-logged; returns it as suspended, else null. */
    suspendIf(input: ProofChange): Promise<Subscription | null> {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        if (!current || !current.enabled || !input.holds(current)) return null;
        writeTwins(tx, r, { ...current, enabled: false, disabledReason: input.reason });
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: 'subscription.disable',
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { reason: input.reason, channel_id: current.channelId, ...toAccessData(current.access) },
        });
        return { ...current, enabled: false, disabledReason: input.reason };
      });
    },
  };
}
