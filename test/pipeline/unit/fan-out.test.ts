import { describe, expect, it } from 'vitest';
import type { RepoMapping } from '../../../src/domain/subscription.js';
import { createReadAhead } from '../../../src/pipeline/read-ahead.js';
import { createUnitPipeline, prEvent, REPO, reviewEvent } from './unit-kit.js';

describe('fan-out on the in-memory ports', () => {
  it('folds the event and enqueues one reconcile per subscribed workspace, coalescing a burst', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.addWorkspace('T2');
    expect(await p.deliver(prEvent('opened'))).toEqual({ workspaceIds: ['T1', 'T2'] });
    await p.deliver(prEvent('edited', { title: 'Renamed' }));
    await p.deliver(reviewEvent('approved'));
    // Three deliveries, two workspaces: two pending reconciles, each of which sees all three events.
    expect(p.queue.pending().map((k) => k.workspaceId)).toEqual(['T1', 'T2']);
    expect(await p.ports.prStates.get(REPO, 7)).toMatchObject({ title: 'Renamed', announced: true });
  });

  it('auto-registers the verified author’s workspace for a ready PR, not for a draft', async () => {
    const p = createUnitPipeline();
    await p.store.users.linkGithub({
      workspaceId: 'TA',
      slackUserId: 'UAUTHOR',
      githubUserId: 1,
      githubLogin: 'octocat',
      at: p.clock.now(),
    });
    await p.store.users.setDefaultChannel({
      workspaceId: 'TA',
      slackUserId: 'UAUTHOR',
      channelId: 'CTA',
      at: p.clock.now(),
    });
    expect(await p.deliver(prEvent('opened', { draft: true }))).toEqual({ workspaceIds: [] });
    expect(await p.store.subscriptions.get('TA', REPO)).toBeNull();
    expect(await p.deliver(prEvent('ready_for_review'))).toEqual({ workspaceIds: ['TA'] });
    expect(await p.store.subscriptions.get('TA', REPO)).toMatchObject({ channelId: 'CTA', createdBy: 'auto' });
    // Subscribed meanwhile, not named by the index the fan-out read: its run reads every subscription of the repo.
    expect(p.queue.pending()).toEqual([{ workspaceId: 'TA', repoFullName: REPO, prNumber: 7 }]);
  });

  it('tells each reconcile which subscriptions the index named, so its run reads only those', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    p.tokens.set('T2', 'xoxb-T2');
    await p.store.subscriptions.subscribe({
      workspaceId: 'T2',
      repoFullName: 'octo-org/*',
      channelId: 'CALL',
      actor: 'U1',
      at: p.clock.now(),
    });
    await p.deliver(prEvent('opened'));
    expect(p.queue.pending()).toEqual([
      { workspaceId: 'T1', repoFullName: REPO, prNumber: 7, found: { repo: true, account: false } },
      { workspaceId: 'T2', repoFullName: REPO, prNumber: 7, found: { repo: false, account: true } },
    ]);
    // Each workspace's message is posted where the subscription the index named routes it.
    await p.reconcilePending();
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CALL')).toHaveLength(1);
  });

  it('takes the subscribers read at ingress instead of asking the index again; a failed read is asked again', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    const ahead = createReadAhead<RepoMapping[]>({ keepMs: 60_000, now: () => 0 });
    p.ports.mappingsAhead = ahead;
    // The ingress read said TAHEAD (only): the fan-out goes by it.
    ahead.start('d-1', async () => [
      { repoFullName: REPO, workspaceId: 'TAHEAD', createdAt: new Date(0), routesByLabel: false },
    ]);
    expect(await p.deliver(prEvent('opened'))).toEqual({ workspaceIds: ['TAHEAD'] });
    ahead.start('d-2', () => Promise.reject(new Error('unavailable')));
    expect(await p.deliver(prEvent('edited', { title: 'Renamed' }))).toEqual({ workspaceIds: ['T1'] });
  });
});
