import type { FakeChannel } from '../../../dev/fakes/fake-slack.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

/** A test app with workspaces installed and subscribed to one repo, each with its own channel and token. */
export interface World {
  t: TestApp;
  teams: Array<{ workspaceId: string; channelId: string; botToken: string }>;
  /** The app's clock: real time, which a test may move ahead to skip a wait the app would otherwise sit through. */
  clock: SkippableClock;
}

export interface SkippableClock {
  now(): Date;
  /** Moves the clock ahead to `time` (never back). */
  skipTo(time: Date): void;
}

function createSkippableClock(): SkippableClock {
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  return {
    now,
    skipTo(time) {
      offsetMs += Math.max(0, time.getTime() - now().getTime());
    },
  };
}

export const REPO = 'octo-org/hello-world';

export function channel(id: string, extra: Partial<FakeChannel> = {}): FakeChannel {
  return { id, name: id.toLowerCase(), isPrivate: false, botIsMember: true, ...extra };
}

export async function createWorld(options: { teams: string[]; repo?: string; subscribe?: boolean }): Promise<World> {
  const clock = createSkippableClock();
  const t = await createTestApp({ now: clock.now });
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
        at: clock.now(),
      });
    }
    teams.push({ workspaceId, channelId, botToken });
  }
  return { t, teams, clock };
}

/** An ISO time `seconds` after a fixed origin, for ordering events. */
export const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1, 12, 0, seconds)).toISOString();
