import { isAccountTarget, routesOfSources, type SourcedRoute } from '../../domain/account-subscription.js';
import { matchesFilters } from '../../domain/route-filters.js';
import type { Route, Subscription } from '../../domain/subscription.js';
import {
  SlackCallError,
  type LogPort,
  type MessageKey,
  type PipelinePorts,
  type ReconcileKey,
  handoverKey,
  type ReconcileRequest,
  type RunLease,
  type WaitRequest,
} from '../ports.js';
import type { PrState } from './pr-state.js';
import { lacksAccessProof, provenSources, suspendForPrivateRepo, withPrivateAccess } from './private-repo-guard.js';
import { tellSubscriber } from './subscriber-notice.js';
import { createFollowUps, type PostedMessage } from './follow-ups.js';
import { createRecordBook, type RecordBook } from './record-book.js';
import { toWaitRequest } from './waits.js';
import type { Rendering } from './render-message.js';
import { createMessageSync, type MessageReads, type SyncOutcome } from './sync-message.js';

export type ReconcileOutcome =
  | SyncOutcome
  | 'not_announced'
  | 'not_subscribed'
  | 'disabled'
  | 'repo_private'
  | 'uninstalled'
  | 'filtered'
  | 'route_removed'
  | 'channel_failed'
  | 'token_failed';

/** The routes whose filters the PR passes now. A route it stopped passing keeps its message as it is. */
export function matchingRoutes(routes: SourcedRoute[], pr: PrState): SourcedRoute[] {
  const subject = {
    labels: pr.labels ?? [],
    baseRef: pr.baseRef,
    authorLogin: pr.authorLogin,
    authorIsBot: pr.authorIsBot ?? false,
  };
  return routes.filter(({ route }) => matchesFilters(route.filters, subject));
}

/**
 * Brings one workspace's Slack messages of one PR up to date with the PR state (see sync-message.ts), one per
 * route (channel) whose filters the PR passes: the first time it passes them, it is posted there.
 * Idempotent: a retry or a duplicate job converges on the same end state. Transient Slack failures are thrown
 * (the job retries); permanent ones stop this subscription or skip the workspace, and are not retried. Slack's rate
 * limit, the channel's posting slot and another run's post claim are waits, returned for the queue (routes already
 * in sync cost one read on the next run).
 */
