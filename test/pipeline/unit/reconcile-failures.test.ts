import { describe, expect, it } from 'vitest';
import { SlackCallError } from '../../../src/pipeline/ports.js';
import { createUnitPipeline, prEvent, REPO } from './unit-kit.js';

describe('reconcile on the in-memory ports: permanent and transient Slack failures', () => {
  it('a channel error disables the subscription and tells its subscriber once, however many PRs fail', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1', { createdBy: 'UALICE' });
    p.slack.fail({ method: 'postMessage', channel: 'CT1', code: 'is_archived', kind: 'channel', times: Infinity });
    const outcomes = await p.settle(prEvent('opened', { number: 1 }), prEvent('opened', { number: 2 }));
    expect(outcomes).toEqual(['channel_failed', 'disabled']);
    expect(await p.store.subscriptions.get('T1', REPO)).toMatchObject({
      enabled: false,
      disabledReason: 'is_archived',
    });
    const dms = p.slack.messagesIn('UALICE');
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toContain('the channel was archived');
    // Re-subscribed and failing again: told again.
    await p.addWorkspace('T1', { createdBy: 'UALICE' });
    await p.settle(prEvent('opened', { number: 3 }));
    expect(p.slack.messagesIn('UALICE')).toHaveLength(2);
  });

  it('an auto-registered subscription is disabled without a DM', async () => {
    const p = createUnitPipeline();
    p.tokens.set('T1', 'xoxb-T1');
    await p.store.subscriptions.autoRegister({
      workspaceId: 'T1',
      repoFullName: REPO,
      channelId: 'CT1',
      authorSlackUserId: 'UA',
      at: p.clock.now(),
    });
    p.slack.fail({ method: 'postMessage', code: 'channel_not_found', kind: 'channel' });
    expect(await p.settle(prEvent('opened'))).toEqual(['channel_failed']);
    expect(await p.store.subscriptions.get('T1', REPO)).toMatchObject({ enabled: false });
    expect(p.slack.calls.filter((c) => c.method === 'postMessage')).toHaveLength(1);
  });

  it('a token error uninstalls the workspace, and later PRs skip it quietly; other workspaces go on', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.addWorkspace('T2');
    p.slack.fail({ method: 'postMessage', channel: 'CT1', code: 'token_revoked', kind: 'token' });
    expect(await p.settle(prEvent('opened', { number: 1 }))).toEqual(['token_failed', 'changed']);
    expect(p.uninstalled).toEqual([{ workspaceId: 'T1', reason: 'token_revoked' }]);
    // Past T2's posting slot, so its next post goes at once.
    p.clock.advance(2_000);
    expect(await p.settle(prEvent('opened', { number: 2 }))).toEqual(['uninstalled', 'changed']);
    expect(p.messages('T1')).toEqual([]);
    expect(p.messages('T2')).toHaveLength(2);
  });

  it('a Slack 5xx is thrown for the queue to retry; the retry posts exactly one message', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    p.slack.fail({ method: 'postMessage', code: 'http_503', kind: 'transient' });
    await p.deliver(prEvent('opened'));
    const [key] = p.queue.pending();
    const failed = p.reconcilePending();
    await expect(failed).rejects.toBeInstanceOf(SlackCallError);
    expect(p.messages('T1')).toEqual([]);
    // No answer came: the post may still land, so the next run waits for it to settle, then looks, then posts.
    await p.queue.enqueueReconcile(key ? [key] : []);
    const outcomes = await p.settle();
    expect(outcomes).toEqual([{ wait: expect.objectContaining({ reason: 'post_claim' }) }, 'changed']);
    expect(p.messages('T1')).toHaveLength(1);
  });

  it('Slack accepted a post but answered 500: the next run adopts the message instead of posting twice', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    p.slack.fail({ method: 'postMessage', code: 'internal_error', kind: 'transient', landed: true });
    await p.deliver(prEvent('opened'));
    const [key] = p.queue.pending();
    await expect(p.reconcilePending()).rejects.toBeInstanceOf(SlackCallError);
    await p.queue.enqueueReconcile(key ? [key] : []);
    // Adopted (its rendering unknown, so brought up to date by an update), never posted a second time.
    expect(await p.settle()).toEqual(['changed']);
    expect(p.messages('T1')).toHaveLength(1);
    expect(p.slack.calls.map((c) => c.method)).toEqual(['postMessage', 'findTaggedMessage', 'updateMessage']);
  });

  it('ratelimited is a wait until Retry-After, then the post goes', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    p.slack.fail({ method: 'postMessage', code: 'ratelimited', kind: 'rate_limited', retryAfterMs: 30_000 });
    const start = p.clock.now().getTime();
    const outcomes = await p.settle(prEvent('opened'));
    expect(outcomes).toEqual([{ wait: expect.objectContaining({ reason: 'slack_rate_limited' }) }, 'changed']);
    const wait = outcomes[0];
    if (typeof wait !== 'object') throw new Error('expected a wait');
    expect(wait.wait.until.getTime() - start).toBeGreaterThanOrEqual(30_000);
    expect(p.messages('T1')).toHaveLength(1);
  });
});

describe('reconcile on the in-memory ports: private repositories', () => {
  it('a subscription proved only by the public check is suspended at the first private event, its subscriber told once', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1', { createdBy: 'UALICE' });
    const outcomes = await p.settle(
      prEvent('opened', { repoPrivate: true, number: 1 }),
      prEvent('opened', { repoPrivate: true, number: 2 }),
    );
    expect(outcomes).toEqual(['repo_private', 'disabled']);
    expect(p.messages('T1')).toEqual([]);
    expect(await p.store.subscriptions.get('T1', REPO)).toMatchObject({
      enabled: false,
      disabledReason: 'repo_private',
    });
    expect(p.slack.messagesIn('UALICE')).toHaveLength(1);
  });

  it('a subscription with a GitHub user’s access proof gets the private PR', async () => {
    const p = createUnitPipeline();
    p.tokens.set('T1', 'xoxb-T1');
    await p.store.subscriptions.subscribe({
      workspaceId: 'T1',
      repoFullName: REPO,
      channelId: 'CT1',
      actor: 'U1',
      at: p.clock.now(),
      access: { kind: 'github_user', githubUserId: 5 },
    });
    expect(await p.settle(prEvent('opened', { repoPrivate: true }))).toEqual(['changed']);
    expect(p.messages('T1')).toHaveLength(1);
  });
});
