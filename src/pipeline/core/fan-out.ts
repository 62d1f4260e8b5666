import { isAccountTarget } from '../../domain/account-subscription.js';
import type { FoundSources, RepoMapping } from '../../domain/subscription.js';
import { autoRegisterAuthor } from './auto-register.js';
import { isAnnouncement, type PrEvent } from './pr-event.js';
import type { PrChange, PrState } from './pr-state.js';
import {
  handoverKey,
  type IndexAnswer,
  type PipelinePorts,
  type PipelineSubscriptions,
  type ReconcileRequest,
} from '../ports.js';

/**
 * The work one delivery causes, run as a durable job after ingress answered: fold the event into the PR
 * state, auto-register where the contract says so, then enqueue one reconcile job per subscribed workspace.
 * Every step is idempotent, so a retry of this job after a crash is harmless.
 */
export function createFanOut(ports: PipelinePorts) {
  /** The index query, started at ingress when this instance accepted the delivery; a failed one is asked again. */
  function subscribersOf(deliveryId: string, repoFullName: string): Promise<IndexAnswer> {
    const query = () => readIndex(ports.subscriptions, repoFullName);
    return ports.mappingsAhead?.take(deliveryId)?.catch(query) ?? query();
  }

  /**
   * For the reconcile runs about to be enqueued (see run-handover.ts): the PR state just folded, whether the PR was
   * just opened, and the subscriptions the index entries carried (where the entry alone names everything the run would
   * read: the repo's own subscription, no account's whose opt-outs it would check).
   */
  function handOver(input: {
    deliveryId: string;
    requests: readonly ReconcileRequest[];
    shown: readonly RepoMapping[];
    writesBefore: number;
    pr: PrState;
    opened: boolean;
  }): void {
    const { deliveryId, writesBefore, pr, opened } = input;
    if (!ports.handedOver) return;
    const carried = new Map(input.shown.map((m) => [m.workspaceId, m.subscription]));
    for (const r of input.requests) {
      const subscription = carried.get(r.workspaceId);
      const named = subscription && r.found?.repo === true && !r.found.account;
      ports.handedOver.give(handoverKey({ ...r, deliveryId }), {
        ...(named ? { sources: [subscription] } : {}),
        writesBefore,
        pr,
        opened,
      });
    }
  }

  return {
    async run(input: { event: PrEvent; deliveryId: string }): Promise<{ workspaceIds: string[] }> {
      const { event } = input;
      const log = ports.log.child({ delivery_id: input.deliveryId, repo: event.pr.repoFullName, pr: event.pr.number });
      // The fold, the author's auto-registration and the index query side by side.
      const [{ change, state }, { registered, failures }, { mappings, writesBefore }] = await Promise.all([
        ports.prStates.fold(event),
        isAnnouncement(event) && !event.pr.draft
          ? autoRegisterAuthor({ ports, event, log })
          : Promise.resolve({ registered: [], failures: [] }),
        subscribersOf(input.deliveryId, event.pr.repoFullName),
      ]);
      // A workspace the author's auto-registration subscribes is added to the index's answer either way (its run reads
      // every subscription); the others read only the ones the index named.
      const shown = mappings.filter((m) => mayShow(change, m));
      const found = foundSourcesOf(shown);
      const workspaceIds = [...new Set([...found.keys(), ...registered])];
      const requests = workspaceIds.map((workspaceId) => {
        const named = registered.includes(workspaceId) ? undefined : found.get(workspaceId);
        return {
          workspaceId,
          repoFullName: event.pr.repoFullName,
          prNumber: event.pr.number,
          deliveryId: input.deliveryId,
          ...(named ? { found: named } : {}),
        };
      });
      const opened = event.kind === 'pull_request' && event.action === 'opened';
      handOver({ deliveryId: input.deliveryId, requests, shown, writesBefore, pr: state, opened });
      // An opened PR has no reconcile jobs yet (a redelivery that finds them is read and written as usual).
      await ports.queue.enqueueReconcile(requests, { expectNew: opened });
      log.info(
        {
          workspaces: workspaceIds.length,
          auto_registered: registered.length,
          unchanged: new Set(mappings.map((m) => m.workspaceId)).size - found.size,
        },
        'fan-out enqueued',
      );
      // The other workspaces are enqueued: a failed registration fails the job now, and its retry registers it (every
      // step again is idempotent; the reconciles enqueued again coalesce).
      if (failures.length > 0) throw new AggregateError(failures, 'auto-registration failed');
      return { workspaceIds };
    },
  };
}

/**
 * Whether the event can change what this index entry's workspace shows: anything shown can; a change of labels alone
 * only where a route chooses PRs by label; an event that changed nothing cannot (its workspaces already show the PR as
 * it is, or will with its next change).
 */
function mayShow(change: PrChange, mapping: RepoMapping): boolean {
  return change === 'shown' || (change === 'labels' && mapping.routesByLabel);
}

/** Per workspace, which of its subscriptions (the repo's, its account's) the index entries name. */
function foundSourcesOf(mappings: readonly RepoMapping[]): Map<string, FoundSources> {
  const found = new Map<string, FoundSources>();
  for (const m of mappings) {
    const sources = found.get(m.workspaceId) ?? { repo: false, account: false };
    if (isAccountTarget(m.repoFullName)) sources.account = true;
    else sources.repo = true;
    found.set(m.workspaceId, sources);
  }
  return found;
}

/** Index reads in flight, per subscriptions store, by this process's subscription writes when each began and repo. */
const readsInFlight = new WeakMap<PipelineSubscriptions, Map<string, Promise<IndexAnswer>>>();

/**
 * The index read, with this process's subscription writes when it began (see IndexAnswer). A read of the same repo
 * already in flight, begun after the same writes, is shared: a burst of deliveries for one repo (a backlog made due at
 * once, a busy monorepo) makes one query, not one each. The shared answer is at most one round trip older than a read
 * of its own would be (the subscribers read at ingress can be older than that); a subscription this process changed
 * since is never missed, as the read is then not shared.
 */
export function readIndex(subscriptions: PipelineSubscriptions, repoFullName: string): Promise<IndexAnswer> {
  const writesBefore = subscriptions.writesSoFar();
  let reads = readsInFlight.get(subscriptions);
  if (!reads) readsInFlight.set(subscriptions, (reads = new Map()));
  const key = `${writesBefore}#${repoFullName}`;
  const running = reads.get(key);
  if (running) return running;
  const read = subscriptions
    .workspacesForRepo(repoFullName)
    .then((mappings) => ({ mappings, writesBefore }))
    .finally(() => reads.delete(key));
  reads.set(key, read);
  return read;
}
