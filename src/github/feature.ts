import { randomUUID } from 'node:crypto';
import type { AppDeps, Feature } from '../app-deps.js';
import { createFanOut } from '../core/fan-out.js';
import type { PipelinePorts } from '../core/ports.js';
import { createReconciler } from '../core/reconcile.js';
import { createPipelineHandlers, createReconcileQueue } from '../jobs/pipeline-jobs.js';
import { createJobWorker } from '../jobs/worker.js';
import { createFirestoreDeliveryStore } from '../store/pipeline/delivery-store.js';
import { createFirestoreJobStore } from '../store/pipeline/job-store.js';
import { createFirestorePostSlotStore } from '../store/pipeline/post-slot-store.js';
import { createFirestorePrStateStore } from '../store/pipeline/pr-state-store.js';
import { createFirestoreSubscriberNoticeStore } from '../store/pipeline/subscriber-notice-store.js';
import { createFirestoreTrackedMessageStore } from '../store/pipeline/tracked-message-store.js';
import { createSlackMessenger } from '../slack/slack-messenger.js';
import { createWebhookRoute } from './webhook-route.js';

/** A claim to post that is older than this belongs to a crashed job and may be taken over. */
const POST_CLAIM_STALE_MS = 60_000;
/** Slack allows about 1 chat.postMessage per second per channel; a little more keeps clear of clock and network jitter. */
const POST_INTERVAL_MS = 1_100;

/**
 * The PR notification pipeline: GitHub webhook ingress, and the job worker that fans each delivery out to the
 * subscribed workspaces and reconciles their Slack messages.
 */
export function createPipelineFeature(deps: AppDeps): Feature {
  const owner = `worker-${randomUUID()}`;
  const log = deps.log.child({ component: 'pipeline' });
  const jobStore = createFirestoreJobStore(deps.db);
  const deliveries = createFirestoreDeliveryStore(deps.db);
  // Late-bound: the queue kicks the worker, which is built from handlers that use the queue.
  let kick: () => void = () => undefined;
  const ports: PipelinePorts = {
    prStates: createFirestorePrStateStore(deps.db),
    tracked: createFirestoreTrackedMessageStore(deps.db),
    notices: createFirestoreSubscriberNoticeStore(deps.db),
    postSlots: createFirestorePostSlotStore(deps.db),
    queue: createReconcileQueue({ store: jobStore, onEnqueued: () => kick() }),
    subscriptions: deps.store.subscriptions,
    users: deps.store.users,
    botToken: (teamId) => deps.tokens.botToken(teamId),
    tokenRejected: ({ teamId, token, reason }) => deps.tokens.uninstallRejected({ workspaceId: teamId, token, reason, at: deps.now() }),
    slack: createSlackMessenger(deps.slack),
    now: deps.now,
    log,
  };
  const worker = createJobWorker({
    store: jobStore,
    handlers: createPipelineHandlers({
      fanOut: createFanOut(ports),
      reconciler: createReconciler(ports, { owner, claimStaleMs: POST_CLAIM_STALE_MS, postIntervalMs: POST_INTERVAL_MS }),
      deliveries,
      now: deps.now,
    }),
    log,
    now: deps.now,
    owner,
  });
  kick = () => worker.kick();

  return {
    mount(app) {
      app.use(
        createWebhookRoute({
          secret: deps.config.github.webhookSecret,
          deliveries,
          log,
          now: deps.now,
          onAccepted: () => worker.kick(),
        }),
      );
    },
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}
