import { accountOf, isAccountTarget } from '../../../src/domain/account-subscription.js';
import {
  applyFilters,
  applyRouteRemoval,
  applySubscribe,
  findRoute,
  newSubscription,
} from '../../../src/domain/routes.js';
import { mappingOf } from '../../../src/domain/subscription.js';
import { ids, repoKey } from '../../../src/store/ids.js';
import type { AccessProof, RepoMapping, Subscription } from '../../../src/store/types.js';
import type { SubscriptionStoreBase } from '../../../src/store/subscription-writes.js';
import type { ProofChange } from '../../../src/store/firestore/subscription-proofs.js';
import type { MemoryAuditLog } from './audit-log.js';
import { copy, type Serial } from './serial.js';

/** The memory store's subscriptions, plus what Firestore tells by a document's update time. */
export interface MemorySubscriptionStore extends SubscriptionStoreBase {
  /** Changes on every write of the subscription (like the `repos` document's update time); null when there is none. */
  revisionOf(workspaceId: string, repoFullName: string): number | null;
}

/** Same semantics as the Firestore store: the subscription and its mapping twin always change together. */
export function createMemorySubscriptionStore(options: {
  serial: Serial;
  audit: MemoryAuditLog;
}): MemorySubscriptionStore {
  const { serial, audit } = options;
  const revisions = new Map<string, number>();
  let nextRevision = 1;
  // Every write of a subscription goes through here, so its revision changes as a document's update time would.
  const stored = new Map<string, Subscription>();
  const repos = {
    get: (id: string) => stored.get(id),
    set: (id: string, s: Subscription) => {
      stored.set(id, s);
      revisions.set(id, nextRevision++);
    },
    delete: (id: string) => {
      revisions.delete(id);
      return stored.delete(id);
    },
    values: () => stored.values(),
  };
  const mappings = new Map<string, RepoMapping>();
  /** Opt-out id → the workspace and repo key it is about. */
  const optOuts = new Map<string, { workspaceId: string; repoKey: string }>();

  const writeBoth = (s: Subscription) => {
    repos.set(ids.repo(s.workspaceId, s.repoFullName), s);
    mappings.set(ids.repoWorkspaceMapping(s.repoFullName, s.workspaceId), mappingOf(s));
  };
  const current = (workspaceId: string, repoFullName: string) => repos.get(ids.repo(workspaceId, repoFullName)) ?? null;
  const accessDetails = (access: AccessProof) => ({
    access_proof: access.kind,
    access_github_user_id: access.kind === 'github_user' ? access.githubUserId : null,
  });
  /** Disables the subscription if it is enabled and `holds`, audit-logged; returns it as suspended, else null. */
  const suspendIf = (input: ProofChange): Subscription | null => {
    const existing = current(input.workspaceId, input.repoFullName);
    if (!existing || !existing.enabled || !input.holds(existing)) return null;
    const suspended = { ...existing, enabled: false, disabledReason: input.reason };
    writeBoth(suspended);
    audit.append({
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'subscription.disable',
      target: repoKey(input.repoFullName),
      at: input.at,
      details: { reason: input.reason, channel_id: existing.channelId, ...accessDetails(existing.access) },
    });
    return copy(suspended);
  };

  return {
    revisionOf: (workspaceId, repoFullName) => revisions.get(ids.repo(workspaceId, repoFullName)) ?? null,
    subscribe: (input) =>
      serial(() => {
        const existing = current(input.workspaceId, input.repoFullName);
        const { next, result, audit: note } = applySubscribe(existing, input);
        writeBoth(next);
        optOuts.delete(ids.repoOptOut(input.workspaceId, input.repoFullName));
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: note.action,
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { ...note.details, ...(existing ? { previous_channel_id: existing.channelId } : {}) },
        });
        return result;
      }),
    setFilters: (input) =>
      serial(() => {
        const existing = current(input.workspaceId, input.repoFullName);
        if (!existing) return 'not_subscribed' as const;
        const change = applyFilters(existing, input);
        if (!change) return 'no_route' as const;
        writeBoth(change.next);
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: change.audit.action,
          target: repoKey(input.repoFullName),
          at: input.at,
          details: change.audit.details,
        });
        return 'updated' as const;
      }),
    unsubscribe: (input) =>
      serial(() => {
        const existing = current(input.workspaceId, input.repoFullName);
        const removal =
          existing && input.channelId !== undefined ? applyRouteRemoval(existing, input.channelId) : 'last';
        if (removal === 'absent') return false;
        if (removal !== 'last') {
          writeBoth(removal.next);
          audit.append({
            workspaceId: input.workspaceId,
            actor: input.actor,
            action: removal.audit.action,
            target: repoKey(input.repoFullName),
            at: input.at,
            details: removal.audit.details,
          });
          return true;
        }
        repos.delete(ids.repo(input.workspaceId, input.repoFullName));
        mappings.delete(ids.repoWorkspaceMapping(input.repoFullName, input.workspaceId));
        optOuts.set(ids.repoOptOut(input.workspaceId, input.repoFullName), {
          workspaceId: input.workspaceId,
          repoKey: repoKey(input.repoFullName),
        });
        if (existing) {
          audit.append({
            workspaceId: input.workspaceId,
            actor: input.actor,
            action: 'subscription.delete',
            target: repoKey(input.repoFullName),
            at: input.at,
            details: { channel_id: existing.channelId, channels: existing.routes.map((r) => r.channelId).join(',') },
          });
        }
        return existing !== null;
      }),
    removeFailedRoute: (input) =>
      serial(() => {
        const existing = current(input.workspaceId, input.repoFullName);
        if (!existing) return 'absent' as const;
        const removal = applyRouteRemoval(existing, input.channelId);
        if (removal === 'last' || removal === 'absent') return removal;
        writeBoth(removal.next);
        audit.append({
          workspaceId: input.workspaceId,
          actor: 'system',
          action: removal.audit.action,
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { ...removal.audit.details, reason: input.reason },
        });
        return 'removed' as const;
      }),
    autoRegister: (input) =>
      serial(() => {
        if (current(input.workspaceId, input.repoFullName)) return 'already_subscribed' as const;
        const account = current(input.workspaceId, accountOf(input.repoFullName));
        if (account && findRoute(account, input.channelId)) return 'already_subscribed' as const;
        if (optOuts.has(ids.repoOptOut(input.workspaceId, input.repoFullName))) return 'opted_out' as const;
        const access = input.access ?? { kind: 'public' };
        writeBoth(newSubscription({ ...input, createdBy: 'auto', access }));
        audit.append({
          workspaceId: input.workspaceId,
          actor: 'auto',
          action: 'subscription.auto_create',
          target: repoKey(input.repoFullName),
          at: input.at,
          details: {
            channel_id: input.channelId,
            author_slack_user_id: input.authorSlackUserId,
            ...accessDetails(access),
          },
        });
        return 'created' as const;
      }),
    get: (workspaceId, repoFullName) =>
      serial(() => {
        const found = current(workspaceId, repoFullName);
        return found ? copy(found) : null;
      }),
    listForWorkspace: (workspaceId) =>
      serial(() =>
        [...repos.values()]
          .filter((s) => s.workspaceId === workspaceId)
          .sort((a, b) => repoKey(a.repoFullName).localeCompare(repoKey(b.repoFullName)))
          .map(copy),
      ),
    workspacesForRepo: (repoFullName) =>
      serial(() => {
        const keys = [repoKey(repoFullName), repoKey(accountOf(repoFullName))];
        return [...mappings.values()].filter((m) => keys.includes(repoKey(m.repoFullName))).map(copy);
      }),
    sourcesForRepo: (workspaceId, repoFullName, found = { repo: true, account: true }) =>
      serial(() => {
        const own = found.repo ? current(workspaceId, repoFullName) : null;
        const optedOut = optOuts.has(ids.repoOptOut(workspaceId, repoFullName));
        const account = optedOut || !found.account ? null : current(workspaceId, accountOf(repoFullName));
        return [own, account].flatMap((s) => (s ? [copy(s)] : []));
      }),
    optedOutRepos: (workspaceId) =>
      serial(() =>
        [...optOuts.values()]
          .filter((o) => o.workspaceId === workspaceId)
          .map((o) => o.repoKey)
          .sort(),
      ),
    isOptedOut: (workspaceId, repoFullName) => serial(() => optOuts.has(ids.repoOptOut(workspaceId, repoFullName))),
    setEnabled: (input) =>
      serial(() => {
        const existing = current(input.workspaceId, input.repoFullName);
        const reason = input.enabled ? null : input.reason;
        if (!existing || (existing.enabled === input.enabled && existing.disabledReason === reason)) return;
        writeBoth({ ...existing, enabled: input.enabled, disabledReason: reason });
        audit.append({
          workspaceId: input.workspaceId,
          actor: input.actor,
          action: input.enabled ? 'subscription.enable' : 'subscription.disable',
          target: repoKey(input.repoFullName),
          at: input.at,
          details: { reason: input.reason, channel_id: existing.channelId },
        });
      }),
    suspendPublicProof: (input) => serial(() => suspendIf({ ...input, holds: (s) => s.access.kind === 'public' })),
    suspendProvenBy: (input) =>
      serial(() => {
        const proven = (s: Subscription) =>
          s.access.kind === 'github_user' && s.access.githubUserId === input.githubUserId;
        const mine = [...repos.values()]
          .filter((s) => s.workspaceId === input.workspaceId && s.enabled && proven(s))
          .sort((a, b) => repoKey(a.repoFullName).localeCompare(repoKey(b.repoFullName)));
        // An account's subscription keeps its public repos: it falls back to the public proof instead of pausing.
        for (const s of mine.filter((m) => isAccountTarget(m.repoFullName))) {
          writeBoth({ ...s, access: { kind: 'public' } });
          audit.append({
            workspaceId: input.workspaceId,
            actor: input.actor,
            action: 'subscription.update',
            target: repoKey(s.repoFullName),
            at: input.at,
            details: { reason: input.reason, channel_id: s.channelId, ...accessDetails({ kind: 'public' }) },
          });
        }
        return mine
          .filter((m) => !isAccountTarget(m.repoFullName))
          .flatMap((s) => suspendIf({ ...input, repoFullName: s.repoFullName, holds: proven }) ?? []);
      }),
  };
}
