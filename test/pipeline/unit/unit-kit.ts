import { createFanOut } from '../../../src/pipeline/core/fan-out.js';
import type { PrEvent, PrSnapshot, ReviewState } from '../../../src/pipeline/core/pr-event.js';
import { createReconciler, type ReconcileOutcome } from '../../../src/pipeline/core/reconcile.js';
import type { ReconcileKey, WaitRequest } from '../../../src/pipeline/ports.js';
import { createMemoryPipeline, type MemoryPipeline } from '../../support/pipeline-doubles/memory-pipeline.js';

export const REPO = 'octo-org/hello-world';

export interface UnitPipeline extends MemoryPipeline {
  /**
   * Subscribes a workspace to REPO in channel `C{workspaceId}` (by user U1) and installs it with token
   * `xoxb-{workspaceId}`; `threads: false` turns that channel's threads off (on by default, as in the app).
   */
  addWorkspace(workspaceId: string, options?: { createdBy?: string; threads?: boolean }): Promise<void>;
  /** The PR's author (GitHub id 1, octocat) linked and verified as UAUTHOR in `workspaceId`, default channel `C{it}`. */
  addVerifiedAuthor(workspaceId: string): Promise<void>;
  /** Runs the fan-out job of one delivery. */
  deliver(event: PrEvent): Promise<{ workspaceIds: string[] }>;
  /** Runs every pending reconcile once (what the worker would run next), with their outcomes. */
  reconcilePending(): Promise<Array<{ key: ReconcileKey; outcome: ReconcileOutcome | WaitRequest }>>;
  /** Delivers events, then runs reconciles until none is pending, moving the clock to each wait's end. */
  settle(...events: PrEvent[]): Promise<Array<ReconcileOutcome | WaitRequest>>;
  /** The PR messages in a workspace's channel. */
  messages(workspaceId: string): ReturnType<MemoryPipeline['slack']['messagesIn']>;
}

export function createUnitPipeline(): UnitPipeline {
  const p = createMemoryPipeline();
  const fanOut = createFanOut(p.ports);
  const reconciler = createReconciler(p.ports, { owner: 'unit' });
  let run = 0;
  const retries: ReconcileKey[] = [];

  async function reconcilePending() {
    const keys = [...retries.splice(0), ...p.queue.takeAll()];
    const results = [];
    for (const key of keys) {
      const outcome = await reconciler.reconcile(key, {
        leaseToken: `unit:${(run += 1)}`,
        mayOverlapEarlierRun: false,
        version: p.queue.versionOf(key),
      });
      if (typeof outcome === 'object') retries.push(key);
      results.push({ key, outcome });
    }
    return results;
  }

  return {
    ...p,
    async addVerifiedAuthor(workspaceId) {
      const at = p.clock.now();
      const slackUserId = 'UAUTHOR';
      await p.store.users.linkGithub({ workspaceId, slackUserId, githubUserId: 1, githubLogin: 'octocat', at });
      await p.store.users.setDefaultChannel({ workspaceId, slackUserId, channelId: `C${workspaceId}`, at });
    },
    async addWorkspace(workspaceId, options = {}) {
      p.tokens.set(workspaceId, `xoxb-${workspaceId}`);
      await p.store.subscriptions.subscribe({
        workspaceId: workspaceId,
        repoFullName: REPO,
        channelId: `C${workspaceId}`,
        actor: options.createdBy ?? 'U1',
        at: p.clock.now(),
      });
      if (options.threads === false)
        await p.store.channelSettings.setThreads({
          workspaceId,
          channelId: `C${workspaceId}`,
          threads: false,
          actor: 'U1',
          at: p.clock.now(),
        });
    },
    deliver: (event) => fanOut.run({ event, deliveryId: `d-${(run += 1)}` }),
    reconcilePending,
    async settle(...events) {
      for (const event of events) await fanOut.run({ event, deliveryId: `d-${(run += 1)}` });
      const outcomes: Array<ReconcileOutcome | WaitRequest> = [];
      for (let round = 0; round < 20; round++) {
        const results = await reconcilePending();
        if (results.length === 0) return outcomes;
        outcomes.push(...results.map((r) => r.outcome));
        const waits = results.flatMap((r) => (typeof r.outcome === 'object' ? [r.outcome.wait.until.getTime()] : []));
        if (waits.length > 0) p.clock.advance(Math.max(0, Math.max(...waits) - p.clock.now().getTime()));
      }
      throw new Error('reconciles did not settle in 20 rounds');
    },
    messages: (workspaceId) => p.slack.messagesIn(`C${workspaceId}`),
  };
}

let minute = 0;
/** A fresh `updated_at`, later than every one before: events built in order are newer one after another. */
export const later = () => new Date(Date.UTC(2024, 0, 1, 12, (minute += 1))).toISOString();

export function snapshot(over: Partial<PrSnapshot> = {}): PrSnapshot {
  return {
    repoFullName: REPO,
    repoPrivate: false,
    number: 7,
    title: 'Add a feature',
    url: 'https://github.com/octo-org/hello-world/pull/7',
    authorLogin: 'octocat',
    authorId: 1,
    baseRef: 'main',
    headRef: 'feature',
    draft: false,
    state: 'open',
    merged: false,
    updatedAt: later(),
    size: { additions: 10, deletions: 2, changedFiles: 3 },
    ...over,
  };
}

export const prEvent = (action: Extract<PrEvent, { kind: 'pull_request' }>['action'], over: Partial<PrSnapshot> = {}) =>
  ({ kind: 'pull_request', action, pr: snapshot(over) }) satisfies PrEvent;

export function reviewEvent(
  state: ReviewState,
  over: { reviewerId?: number; id?: number; pr?: Partial<PrSnapshot> } = {},
): PrEvent {
  const submittedAt = later();
  return {
    kind: 'review',
    action: state === 'dismissed' ? 'dismissed' : 'submitted',
    // A review's pull request is the short form: no size, no merged.
    pr: { ...snapshot({ updatedAt: submittedAt, ...over.pr }), size: undefined, merged: undefined },
    review: { id: over.id ?? 1, reviewerId: over.reviewerId ?? 2, reviewerLogin: 'hubot', state, submittedAt },
  };
}
