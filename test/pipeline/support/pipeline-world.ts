import type { FakeChannel } from '../../../dev/fakes/fake-slack.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

/** A test app with workspaces installed and subscribed to one repo, each with its own channel and token. */
export interface World {
  t: TestApp;
  teams: Array<{ workspaceId: string; channelId: string; botToken: string }>;
}

export const REPO = 'octo-org/hello-world';

export function channel(id: string, extra: Partial<FakeChannel> = {}): FakeChannel {
  return { id, name: id.toLowerCase(), isPrivate: false, botIsMember: true, ...extra };
}

export async function createWorld(options: { teams: string[]; repo?: string; subscribe?: boolean }): Promise<World> {
  const t = await createTestApp();
  const teams = [];
  for (const workspaceId of options.teams) {
    const channelId = `C${workspaceId}`;
    const { botToken } = await t.installWorkspace({
      workspaceId,
      channels: [channel(channelId), channel(`D${workspaceId}`)],
    });
    if (options.subscribe !== false) {
      await t.deps.store.subscriptions.subscribe({
        workspaceId,
        repoFullName: options.repo ?? REPO,
        channelId,
        actor: 'USETUP',
        at: new Date(),
      });
    }
    teams.push({ workspaceId, channelId, botToken });
  }
  return { t, teams };
}

/** An ISO time `seconds` after a fixed origin, for ordering events. */
export const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, seconds)).toISOString();
