import type { App } from '@slack/bolt';
import { toRecord } from '../../shared/json-reader.js';
import type { Logger } from '../../log.js';
import type { WorkspaceStore } from '../../store/types.js';
import type { InFlight } from '../in-flight.js';
import { toWorkspaceId } from '../oauth/bolt-installation-store.js';

/**
 * `app_uninstalled` and `tokens_revoked` (for the bot): the workspace's tokens are deleted and the audit log
 * says so (one store transaction). The pipeline then finds no token and stops posting; a reinstall resumes.
 * Bolt skips authorization for these two events, so they arrive even when no token is left.
 */
/** The Events API events this app subscribes to (the Slack app manifest lists exactly these). */
export const LIFECYCLE_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

export function registerLifecycleEvents(options: {
  app: App;
  workspaces: WorkspaceStore;
  inFlight: InFlight;
  log: Logger;
  now: () => Date;
}): void {
  const { app, workspaces, inFlight, log, now } = options;

  // Bolt has already answered 200 when this runs; tracked so SIGTERM waits for it.
  const uninstall = (input: { body: unknown; reason: string }) => inFlight.track(markUninstalled(input));
  const markUninstalled = async (input: { body: unknown; reason: string }) => {
    const workspaceId = toWorkspaceId(envelope(input.body));
    if (workspaceId === null) {
      log.warn({ reason: input.reason }, 'lifecycle event without a team id ignored');
      return;
    }
    await workspaces.markUninstalled({ workspaceId, actor: 'slack', reason: input.reason, at: now() });
    log.info({ team_id: workspaceId, reason: input.reason }, 'workspace tokens deleted');
  };

  app.event('app_uninstalled', async ({ body }) => {
    await uninstall({ body, reason: 'app_uninstalled' });
  });
  app.event('tokens_revoked', async ({ event, body }) => {
    // Only the bot token matters to this app; revoked user tokens (we keep none in use) change nothing.
    // Read defensively: a signed but malformed event (no `tokens`, `bot` not a list) is a no-op, not a crash.
    const tokens = toRecord(event)['tokens'];
    const bot = toRecord(tokens)['bot'] ?? [];
    if (typeof tokens !== 'object' || tokens === null || !Array.isArray(bot)) {
      log.warn({ team_id: toWorkspaceId(envelope(body)) }, 'tokens_revoked without a list of bot tokens ignored');
      return;
    }
    if (bot.length === 0) return;
    await uninstall({ body, reason: 'tokens_revoked' });
  });
}

/** The ids of an Events API envelope, read defensively: `authorizations` carries the enterprise-install flag. */
function envelope(body: unknown): { isEnterpriseInstall: boolean; enterpriseId?: string; teamId?: string } {
  const b = toRecord(body);
  const auth = toRecord(Array.isArray(b['authorizations']) ? b['authorizations'][0] : undefined);
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    isEnterpriseInstall: b['is_enterprise_install'] === true || auth['is_enterprise_install'] === true,
    enterpriseId: str(b['enterprise_id']) ?? str(auth['enterprise_id']),
    teamId: str(b['team_id']) ?? str(auth['team_id']),
  };
}
