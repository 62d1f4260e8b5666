import { randomUUID } from 'node:crypto';
import type { AppDeps, Feature } from '../app-deps.js';
import { createFanOut, readIndex } from './core/fan-out.js';
import type { IndexAnswer, PipelinePorts } from './ports.js';
import { createPrivateRepoAccess } from './private-repo-access.js';
import { createLinkedUsers } from './linked-users.js';
import { createFirestoreAccessGrantStore } from '../store/firestore/access-grant-store.js';
import { createReconciler } from './core/reconcile.js';
import { createFirestoreQueue } from '../store/queue/firestore-queue.js';
import { createOpGate } from '../queue/op-gate.js';
import { startQueueHealth } from '../queue/queue-health.js';
import { createJobRunner } from '../queue/worker.js';
import { createQueueMembership } from '../queue/queue-membership.js';
import { createFirestoreMemberStore } from '../store/queue/firestore-members.js';
import { createFirestoreDeliveryStore } from '../store/pipeline/delivery-store.js';
import { createFirestorePostSlotStore } from '../store/pipeline/post-slot-store.js';
import { createFirestorePrStateStore } from '../store/pipeline/pr-state-store.js';
import { createFirestoreSubscriberNoticeStore } from '../store/pipeline/subscriber-notice-store.js';
import { createFirestoreTrackedMessageStore } from '../store/pipeline/tracked-message-store.js';
import { createPipelineTasks, createReconcileQueue } from './jobs.js';
import { createWebhookRoute } from '../github/webhook-route.js';
import { createReadAhead } from './read-ahead.js';
import { createRunHandover } from './run-handover.js';
import { createDigestTasks } from '../digest/digest-wiring.js';

/**
 * A post sent under a claim has landed in Slack or never will this long after the claim (or after the claim was given
 * back with the post in flight): the Slack client's 10 s timeout and a margin. Only then may another run look and post.
 */
const POST_SETTLE_MS = 15_000;
/**
 * Jobs in flight: a fan-out to a hundred workspaces runs in one round (each job mostly waits on Slack). Bounded by
 * memory and sockets (one HTTPS request to Slack each at most), not by cores.
 */
const JOBS_IN_FLIGHT = 128;
/** A read started at ingress for a fan-out this instance then did not run (it stopped meanwhile) is dropped after this. */
const READ_AHEAD_KEEP_MS = 60_000;
/**
 * What a fan-out handed to its reconcile runs is dropped after this: a run that starts later (another instance took
 * the job first, or the worker was saturated) reads afresh rather than use an old copy.
 */
const HANDOVER_KEEP_MS = 10_000;
/**
 * The worker's queries and enqueue reads in flight: past this they wait in the process, so a webhook's write (not
 * bounded) is never queued at the database behind a large fan-out. Its single-document reads and its writes (an
 * enqueue's batches too) need no bound: they go as one batch per turn of the event loop (deps.io).
 */
const WORKER_FIRESTORE_CALLS = 24;

/** What tests and benches may do with the running queue. */
export interface QueueControl {
  /** Look for due jobs now (e.g. after moving a test clock). */
  wake(): void;
  /** Firestore reads the queue made so far, as billed. */
  reads(): number;
}

/**
 * The PR notification pipeline: GitHub webhook ingress, and the job runner that fans each delivery out to the
 * subscribed workspaces and reconciles their Slack messages.
 */
