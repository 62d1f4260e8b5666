import { describe, expect, it } from 'vitest';
import { createUnitPipeline, later, prEvent, REPO, reviewEvent } from './unit-kit.js';
import { POST_INTERVAL_MS, POST_RETURN_EARLY_MS } from '../../../src/pipeline/core/pacing.js';

describe('message sync on the in-memory ports', () => {
  it('a burst of events ends in one message with the latest title and reactions, in few Slack calls', async () => {
    const p = createUnitPipeline();
    // Threads off: everything stays in the parent message (follow-ups.test.ts has the thread).
    await p.addWorkspace('T1', { threads: false });
    const outcomes = await p.settle(
      prEvent('opened'),
      prEvent('edited', { title: 'Second title' }),
      reviewEvent('approved'),
      prEvent('edited', { title: 'Final title' }),
    );
    expect(outcomes).toEqual(['changed']);
    const [message, ...others] = p.messages('T1');
    expect(others).toEqual([]);
    expect(message?.text).toContain('Final title');
    expect(message?.reactions).toEqual(['white_check_mark']);
    // One post and one reaction: the burst coalesced into one reconcile, with no chat.update at all.
    expect(p.slack.calls.map((c) => c.method)).toEqual(['postMessage', 'addReaction']);
  });

  it('events out of order converge on what the newest says: merged, approved, current title', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    const opened = prEvent('opened', { title: 'Old title' });
    const approved = reviewEvent('approved');
    const merged = prEvent('closed', { title: 'Merged title', state: 'closed', merged: true });
    // GitHub delivers the merge first, the opening last.
    await p.settle(merged, approved);
    expect(p.messages('T1')).toEqual([]);
    await p.settle(opened);
    const [message] = p.messages('T1');
    expect(message?.text).toContain('Merged title');
    expect(message?.reactions.sort()).toEqual(['tada', 'white_check_mark']);
    // A late redelivery of the opening changes nothing in Slack: it changes nothing in the PR, so no job even runs.
    const before = p.slack.calls.length;
    expect(await p.settle(opened)).toEqual([]);
    expect(p.slack.calls.length).toBe(before);
  });

  it('a merge that changes the message and its reactions records both in one write', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1', { threads: false });
    await p.settle(prEvent('opened'));
    const writes: Array<{ renderHash?: string; reactions?: string[] }> = [];
    const update = p.ports.tracked.update.bind(p.ports.tracked);
    p.ports.tracked.update = async (input) => {
      writes.push({
        ...(input.renderHash ? { renderHash: input.renderHash } : {}),
        ...(input.reactions ? { reactions: input.reactions } : {}),
      });
      return update(input);
    };
    await p.settle(prEvent('closed', { state: 'closed', merged: true }));
    expect(p.slack.calls.map((c) => c.method)).toEqual(['postMessage', 'updateMessage', 'addReaction']);
    expect(writes).toEqual([{ renderHash: expect.any(String), reactions: ['tada'] }]);
    // What was recorded is what Slack shows: a redelivery changes nothing.
    expect(await p.settle(prEvent('closed', { state: 'closed', merged: true }))).toEqual(['in_sync']);
  });

  it('with threads on, a merge records its new rendering, its reaction and its thread reply in one write', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.settle(prEvent('opened'));
    // Past the channel's posting interval: the reply goes in the same run.
    p.clock.advance(POST_INTERVAL_MS);
    const writes: Array<{ channelId: string; fields: string[] }> = [];
    const update = p.ports.tracked.update.bind(p.ports.tracked);
    p.ports.tracked.update = async (input) => {
      const fields = (['renderHash', 'reactions', 'followUpIds'] as const).filter((f) => input[f] !== undefined);
      writes.push({ channelId: input.key.channelId, fields });
      return update(input);
    };
    await p.settle(prEvent('closed', { state: 'closed', merged: true }));
    expect(p.slack.calls.slice(1).map((c) => c.method)).toEqual(['updateMessage', 'addReaction', 'postMessage']);
    expect(writes).toEqual([{ channelId: 'CT1', fields: ['renderHash', 'reactions', 'followUpIds'] }]);
  });

  it('what a run changed in Slack is recorded even when a later call fails: the retry does only the rest', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.settle(prEvent('opened'));
    p.clock.advance(POST_INTERVAL_MS);
    p.slack.fail({ method: 'postMessage', code: 'internal_error', kind: 'transient' });
    await p.deliver(prEvent('closed', { state: 'closed', merged: true }));
    const [key] = p.queue.pending();
    await expect(p.reconcilePending()).rejects.toThrow('internal_error');
    await p.queue.enqueueReconcile(key ? [key] : []);
    const before = p.slack.calls.length;
    expect((await p.settle()).at(-1)).toBe('changed');
    // The retry waits for the reply that may have landed and looks for it, then posts it: the message's update and
    // reaction are not made again.
    const retried = p.slack.calls.slice(before).map((c) => c.method);
    expect(retried).not.toContain('updateMessage');
    expect(retried).not.toContain('addReaction');
    expect(retried.filter((m) => m === 'postMessage')).toHaveLength(1);
    const [parent] = p.messages('T1');
    expect(parent?.reactions).toEqual(['tada']);
    expect(p.slack.repliesIn('CT1', parent?.ts ?? '')).toHaveLength(1);
  });

  it('a rendering that fails after the post claim was taken gives the claim back: the retry posts at once', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    const users = p.ports.users;
    let failing = true;
    p.ports.users = {
      ...users,
      findInWorkspaceByGithubId: async (...args) => {
        if (failing) throw new Error('users unavailable');
        return users.findInWorkspaceByGithubId(...args);
      },
    };
    await p.deliver(prEvent('opened'));
    const [key] = p.queue.pending();
    await expect(p.reconcilePending()).rejects.toThrow('users unavailable');
    failing = false;
    await p.queue.enqueueReconcile(key ? [key] : []);
    // No wait for a post that might have been sent (nothing was): only for the channel's next posting slot, which
    // the first run booked with its claim.
    const outcomes = await p.settle();
    expect(outcomes.at(-1)).toBe('changed');
    expect(outcomes.flatMap((o) => (typeof o === 'object' ? [o.wait.reason] : []))).not.toContain('post_claim');
    expect(p.messages('T1')).toHaveLength(1);
  });

  it('a draft is not posted; once ready it is, and only then', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    expect(await p.settle(prEvent('opened', { draft: true }))).toEqual(['draft']);
    expect(p.messages('T1')).toEqual([]);
    expect(await p.settle(prEvent('ready_for_review', { draft: false }))).toEqual(['changed']);
    expect(p.messages('T1')).toHaveLength(1);
    // Back to draft after posting: the message stays and is updated, not deleted or posted again.
    await p.settle(prEvent('converted_to_draft', { draft: true }));
    expect(p.messages('T1')).toHaveLength(1);
  });

  it('a message a person deleted stays deleted: never updated or posted again', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.settle(prEvent('opened'));
    const [posted] = p.messages('T1');
    p.slack.deleteByPerson('CT1', posted?.ts ?? '');
    expect(await p.settle(prEvent('edited', { title: 'After deletion' }))).toEqual(['message_deleted']);
    expect(await p.settle(prEvent('closed', { state: 'closed', merged: true, updatedAt: later() }))).toEqual([
      'message_deleted',
    ]);
    expect(p.messages('T1')).toEqual([]);
    expect(p.logs.some((l) => l.msg === 'PR message was deleted in Slack; no longer updated')).toBe(true);
  });

  it('posts in several channels of one burst each once, and paces one channel one post at a time', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.addWorkspace('T2');
    const outcomes = await p.settle(...[1, 2, 3].map((number) => prEvent('opened', { number })));
    // Run one after another, each PR finds its channel's next slot an interval off: it waits for it in its run
    // rather than through the queue.
    expect(outcomes.filter((o) => typeof o === 'object')).toEqual([]);
    for (const team of ['T1', 'T2']) {
      const messages = p.messages(team);
      expect(messages.map((m) => m.text.match(/#(\d+)/)?.[1])).toEqual(['1', '2', '3']);
      const times = messages.map((m) => m.postedAt.getTime());
      expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual([POST_INTERVAL_MS, POST_INTERVAL_MS]);
    }
  });

  it('a post whose slot is further off waits through the queue, back a little early, and posts at its slot', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.settle(prEvent('opened', { number: 1 }));
    const first = p.messages('T1')[0]?.postedAt.getTime() ?? 0;
    // Posts of two other PRs booked the channel's next two slots (on another instance, say).
    for (const prNumber of [8, 9]) {
      const key = { workspaceId: 'T1', channelId: 'CT1', repoFullName: REPO, prNumber };
      await p.ports.postSlots.take({ key, now: p.clock.now, intervalMs: POST_INTERVAL_MS, holdMs: 0 });
    }
    const outcomes = await p.settle(prEvent('opened', { number: 2 }));
    const slot = first + 3 * POST_INTERVAL_MS;
    expect(outcomes[0]).toMatchObject({ wait: { reason: 'post_slot', until: new Date(slot - POST_RETURN_EARLY_MS) } });
    expect(p.messages('T1').map((m) => [m.text.match(/#(\d+)/)?.[1], m.postedAt.getTime()])).toEqual([
      ['1', first],
      ['2', slot],
    ]);
  });

  it('reactions follow the reviews: a change request replaced by an approval, a close without merge', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.settle(prEvent('opened'), reviewEvent('changes_requested', { id: 1 }));
    expect(p.messages('T1')[0]?.reactions).toEqual(['arrows_counterclockwise']);
    await p.settle(reviewEvent('approved', { id: 2 }));
    expect(p.messages('T1')[0]?.reactions).toEqual(['white_check_mark']);
    await p.settle(prEvent('closed', { state: 'closed', merged: false }));
    expect(p.messages('T1')[0]?.reactions.sort()).toEqual(['white_check_mark', 'x']);
  });

  it('a reaction call failing halfway is retried for the rest only', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1', { threads: false });
    await p.settle(prEvent('opened'), reviewEvent('changes_requested', { id: 1 }));
    p.slack.fail({ method: 'addReaction', code: 'internal_error', kind: 'transient' });
    await p.deliver(reviewEvent('approved', { id: 2 }));
    const [key] = p.queue.pending();
    await expect(p.reconcilePending()).rejects.toThrow('internal_error');
    // The old reaction is gone already, and that is recorded: the retry only adds the new one.
    expect(p.messages('T1')[0]?.reactions).toEqual([]);
    await p.queue.enqueueReconcile(key ? [key] : []);
    const before = p.slack.calls.length;
    expect(await p.settle()).toEqual(['changed']);
    expect(p.slack.calls.slice(before).map((c) => c.method)).toEqual(['addReaction']);
    expect(p.messages('T1')[0]?.reactions).toEqual(['white_check_mark']);
  });
});
