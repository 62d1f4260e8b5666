import type { PrState } from './pr-state.js';
import { diffReactions, toDesiredReactions } from './reactions.js';
import { renderPrMessage, toRenderHash } from './render-message.js';
import { SlackCallError, type LogPort, type MessageKey, type PipelinePorts, type ReconcileKey, type TrackedMessage } from './ports.js';

export type ReconcileOutcome =
  | 'not_announced' | 'not_subscribed' | 'disabled' | 'uninstalled' | 'draft'
  | 'in_sync' | 'changed' | 'channel_failed' | 'token_failed';

/** Another job holds the right to post this message; try again shortly. */
export class PostInProgressError extends Error {
  readonly retryAfterMs = 1_000;
  constructor() {
    super('another job is posting this message');
  }
}

/**
 * Makes one workspace's Slack message match the PR state: post once, update only when the rendering changed,
 * and add / remove reactions to match. Idempotent: a retry or a duplicate job converges on the same end state.
 * Transient Slack failures are thrown (the job retries); permanent ones stop this subscription or workspace.
 */
export function createReconciler(ports: PipelinePorts, options: { owner: string; claimStaleMs: number }) {
  async function reconcile(key: ReconcileKey): Promise<ReconcileOutcome> {
    const log = ports.log.child({ team_id: key.teamId, repo: key.repoFullName, pr: key.prNumber });
    const pr = await ports.prStates.get(key.repoFullName, key.prNumber);
    if (!pr || !pr.announced) return 'not_announced';
    const subscription = await ports.subscriptions.get(key.teamId, key.repoFullName);
    if (!subscription) return 'not_subscribed';
    if (!subscription.enabled) return 'disabled';
    const token = await ports.botToken(key.teamId);
    if (!token) {
      await audit(key, 'pipeline.skip_uninstalled', 'workspace not installed');
      return 'uninstalled';
    }
    const messageKey: MessageKey = { ...key, channelId: subscription.channelId };
    try {
      return await sync({ pr, token, key: messageKey, log });
    } catch (err) {
      if (!(err instanceof SlackCallError) || (err.kind !== 'channel' && err.kind !== 'token')) throw err;
      log.warn({ code: err.code, channel: messageKey.channelId }, 'permanent Slack failure, not retried');
      if (err.kind === 'token') {
        await audit(key, 'pipeline.token_rejected', err.code);
        return 'token_failed';
      }
      await ports.subscriptions.setEnabled({
        teamId: key.teamId, repoFullName: key.repoFullName, enabled: false, reason: err.code, actor: 'system', at: ports.now(),
      });
      return 'channel_failed';
    }
  }

  async function sync(input: { pr: PrState; token: string; key: MessageKey; log: LogPort }): Promise<ReconcileOutcome> {
    const { pr, token, key, log } = input;
    const mention = await ports.users.findInTeamByGithubId(key.teamId, pr.authorId);
    const rendered = renderPrMessage({ pr, authorMention: mention ? `<@${mention.slackUserId}>` : null });
    const hash = toRenderHash(rendered);
    const channel = key.channelId;

    let message: TrackedMessage | null;
    let changed = false;
    if (pr.draft) {
      message = await ports.tracked.get(key);
      if (!message || message.ts === null) return 'draft';
    } else {
      const claim = await ports.tracked.claimPost({ key, owner: options.owner, now: ports.now(), staleAfterMs: options.claimStaleMs });
      if (claim.outcome === 'busy') throw new PostInProgressError();
      if (claim.outcome === 'claimed') {
        const posted = await ports.slack.postMessage({ token, channel, ...rendered }).catch(async (err: unknown) => {
          await ports.tracked.releaseClaim({ key, owner: options.owner });
          throw err;
        });
        await ports.tracked.recordPosted({ key, ts: posted.ts, renderHash: hash, now: ports.now() });
        log.info({ channel, ts: posted.ts }, 'PR message posted');
        message = { ...key, ts: posted.ts, renderHash: hash, reactions: [] };
        changed = true;
      } else {
        message = claim.message;
      }
    }
    const ts = message.ts ?? '';
    if (message.renderHash !== hash) {
      await ports.slack.updateMessage({ token, channel, ts, ...rendered });
      await ports.tracked.update({ key, renderHash: hash, now: ports.now() });
      changed = true;
    }
    const { add, remove } = diffReactions({ desired: toDesiredReactions(pr), current: message.reactions });
    if (add.length + remove.length > 0) {
      const reactions = new Set(message.reactions);
      try {
        for (const name of remove) {
          await ports.slack.removeReaction({ token, channel, ts, name });
          reactions.delete(name);
        }
        for (const name of add) {
          await ports.slack.addReaction({ token, channel, ts, name });
          reactions.add(name);
        }
      } finally {
        // Record what Slack now really shows, even when a later call failed, so a retry does only the rest.
        await ports.tracked.update({ key, reactions: [...reactions], now: ports.now() });
      }
      changed = true;
    }
    return changed ? 'changed' : 'in_sync';
  }

  async function audit(key: ReconcileKey, action: string, reason: string): Promise<void> {
    await ports.audit.record({
      teamId: key.teamId, actor: 'system', action, target: key.repoFullName, at: ports.now(),
      details: { pr_number: key.prNumber, reason },
    });
  }

  return { reconcile };
}