export function createPipelineFeature(deps: AppDeps): Feature & { queue: QueueControl } {
  const owner = `worker-${randomUUID()}`;
  const log = deps.log.child({ component: 'pipeline' });
  const gate = createOpGate(WORKER_FIRESTORE_CALLS);
  const { io } = deps;
  const jobs = createFirestoreQueue(deps.db, { now: deps.now, gate, io });
  const deliveries = createFirestoreDeliveryStore(deps.db, { versions: jobs.versions, io });
  const mappingsAhead = createReadAhead<IndexAnswer>({ keepMs: READ_AHEAD_KEEP_MS, now: () => deps.now().getTime() });
  const ports: PipelinePorts = {
    mappingsAhead,
    handedOver: createRunHandover({
      keepMs: HANDOVER_KEEP_MS,
      now: () => deps.now().getTime(),
      writesSoFar: () => deps.store.subscriptions.writesSoFar(),
    }),
    prStates: createFirestorePrStateStore(deps.db, { io }),
    // Read for every run that sends thread replies: another instance's change is seen within a minute.
    channelSettings: {
      get: (workspaceId, channelIds) => deps.store.channelSettings.getRecent(workspaceId, channelIds),
    },
    githubTeams: deps.github.teams,
    tracked: createFirestoreTrackedMessageStore(deps.db, { settleMs: POST_SETTLE_MS, io }),
    notices: createFirestoreSubscriberNoticeStore(deps.db),
    postSlots: createFirestorePostSlotStore(deps.db, { io }),
    queue: createReconcileQueue(jobs.queue),
    subscriptions: deps.store.subscriptions,
    privateRepoAccess: createPrivateRepoAccess({
      repos: deps.github.repos,
      grants: createFirestoreAccessGrantStore(deps.db),
      now: deps.now,
    }),
    users: createLinkedUsers(deps.store.users),
    botToken: (workspaceId) => deps.tokens.recentBotToken(workspaceId),
    tokenRejected: ({ workspaceId, token, reason }) =>
      deps.tokens.uninstallRejected({ workspaceId: workspaceId, token, reason, at: deps.now() }),
    slack: deps.messenger,
    now: deps.now,
    sleepUntil: (at) => new Promise((resolve) => setTimeout(resolve, at.getTime() - deps.now().getTime())),
    log,
  };
  const membership = createQueueMembership({
    store: createFirestoreMemberStore(deps.db, { reads: jobs.reads, log }),
    owner,
    now: deps.now,
    log,
  });
  const runner = createJobRunner({
    store: jobs.store,
    tasks: [
      ...createPipelineTasks({
        fanOut: createFanOut(ports),
        reconciler: createReconciler(ports, { owner }),
        deliveries,
        now: deps.now,
      }),
      // A digest runs once a day per channel: it reads the installation afresh (no refused-token check to lean on).
      ...createDigestTasks(deps, { ...ports, queue: jobs.queue, botToken: (id) => deps.tokens.botToken(id) }),
    ],
    enqueued: jobs.enqueued,
    log,
    now: deps.now,
    owner,
    concurrency: JOBS_IN_FLIGHT,
    membership,
    // Posts still in flight at shutdown: the next holder waits for them to settle, then looks before posting.
    onHandBack: async () => {
      await ports.tracked.releaseClaimsOf({ owner, now: deps.now() });
    },
  });
  let stopHealth: () => void = () => undefined;

  return {
    mount(app) {
      app.use(
        createWebhookRoute({
          secret: deps.config.github.webhookSecret,
          deliveries,
          log,
          now: deps.now,
          reserveJob: () => runner.taker.reserve(),
          readAhead: ({ deliveryId, event }) =>
            mappingsAhead.start(deliveryId, () => readIndex(deps.store.subscriptions, event.pr.repoFullName)),
          onAccepted: ({ jobId, claimed }) => (claimed ? runner.taker.start([claimed]) : runner.offer([jobId])),
        }),
      );
    },
    start() {
      runner.start();
      stopHealth = startQueueHealth({
        admin: jobs.admin,
        head: runner.head,
        lostClaims: () => jobs.lostClaims.total(),
        members: () => membership.size(),
        log,
        now: deps.now,
      });
    },
    async stop() {
      stopHealth();
      await runner.stop();
    },
    queue: { wake: () => runner.wake(), reads: () => jobs.reads.total() },
  };
}
