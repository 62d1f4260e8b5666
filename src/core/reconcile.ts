import { SlackCallError, type MessageKey, type PipelinePorts, type ReconcileKey } from './ports.js';
import { lacksAccessProof, suspendForPrivateRepo } from './private-repo-guard.js';
import { tellSubscriber } from './subscriber-notice.js';
import { createMessageSync, type SyncOutcome } from './sync-message.js';

export type ReconcileOutcome =
  | SyncOutcome | 'not_announced' | 'not_subscribed' | 'disabled' | 'repo_private' | 'uninstalled' | 'channel_failed' | 'token_failed';

/**
 * Brings one workspace's Slack message of one PR up to date with the PR state (see sync-message.ts).
 * Idempotent: a retry or a duplicate job converges on the same end state. Transient Slack failures are thrown
 * (the job retries); permanent ones stop this subscription or skip the workspace, and are not retried.
 */
export function createReconciler(ports: PipelinePorts, options: { owner: string; claimStaleMs: number; postIntervalMs: number }) {
  const messages = createMessageSync(ports, options);

  async function reconcile(key: ReconcileKey): Promise<ReconcileOutcome> {
    const log = ports.log.child({ team_id: key.teamId, repo: key.repoFullName, pr: key.prNumber });
    const pr = await ports.prStates.get(key.repoFullName, key.prNumber);
    if (!pr) return 'not_announced';
    const subscription = await ports.subscriptions.get(key.teamId, key.repoFullName);
    if (!subscription) return 'not_subscribed';
    if (!subscription.enabled) return 'disabled';
    // Before anything is posted, and even for a PR not announced yet: the first private event suspends it.
    if (lacksAccessProof({ pr, subscription })) {
      await suspendForPrivateRepo({ ports, subscription, log });
      return 'repo_private';
    }
    if (!pr.announced) return 'not_announced';
    const token = await ports.botToken(key.teamId);
    if (!token) {
      // Expected after an uninstall (which is audit-logged once): an audit entry per PR event would be noise.
      log.info({}, 'workspace not installed; skipped');
      return 'uninstalled';
    }
    const messageKey: MessageKey = { ...key, channelId: subscription.channelId };
    try {
      return await messages.sync({ pr, token, key: messageKey, log });
    } catch (err) {
      if (!(err instanceof SlackCallError) || (err.kind !== 'channel' && err.kind !== 'token')) throw err;
      log.warn({ code: err.code, channel: messageKey.channelId }, 'permanent Slack failure, not retried');
      if (err.kind === 'token') {
        // Like Slack's own tokens_revoked: later jobs skip the workspace quietly until it is reinstalled.
        await ports.tokenRejected({ teamId: key.teamId, token, reason: err.code });
        return 'token_failed';
      }
      // Claimed before disabling: of several jobs failing on one channel at once, exactly one tells the subscriber.
      const tell = subscription.createdBy !== 'auto' && (await ports.notices.claim({ ...messageKey, reason: err.code, now: ports.now() }));
      await ports.subscriptions.setEnabled({
        teamId: key.teamId, repoFullName: key.repoFullName, enabled: false, reason: err.code, actor: 'system', at: ports.now(),
      });
      if (tell) await tellSubscriber({ ports, token, subscription, reason: err.code, log });
      return 'channel_failed';
    }
  }

  return { reconcile };
}
