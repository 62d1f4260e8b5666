import type { FakeChannel } from '../../fakes/fake-slack.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

/** A test app with workspaces installed and subscribed to one repo, each with its own channel and token. */
export interface World {
  t: TestApp;
  teams: Array<{ teamId: string; channelId: string; botToken: string }>;
}

export const REPO = 'octo-org/hello-world';

export function channel(id: string, extra: Partial<FakeChannel> = {}): FakeChannel {
  return { id, name: id.toLowerCase(), isPrivate: false, botIsMember: true, ...extra };
}

export async function createWorld(options: { teams: string[]; repo?: string; subscribe?: boolean }): Promise<World> {
  const t = await createTestApp();
  const teams = [];
  for (const teamId of options.teams) {
    const channelId = `C${teamId}`;
    const { botToken } = await t.installWorkspace({ teamId, channels: [channel(channelId), channel(`D${teamId}`)] });
    if (options.subscribe !== false) {
      await t.deps.store.subscriptions.subscribe({
        teamId,
        repoFullName: options.repo ?? REPO,
        channelId,
        actor: 'USETUP',
        at: new Date(),
      });
    }
    teams.push({ teamId, channelId, botToken });
  }
  return { t, teams };
}

/** An ISO time `seconds` after a fixed origin, for ordering events. */
export const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, seconds)).toISOString();
