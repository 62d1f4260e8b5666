import { describe, expect, it } from 'vitest';
import type { IndexAnswer } from '../../../src/pipeline/ports.js';
import { createReadAhead } from '../../../src/pipeline/read-ahead.js';
import { createFanOut } from '../../../src/pipeline/core/fan-out.js';
import { HANDOVER_KEEP_MS } from '../../support/pipeline-doubles/memory-pipeline.js';
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
    await p.addVerifiedAuthor('TA');
    expect(await p.deliver(prEvent('opened', { draft: true }))).toEqual({ workspaceIds: [] });
    expect(await p.store.subscriptions.get('TA', REPO)).toBeNull();
    expect(await p.deliver(prEvent('ready_for_review'))).toEqual({ workspaceIds: ['TA'] });
    expect(await p.store.subscriptions.get('TA', REPO)).toMatchObject({ channelId: 'CTA', createdBy: 'auto' });
    // Subscribed meanwhile, not named by the index the fan-out read: its run reads every subscription of the repo.
    expect(p.queue.pending()).toEqual([{ workspaceId: 'TA', repoFullName: REPO, prNumber: 7, deliveryId: 'd-2' }]);
  });

  it('one workspace whose auto-registration fails does not hold up the others: they are enqueued, then it is retried', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.addVerifiedAuthor('TA');
    const { subscriptions } = p.store;
    const autoRegister = subscriptions.autoRegister;
    subscriptions.autoRegister = () => Promise.reject(new Error('14 UNAVAILABLE: injected'));
    // The job fails (so the queue retries the registration), after T1's reconcile was enqueued.
    await expect(p.deliver(prEvent('opened'))).rejects.toThrow('auto-registration failed');
    expect(p.queue.pending().map((k) => k.workspaceId)).toEqual(['T1']);
    subscriptions.autoRegister = autoRegister;
    // The retry: T1 already has its reconcile (the event changes nothing more there), TA is registered and enqueued.
    expect(await p.deliver(prEvent('opened'))).toEqual({ workspaceIds: ['TA'] });
    expect(p.queue.pending().map((k) => k.workspaceId)).toEqual(['T1', 'TA']);
    expect(await p.store.subscriptions.get('TA', REPO)).toMatchObject({ channelId: 'CTA', createdBy: 'auto' });
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
      { workspaceId: 'T1', repoFullName: REPO, prNumber: 7, deliveryId: 'd-1', found: { repo: true, account: false } },
      { workspaceId: 'T2', repoFullName: REPO, prNumber: 7, deliveryId: 'd-1', found: { repo: false, account: true } },
    ]);
    // Each workspace's message is posted where the subscription the index named routes it.
    await p.reconcilePending();
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CALL')).toHaveLength(1);
  });

  it('takes the subscribers read at ingress instead of asking the index again; a failed read is asked again', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    const ahead = createReadAhead<IndexAnswer>({ keepMs: 60_000, now: () => 0 });
    p.ports.mappingsAhead = ahead;
    // The ingress read said TAHEAD (only): the fan-out goes by it.
    ahead.start('d-1', async () => ({
      mappings: [
        { repoFullName: REPO, workspaceId: 'TAHEAD', createdAt: new Date(0), routesByLabel: false, subscription: null },
      ],
      writesBefore: 0,
    }));
    expect(await p.deliver(prEvent('opened'))).toEqual({ workspaceIds: ['TAHEAD'] });
    ahead.start('d-2', () => Promise.reject(new Error('unavailable')));
    expect(await p.deliver(prEvent('edited', { title: 'Renamed' }))).toEqual({ workspaceIds: ['T1'] });
  });
});

describe('index reads', () => {
  /** The unit pipeline, its index reads counted and their answers held until `open()`. */
  function heldIndexReads() {
    const p = createUnitPipeline();
    const subscriptions = p.ports.subscriptions;
    let reads = 0;
    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    p.ports.subscriptions = {
      ...subscriptions,
      // Read at once (the answer as of the read's start), answered once opened.
      workspacesForRepo: async (repo) => {
        reads += 1;
        const mappings = await subscriptions.workspacesForRepo(repo);
        await opened;
        return mappings;
      },
    };
    return { p, reads: () => reads, open };
  }

  it('deliveries for one repo fanned out at once make one index read, and each enqueues its reconciles', async () => {
    const { p, reads, open } = heldIndexReads();
    await p.addWorkspace('T1');
    await p.addWorkspace('T2');
    const fanOut = createFanOut(p.ports);
    const runs = [1, 2, 3, 4, 5].map((n) =>
      fanOut.run({ event: prEvent('opened', { number: n }), deliveryId: `burst-${n}` }),
    );
    open();
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 5 }, () => ({ workspaceIds: ['T1', 'T2'] })));
    expect(reads()).toBe(1);
    expect(p.queue.pending()).toHaveLength(10);
    // Once it answered, the next delivery reads afresh.
    await fanOut.run({ event: prEvent('opened', { number: 6 }), deliveryId: 'after' });
    expect(reads()).toBe(2);
  });

  it('a read begun before this instance subscribed another workspace is not shared: the new subscriber is not missed', async () => {
    const { p, reads, open } = heldIndexReads();
    await p.addWorkspace('T1');
    const fanOut = createFanOut(p.ports);
    const before = fanOut.run({ event: prEvent('opened', { number: 1 }), deliveryId: 'before' });
    await p.addWorkspace('T2');
    const after = fanOut.run({ event: prEvent('opened', { number: 2 }), deliveryId: 'after' });
    open();
    expect(await after).toEqual({ workspaceIds: ['T1', 'T2'] });
    expect((await before).workspaceIds).toContain('T1');
    expect(reads()).toBe(2);
  });
});

