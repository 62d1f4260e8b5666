import type { FakeChannel } from '../dev/fakes/fake-slack.js';
import { createTestApp, type TestApp } from '../test/support/test-app.js';

export interface BenchTeam {
  workspaceId: string;
  botToken: string;
}

/**
 * The app on loopback with `workspaces` installed; workspace i is subscribed to every shared repo whose fan-out
 * exceeds i, and alone to its own solo repo. Each subscription has a channel of its own: Slack allows one post a second per
 * channel (the app paces to that), so sharing channels would make one stage's backlog slow down the next.
 */
export interface BenchWorld {
  t: TestApp;
  teams: BenchTeam[];
}

/** One repo per fan-out size, so each scenario's deliveries reach exactly that many workspaces. */
export const repoFor = (fanOut: number) => `bench-org/fan-out-${fanOut}`;

/** A repo only workspace i is subscribed to: spreading deliveries over these spreads them over channels. */
export const soloRepo = (i: number) => `bench-org/solo-${i}`;

/** The channel a workspace's subscription to `repo` posts in. */
export const channelFor = (workspaceId: string, repo: string) =>
  `C${workspaceId}${repo
    .slice(repo.indexOf('/') + 1)
    .replace(/\W/g, '')
    .toUpperCase()}`;

const channel = (id: string): FakeChannel => ({ id, name: id.toLowerCase(), isPrivate: false, botIsMember: true });

// Seeding is setup, not measurement: enough at a time to keep 1,000 workspaces short.
const SEED_CONCURRENCY = 32;

/** A repo the first `workspaces` workspaces are subscribed to. */
export interface SharedRepo {
  repo: string;
  workspaces: number;
}

export async function createBenchWorld(options: {
  emulatorHost: string;
  workspaces: number;
  shared: readonly SharedRepo[];
  progress?: (done: number) => void;
}): Promise<BenchWorld> {
  const t = await createTestApp({ emulatorHost: options.emulatorHost });
  const teams: BenchTeam[] = [];
  const seed = async (i: number) => {
    const workspaceId = `TBENCH${String(i).padStart(4, '0')}`;
    const repos = [soloRepo(i), ...options.shared.filter((s) => i < s.workspaces).map((s) => s.repo)];
    const { botToken } = await t.installWorkspace({
      workspaceId,
      channels: repos.map((repo) => channel(channelFor(workspaceId, repo))),
    });
    for (const repoFullName of repos) {
      await t.deps.store.subscriptions.subscribe({
        workspaceId,
        repoFullName,
        channelId: channelFor(workspaceId, repoFullName),
        actor: 'UBENCH',
        at: new Date(),
      });
    }
    teams[i] = { workspaceId, botToken };
  };
  for (let start = 0; start < options.workspaces; start += SEED_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, options.workspaces - start) }, (_, k) =>
      seed(start + k),
    );
    await Promise.all(batch);
    options.progress?.(start + batch.length);
  }
  return { t, teams };
}
