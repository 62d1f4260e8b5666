import type { UserRecord } from '../../domain/user.js';
import type { PrEvent } from './pr-event.js';
import type { LogPort, PipelinePorts } from '../ports.js';

/**
 * CONTRACT.md §6 auto-registration: every workspace where the PR's author is a verified user with a default
 * channel and notifications on gets the repo subscribed (unless already subscribed or opted out; the store
 * decides that inside its transaction and audit-logs it). Returns the workspaceIds newly subscribed, and the
 * failures of the others: the caller carries on with the rest before it reports them (for the job to retry).
 */
export async function autoRegisterAuthor(options: {
  ports: Pick<PipelinePorts, 'users' | 'subscriptions' | 'now'>;
  event: PrEvent;
  log: LogPort;
}): Promise<{ registered: string[]; failures: unknown[] }> {
  const { ports, event, log } = options;
  const users = await ports.users.findVerifiedByGithubId(event.pr.authorId);
  const candidates = new Map<string, UserRecord>();
  for (const user of users) {
    if (user.verified && user.defaultChannel && user.notificationsEnabled && !candidates.has(user.workspaceId)) {
      candidates.set(user.workspaceId, user);
    }
  }
  // Each workspace on its own: one failing registration must not stop the others; the job retries the rest.
  const results = await Promise.allSettled(
    [...candidates.values()].map(async (user) => {
      const outcome = await ports.subscriptions.autoRegister({
        workspaceId: user.workspaceId,
        repoFullName: event.pr.repoFullName,
        channelId: user.defaultChannel ?? '',
        authorSlackUserId: user.slackUserId,
        at: ports.now(),
        // The author of a PR in a private repo can read it: their GitHub id is the proof, and it goes when they unlink.
        access: event.pr.repoPrivate ? { kind: 'github_user', githubUserId: event.pr.authorId } : { kind: 'public' },
      });
      log.info({ team_id: user.workspaceId, outcome }, 'auto-registration');
      return outcome === 'created' ? user.workspaceId : null;
    }),
  );
  return {
    registered: results.flatMap((r) => (r.status === 'fulfilled' && r.value !== null ? [r.value] : [])),
    failures: results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
  };
}