describe('the subscriptions a fan-out hands to its reconcile runs', () => {
  /** The unit pipeline, counting the runs' reads of subscriptions. */
  function countingReads() {
    const p = createUnitPipeline();
    const subscriptions = p.ports.subscriptions;
    let reads = 0;
    p.ports.subscriptions = {
      ...subscriptions,
      sourcesForRepo: (...args) => ((reads += 1), subscriptions.sourcesForRepo(...args)),
    };
    return { p, reads: () => reads };
  }
  const removeRoute = (p: ReturnType<typeof createUnitPipeline>, channelId: string) =>
    p.store.subscriptions.unsubscribe({
      workspaceId: 'T1',
      repoFullName: REPO,
      channelId,
      actor: 'U1',
      at: p.clock.now(),
    });
  const addRoute = (p: ReturnType<typeof createUnitPipeline>, channelId: string) =>
    p.store.subscriptions.subscribe({
      workspaceId: 'T1',
      repoFullName: REPO,
      channelId,
      actor: 'U1',
      at: p.clock.now(),
    });

  it('the first run after the fan-out posts by the index entry, without reading the subscription', async () => {
    const { p, reads } = countingReads();
    await p.addWorkspace('T1');
    await addRoute(p, 'CT1B');
    await p.deliver(prEvent('opened'));
    await p.reconcilePending();
    expect(reads()).toBe(0);
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CT1B')).toHaveLength(1);
  });

  it('a change this instance made to the subscription since the index was read is seen at once', async () => {
    const { p, reads } = countingReads();
    await p.addWorkspace('T1');
    await addRoute(p, 'CT1B');
    await p.deliver(prEvent('opened'));
    await removeRoute(p, 'CT1B');
    await p.reconcilePending();
    expect(reads()).toBe(1);
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CT1B')).toHaveLength(0);
  });

  it('a run that starts after the hand-over expired reads the subscription', async () => {
    const { p, reads } = countingReads();
    await p.addWorkspace('T1');
    await p.deliver(prEvent('opened'));
    p.clock.advance(HANDOVER_KEEP_MS + 1);
    await p.reconcilePending();
    expect(reads()).toBe(1);
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
  });

  it('a run of a job version another instance’s fan-out enqueued does not take this one’s hand-over', async () => {
    const { p, reads } = countingReads();
    await p.addWorkspace('T1');
    await p.deliver(prEvent('opened'));
    // Another instance (no hand-over of its own here) fans out the next delivery into the same job.
    const elsewhere = createFanOut({ ...p.ports, handedOver: undefined });
    await elsewhere.run({ event: prEvent('edited', { title: 'Renamed' }), deliveryId: 'elsewhere-1' });
    expect(p.queue.pending()).toMatchObject([{ workspaceId: 'T1', deliveryId: 'elsewhere-1' }]);
    await p.reconcilePending();
    expect(reads()).toBe(1);
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
  });
});

describe('what the fan-out hands its reconcile runs: the PR state and a new PR’s missing messages', () => {
  /** A unit pipeline counting the runs' reads of PR states and of message records. */
  function countingStateReads() {
    const p = createUnitPipeline();
    const { prStates, tracked } = p.ports;
    const reads = { states: 0, messages: 0 };
    p.ports.prStates = { ...prStates, get: (...args) => ((reads.states += 1), prStates.get(...args)) };
    p.ports.tracked = { ...tracked, get: (...args) => ((reads.messages += 1), tracked.get(...args)) };
    return { p, reads };
  }

  it('the first run after the fan-out that opened a PR reads neither the PR state nor its message, and posts it', async () => {
    const { p, reads } = countingStateReads();
    await p.addWorkspace('T1');
    await p.deliver(prEvent('opened', { title: 'Add the thing' }));
    await p.reconcilePending();
    expect(reads).toEqual({ states: 0, messages: 0 });
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CT1')[0]?.text).toContain('Add the thing');
    // The next event's run is of a later version of the job: it reads both, and the message is updated in place.
    await p.deliver(prEvent('edited', { title: 'Add the better thing' }));
    await p.reconcilePending();
    expect(reads).toEqual({ states: 1, messages: 1 });
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CT1')[0]?.text).toContain('Add the better thing');
  });

  it('an event another instance folded after this fan-out’s, and enqueued first, is shown: a later job version reads the state', async () => {
    const { p, reads } = countingStateReads();
    await p.addWorkspace('T1');
    const elsewhere = createFanOut({ ...p.ports, handedOver: undefined });
    // This instance folds the opening; before its enqueue lands, another instance folds a rename and enqueues first.
    const here = createFanOut({
      ...p.ports,
      queue: {
        async enqueueReconcile(requests, options) {
          await elsewhere.run({ event: prEvent('edited', { title: 'Renamed' }), deliveryId: 'elsewhere-1' });
          await p.queue.enqueueReconcile(requests, options);
        },
      },
    });
    await here.run({ event: prEvent('opened', { title: 'First title' }), deliveryId: 'here-1' });
    // The job's last version is this fan-out's (its hand-over matches), but not the job's first.
    expect(p.queue.pending()).toMatchObject([{ workspaceId: 'T1', deliveryId: 'here-1' }]);
    await p.reconcilePending();
    expect(reads.states).toBe(1);
    expect(p.slack.messagesIn('CT1')).toHaveLength(1);
    expect(p.slack.messagesIn('CT1')[0]?.text).toContain('Renamed');
  });
});
