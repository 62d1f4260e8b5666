import type { AppDeps } from '../app-deps.js';
import { createPrivateRepoAccess } from '../pipeline/private-repo-access.js';
import type { PipelineUsers, PrivateRepoAccess, SlackMessenger } from '../pipeline/ports.js';
import { createLinkedUsers } from '../pipeline/linked-users.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Task } from '../queue/task.js';
import type { ChannelAccess } from '../slack/commands/channel-access.js';
import { createFirestoreAccessGrantStore } from '../store/firestore/access-grant-store.js';
import { createFirestoreDigestStore } from '../store/firestore/digest-store.js';
import { createFirestoreQueue } from '../store/queue/firestore-queue.js';
import { createDigestService, type DigestService } from './digest-service.js';
import { createDigestTask } from './digest-task.js';

/** The digest's job, for the pipeline's runner (which shares its queue, Slack port and private-repo checks). */
export function createDigestTasks(
  deps: AppDeps,
  options: {
    queue: JobQueue;
    slack: Pick<SlackMessenger, 'postMessage'>;
    privateRepoAccess: PrivateRepoAccess;
    /** The pipeline's look-ups of linked users (the mentions of who a PR waits on). */
    users: PipelineUsers;
    botToken(workspaceId: string): Promise<string | null>;
  },
): Task[] {
  return [
    createDigestTask({
      ...options,
      digests: createFirestoreDigestStore(deps.db),
      subscriptions: deps.store.subscriptions,
      now: deps.now,
    }),
  ];
}

/** `/notify digest` for the Slack side: it enqueues the digest's jobs on the same Firestore queue. */
export function createDigestCommands(deps: AppDeps, options: { channels: ChannelAccess }): DigestService {
  return createDigestService({
    digests: createFirestoreDigestStore(deps.db),
    channels: options.channels,
    queue: createFirestoreQueue(deps.db, { now: deps.now }).queue,
    slack: deps.messenger,
    privateRepoAccess: createPrivateRepoAccess({
      repos: deps.github.repos,
      grants: createFirestoreAccessGrantStore(deps.db),
      now: deps.now,
    }),
    subscriptions: deps.store.subscriptions,
    users: createLinkedUsers(deps.store.users),
    audit: deps.store.audit,
    command: deps.config.slack.command,
    now: deps.now,
  });
}