export function createReconciler(ports: PipelinePorts, options: { owner: string }) {
  const messages = createMessageSync(ports, options);
  const followUps = createFollowUps(ports, options);

  async function reconcile(request: ReconcileRequest, run: RunLease): Promise<ReconcileOutcome | WaitRequest> {
    const { found, deliveryId, ...key } = request;
    const log = ports.log.child({ team_id: key.workspaceId, repo: key.repoFullName, pr: key.prNumber });
    // One round trip for the three reads every post needs (the token is almost always needed: fan-out enqueues only
    // subscribed workspaces). In the first run after this instance's fan-out, what the fan-out had stands in for them.
    const handed = deliveryId === undefined ? undefined : ports.handedOver?.take(handoverKey({ ...key, deliveryId }));
    // The fold's PR state stands in for a read in the job's first version only: no other fan-out's enqueue reached
    // the job before this run (an event folded after this state runs the job again when its enqueue lands). A later
    // version may come from a fan-out whose fold this state lacks, and whose enqueue will not run the job again.
    const first = handed && run.version === 1 ? handed : undefined;
    // Handed the routes, each one's message (and its channel's slots) is read in the same round trip as the PR state.
    const ahead = handed?.sources
      ? readMessagesAhead(key, handed.sources, { opened: first?.opened === true })
      : new Map<string, MessageReads>();
    const [pr, sources, token] = await Promise.all([
      first?.pr ?? ports.prStates.get(key.repoFullName, key.prNumber),
      handed?.sources ?? ports.subscriptions.sourcesForRepo(key.workspaceId, key.repoFullName, found),
      ports.botToken(key.workspaceId),
    ]);
    if (!pr) return 'not_announced';
    if (sources.length === 0) return 'not_subscribed';
    const own = sources.find((s) => !isAccountTarget(s.repoFullName));
    // Before anything is posted, and even for a PR not announced yet: the first private event suspends a repo's own
    // subscription. An account's is never suspended for it: its routes post a private repo only where the verified user
    // who proved it can read that repo (withPrivateAccess), and its public repos go on either way.
    if (own?.enabled && lacksAccessProof({ pr, subscription: own })) {
      await suspendForPrivateRepo({ ports, subscription: own, log });
      return 'repo_private';
    }
    const proven = provenSources(pr, sources);
    if (proven.length === 0) return sources.some((s) => s.enabled) ? 'repo_private' : 'disabled';
    if (!pr.announced) return 'not_announced';
    const usable = await withPrivateAccess({
      sources: proven,
      pr,
      canRead: (repoFullName, githubUserId) =>
        ports.privateRepoAccess.canRead({ workspaceId: key.workspaceId, repoFullName, githubUserId }),
    });
    if (usable.length === 0) return 'repo_private';
    const routes = matchingRoutes(
      routesOfSources(sources, (s) => usable.includes(s)),
      pr,
    );
    if (routes.length === 0) return 'filtered';
    if (!token) {
      // Expected after an uninstall (which is audit-logged once): an audit entry per PR event would be noise.
      log.info({}, 'workspace not installed; skipped');
      return 'uninstalled';
    }
    // Rendered (the author's mention looked up) while the first route reads its message; awaited where it is used.
    const rendering = messages.render(key.workspaceId, pr);
    rendering.catch(() => undefined);
    const outcomes: ReconcileOutcome[] = [];
    const posted: PostedMessage[] = [];
    // Each message's record is written once, when the run ends however it ends (see record-book.ts).
    const records = createRecordBook({ tracked: ports.tracked, now: ports.now });
    try {
      for (const { route, source } of routes) {
        const outcome = await syncRoute({
          key,
          route,
          pr,
          token,
          subscription: source,
          run,
          log,
          rendering,
          posted,
          records,
          ahead: ahead.get(route.channelId),
        });
        // A wait or a failure that stopped the subscription ends this run; a later run picks up the rest.
        if (typeof outcome === 'object' || outcome === 'channel_failed') return outcome;
        outcomes.push(outcome);
      }
      // Replies and DMs once the messages they follow are in place.
      const followed = await followUps.send({ key, pr, token, posted, leaseToken: run.leaseToken, log, records });
      if (typeof followed === 'object') return followed;
      outcomes.push(followed);
    } catch (err) {
      if (!(err instanceof SlackCallError) || err.kind !== 'token') throw err;
      return tokenRefused({ key, token, code: err.code, log });
    } finally {
      await records.flush();
    }
    return outcomes.find((o) => o === 'changed') ?? outcomes[0] ?? 'in_sync';
  }

  /**
   * The message of each route the enabled subscriptions have, and its channel's slots, read at once. A PR this job's
   * first version was enqueued for as it opened has no messages yet: none is read, and the post claim creates the
   * record (one a redelivery's run left makes the claim read it: see TrackedMessageStore.claimPost).
   */
  function readMessagesAhead(
    key: ReconcileKey,
    sources: Subscription[],
    options: { opened: boolean },
  ): Map<string, MessageReads> {
    const reads = new Map<string, MessageReads>();
    for (const { route } of routesOfSources(sources, (s) => s.enabled)) {
      const messageKey: MessageKey = { ...key, channelId: route.channelId };
      const message = options.opened ? Promise.resolve(null) : ports.tracked.get(messageKey);
      const read = { message, slot: ports.postSlots.readAhead(messageKey) };
      // A route the run then skips (filtered, private) leaves its reads unawaited; a failed one is read again.
      read.message.catch(() => undefined);
      read.slot.catch(() => undefined);
      reads.set(route.channelId, read);
    }
    return reads;
  }

  /**
   * Slack refused the bot token for good. Usually the workspace uninstalled the app: later jobs then skip it quietly
   * until it is reinstalled (like Slack's own tokens_revoked). But the token came from a read up to a minute old: if a
   * reinstall has replaced it meanwhile, the run goes again at once with the new one.
   */
  async function tokenRefused(input: {
    key: ReconcileKey;
    token: string;
    code: string;
    log: LogPort;
  }): Promise<ReconcileOutcome | WaitRequest> {
    const { key, token, code, log } = input;
    const verdict = await ports.tokenRejected({ workspaceId: key.workspaceId, token, reason: code });
    if (verdict === 'replaced') {
      log.info({ code }, 'Slack refused a bot token a reinstall has replaced; running again with the new one');
      return { wait: { until: ports.now(), reason: 'token_replaced' } };
    }
    log.warn({ code }, 'permanent Slack failure, not retried');
    return 'token_failed';
  }

  async function syncRoute(input: {
    key: ReconcileKey;
    route: Route;
    pr: PrState;
    token: string;
    /** The subscription the route belongs to (the repo's, or its account's): a failure acts on that one. */
    subscription: Subscription;
    run: RunLease;
    log: LogPort;
    rendering: Promise<Rendering>;
    /** Collects the route's message once it is in the channel (its thread gets the PR's activity). */
    posted: PostedMessage[];
    records: RecordBook;
    ahead: MessageReads | undefined;
  }): Promise<ReconcileOutcome | WaitRequest> {
    const { key, route, pr, token, subscription, run, log, rendering } = input;
    const messageKey: MessageKey = { ...key, channelId: route.channelId };
    try {
      const result = await messages.sync({
        pr,
        token,
        key: messageKey,
        log,
        leaseToken: run.leaseToken,
        postDrafts: route.filters.drafts,
        rendering,
        records: input.records,
        ...(input.ahead ? { ahead: input.ahead } : {}),
      });
      if ('wait' in result) return result;
      if (result.message) input.posted.push({ channelId: route.channelId, message: result.message });
      return result.outcome;
    } catch (err) {
      const wait = toWaitRequest(err, ports.now());
      if (wait) {
        log.info({ reason: wait.wait.reason, until: wait.wait.until }, 'waiting');
        return wait;
      }
      // A refused token is the whole run's (see tokenRefused).
      if (!(err instanceof SlackCallError) || err.kind !== 'channel') throw err;
      log.warn({ code: err.code, channel: messageKey.channelId }, 'permanent Slack failure, not retried');
      // One dead channel of several leaves the routes; the others keep posting. The last one pauses the subscription.
      const removed = await ports.subscriptions.removeFailedRoute({
        workspaceId: key.workspaceId,
        repoFullName: subscription.repoFullName,
        channelId: route.channelId,
        reason: err.code,
        at: ports.now(),
      });
      if (removed !== 'last') {
        log.info({ code: err.code, channel: route.channelId }, 'channel removed from the repo’s routes');
        return 'route_removed';
      }
      // Claimed before disabling: of several jobs failing on one channel at once, exactly one tells the subscriber.
      const tell =
        subscription.createdBy !== 'auto' &&
        (await ports.notices.claim({
          ...messageKey,
          repoFullName: subscription.repoFullName,
          reason: err.code,
          now: ports.now(),
        }));
      await ports.subscriptions.setEnabled({
        workspaceId: key.workspaceId,
        repoFullName: subscription.repoFullName,
        enabled: false,
        reason: err.code,
        actor: 'system',
        at: ports.now(),
      });
      if (tell) await tellSubscriber({ ports, token, subscription, reason: err.code, log });
      return 'channel_failed';
    }
  }

  return { reconcile };
}
