import { accountOf, isAccountTarget } from '../../domain/account-subscription.js';
import { applyFilters, applyRouteRemoval, applySubscribe, findRoute, newSubscription } from '../../domain/routes.js';
import { repoKey } from '../ids.js';
import type { AccessProof, Subscription } from '../types.js';
import type { SubscriptionStoreBase } from '../subscription-writes.js';
import { recordInTransaction } from './audit-log.js';
import { createProofChanges, readCurrent } from './subscription-proofs.js';
import { readFields } from './decode.js';
import { createCoalescedInReads } from './coalesced-in-reads.js';
import { buildQuery, QUERIES } from './queries.js';
import {
  subscriptionRefs,
  toAccessData,
  toOptOutData,
  toRepoMapping,
  toSubscription,
  writeTwins,
} from './subscription-docs.js';
import type { StoreDeps } from './store-deps.js';

/** Where a caller gives no proof, the weakest one: it holds only while deliveries say the repo is public. */
const PUBLIC: AccessProof = { kind: 'public' };

/**
 * Every change writes the repos document and its mapping twin together in one transaction (both created, both
 * deleted, both rewritten with every change: the twin carries the whole subscription), with the opt-out marker and the
 * audit entry: no reader ever sees one twin without the other, or the two differing.
 */
export function createFirestoreSubscriptionStore(options: StoreDeps): SubscriptionStoreBase {
  const { db, transactions, io } = options;
  const refs = (workspaceId: string, repoFullName: string) => subscriptionRefs(db, workspaceId, repoFullName);
  const proofs = createProofChanges({ db, transactions });
  const indexReads = createCoalescedInReads(db, QUERIES.mappingsForRepo, 'repo_key');

  async function listForWorkspace(workspaceId: string): Promise<Subscription[]> {
    const snap = await buildQuery(db, QUERIES.reposForWorkspace, [workspaceId]).get();
    return snap.docs.map((d) => toSubscription(d.ref.path, d.data())).sort(byRepoKey);
  }

  return {
    subscribe(input) {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        // The newest check is the proof: a re-subscribe after a suspension records who proved access this time.
        const { next, result, audit } = applySubscribe(current, input);
        writeTwins(tx, r, next);
        tx.delete(r.optOut);
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: audit.action,
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { ...audit.details, ...(current ? { previous_channel_id: current.channelId } : {}) },
        });
        return result;
      });
    },

    setFilters(input) {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        if (!current) return 'not_subscribed' as const;
        const change = applyFilters(current, input);
        if (!change) return 'no_route' as const;
        writeTwins(tx, r, change.next);
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: change.audit.action,
          target: repoKey(input.repoFullName),
          at: input.at,
          details: change.audit.details,
        });
        return 'updated' as const;
      });
    },

    unsubscribe(input) {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        const removal = current && input.channelId !== undefined ? applyRouteRemoval(current, input.channelId) : 'last';
        if (removal === 'absent') return false;
        if (removal !== 'last') {
          writeTwins(tx, r, removal.next);
          recordInTransaction(db, tx, {
            workspaceId: input.workspaceId,
            actor: input.actor,
            action: removal.audit.action,
            target: repoKey(input.repoFullName),
            at: input.at,
            details: removal.audit.details,
          });
          return true;
        }
        // The opt-out is recorded even when nothing was subscribed: the user said "not here".
        tx.delete(r.repo);
        tx.delete(r.mapping);
        tx.set(r.optOut, toOptOutData(input));
        if (current) {
          recordInTransaction(db, tx, {
            workspaceId: input.workspaceId,
            actor: input.actor,
            action: 'subscription.delete',
            target: repoKey(input.repoFullName),
            at: input.at,
            details: {
              channel_id: current.channelId,
              channels: current.routes.map((route) => route.channelId).join(','),
            },
          });
        }
        return current !== null;
      });
    },

    removeFailedRoute(input) {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        if (!current) return 'absent' as const;
        const removal = applyRouteRemoval(current, input.channelId);
        if (removal === 'last' || removal === 'absent') return removal;
        writeTwins(tx, r, removal.next);
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: 'system',
          action: removal.audit.action,
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { ...removal.audit.details, reason: input.reason },
        });
        return 'removed' as const;
      });
    },

    autoRegister(input) {
      const r = refs(input.workspaceId, input.repoFullName);
      return transactions.run(r.repo.path, async (tx) => {
        const accountRef = refs(input.workspaceId, accountOf(input.repoFullName)).repo;
        const [current, optOut, account] = await Promise.all([
          readCurrent(tx, r),
          tx.get(r.optOut),
          tx.get(accountRef),
        ]);
        if (current) return 'already_subscribed' as const;
        // The account's route in that channel already posts the repo, by its own filters: a repo route would bypass them.
        if (account.exists && findRoute(toSubscription(accountRef.path, account.data()), input.channelId))
          return 'already_subscribed' as const;
        if (optOut.exists) return 'opted_out' as const;
        writeTwins(tx, r, newSubscription({ ...input, createdBy: 'auto', access: input.access ?? PUBLIC }));
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: 'auto',
          action: 'subscription.auto_create',
          target: repoKey(input.repoFullName),
          at: input.at,
          details: {
            channel_id: input.channelId,
            author_slack_user_id: input.authorSlackUserId,
            ...toAccessData(input.access ?? PUBLIC),
          },
        });
        return 'created' as const;
      });
    },

    async get(workspaceId, repoFullName) {
      const { repo } = refs(workspaceId, repoFullName);
      const snap = await repo.get();
      return snap.exists ? toSubscription(repo.path, snap.data()) : null;
    },

    listForWorkspace,

    async workspacesForRepo(repoFullName) {
      const keys = [repoKey(repoFullName), repoKey(accountOf(repoFullName))];
      const docs = await indexReads(keys);
      return docs.map((d) => toRepoMapping(d.ref.path, d.data()));
    },

    async sourcesForRepo(workspaceId, repoFullName, found = { repo: true, account: true }) {
      const own = refs(workspaceId, repoFullName);
      const account = refs(workspaceId, accountOf(repoFullName)).repo;
      // Only what the index named (a missing document is a billed read too); the opt-out matters only to an account's.
      const [repoSnap, accountSnap, optOutSnap] = await Promise.all([
        found.repo ? io.get(own.repo) : null,
        found.account ? io.get(account) : null,
        found.account ? io.get(own.optOut) : null,
      ]);
      const sources: Subscription[] = [];
      if (repoSnap?.exists) sources.push(toSubscription(own.repo.path, repoSnap.data()));
      // Opting out of one repo ("not here") also keeps its account's routes from posting it.
      if (accountSnap?.exists && !optOutSnap?.exists) sources.push(toSubscription(account.path, accountSnap.data()));
      return sources;
    },

    async optedOutRepos(workspaceId) {
      const snap = await buildQuery(db, QUERIES.optOutsForWorkspace, [workspaceId]).get();
      return snap.docs.map((d) => readFields(d.ref.path, d.data()).string('repo_key')).sort();
    },

    async isOptedOut(workspaceId, repoFullName) {
      return (await refs(workspaceId, repoFullName).optOut.get()).exists;
    },

    async setEnabled(input) {
      const r = refs(input.workspaceId, input.repoFullName);
      await transactions.run(r.repo.path, async (tx) => {
        const current = await readCurrent(tx, r);
        const reason = input.enabled ? null : input.reason;
        // Gone (unsubscribed meanwhile) or already so: nothing to change, nothing to audit.
        if (!current || (current.enabled === input.enabled && current.disabledReason === reason)) return;
        writeTwins(tx, r, { ...current, enabled: input.enabled, disabledReason: reason });
        recordInTransaction(db, tx, {
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: input.enabled ? 'subscription.enable' : 'subscription.disable',
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { reason: input.reason, channel_id: current.channelId },
        });
      });
    },

    suspendPublicProof(input) {
      return proofs.suspendIf({ ...input, holds: (s) => s.access.kind === 'public' });
    },

    async suspendProvenBy(input) {
      const proven = (s: Subscription) =>
        s.access.kind === 'github_user' && s.access.githubUserId === input.githubUserId;
      // One transaction per subscription, each re-checking its proof: no batch limit, and a re-subscribe that
      // raced ahead (a new proof) is left alone.
      const candidates = (await listForWorkspace(input.workspaceId)).filter((s) => s.enabled && proven(s));
      // An account's subscription keeps its public repos: it falls back to the public proof instead of pausing.
      await Promise.all(
        candidates
          .filter((s) => isAccountTarget(s.repoFullName))
          .map((s) => proofs.downgradeIf({ ...input, repoFullName: s.repoFullName, holds: proven })),
      );
      const results = await Promise.all(
        candidates
          .filter((s) => !isAccountTarget(s.repoFullName))
          .map((s) => proofs.suspendIf({ ...input, repoFullName: s.repoFullName, holds: proven })),
      );
      return results.filter((s): s is Subscription => s !== null);
    },
  };
}

function byRepoKey(a: Subscription, b: Subscription): number {
  return repoKey(a.repoFullName).localeCompare(repoKey(b.repoFullName));
}
