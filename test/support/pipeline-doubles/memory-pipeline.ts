import type { PipelinePorts } from '../../../src/pipeline/ports.js';
import { createLinkedUsers } from '../../../src/pipeline/linked-users.js';
import { createRunHandover } from '../../../src/pipeline/run-handover.js';
import { createMemoryStore, type MemoryStore } from '../memory-store/index.js';
import { createMemoryPostSlotStore } from './memory-post-slot-store.js';
import { createMemoryPrStateStore } from './memory-pr-state-store.js';
import { createMemoryReconcileQueue, type MemoryReconcileQueue } from './memory-reconcile-queue.js';
import { createMemorySubscriberNoticeStore } from './memory-subscriber-notice-store.js';
import { createMemoryTrackedMessageStore } from './memory-tracked-message-store.js';
import { createRecordingLog, type LogLine } from './recording-log.js';
import { createRecordingSlack, type RecordingSlack } from './recording-slack.js';

/** The settle time the app uses (src/pipeline/wiring.ts). */
export const SETTLE_MS = 15_000;
/** How long a fan-out's hand-over is kept, as the app keeps it (src/pipeline/wiring.ts). */
export const HANDOVER_KEEP_MS = 10_000;

export interface MemoryPipeline {
  ports: PipelinePorts;
  store: MemoryStore;
  slack: RecordingSlack;
  queue: MemoryReconcileQueue;
  /** Installed workspaces' bot tokens; a rejected token uninstalls its workspace. */
  tokens: Map<string, string>;
  /** Workspaces uninstalled because Slack rejected their token, with the reason. */
  uninstalled: Array<{ workspaceId: string; reason: string }>;
  logs: LogLine[];
  clock: { now(): Date; advance(ms: number): void };
}

/** Every pipeline port in memory, on a manual clock: the core runs as in production, without Firestore or HTTP. */
export function createMemoryPipeline(options: { start?: Date } = {}): MemoryPipeline {
  let now = options.start ?? new Date('2024-01-01T12:00:00Z');
  const clock = { now: () => new Date(now), advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };
  const store = createMemoryStore();
  const slack = createRecordingSlack({ now: clock.now });
  const queue = createMemoryReconcileQueue();
  const tokens = new Map<string, string>();
  const uninstalled: MemoryPipeline['uninstalled'] = [];
  const log = createRecordingLog();
  const ports: PipelinePorts = {
    handedOver: createRunHandover({
      keepMs: HANDOVER_KEEP_MS,
      now: () => clock.now().getTime(),
      writesSoFar: () => store.subscriptions.writesSoFar(),
    }),
    prStates: createMemoryPrStateStore(),
    channelSettings: store.channelSettings,
    // No GitHub App here: team members are unknown, as without App credentials.
    githubTeams: { members: async () => null },
    tracked: createMemoryTrackedMessageStore({ settleMs: SETTLE_MS }),
    notices: createMemorySubscriberNoticeStore(store.subscriptions),
    postSlots: createMemoryPostSlotStore(),
    queue,
    subscriptions: store.subscriptions,
    // No GitHub here: an account subscription never posts a private repo (the Firestore-backed tests show the check).
    privateRepoAccess: { canRead: async () => false },
    users: createLinkedUsers(store.users),
    botToken: async (workspaceId) => tokens.get(workspaceId) ?? null,
    async tokenRejected({ workspaceId, token, reason }) {
      // Unless reinstalled meanwhile (a new token), as the app's token store does.
      const stored = tokens.get(workspaceId);
      if (stored === undefined) return 'uninstalled';
      if (stored !== token) return 'replaced';
      tokens.delete(workspaceId);
      uninstalled.push({ workspaceId, reason });
      return 'uninstalled';
    },
    slack: slack.messenger,
    now: clock.now,
    // The manual clock moves there at once.
    sleepUntil: async (at) => clock.advance(Math.max(0, at.getTime() - clock.now().getTime())),
    log,
  };
  return { ports, store, slack, queue, tokens, uninstalled, logs: log.lines, clock };
}
