import type { FakeChannel } from '../test/fakes/fake-slack.js';
import { createTestApp, type TestApp } from '../test/support/test-app.js';

export interface BenchTeam {
  teamId: string;
  channelId: string;
  botToken: string;
}

/** The app on loopback with `workspaces` installed; workspace i is subscribed to every repo whose fan-out exceeds i. */
export interface BenchWorld {
  t: TestApp;
  teams: BenchTeam[];
}

/** One repo per fan-out size, so each scenario's deliveries reach exactly that many workspaces. */
export const repoFor = (fanOut: number) => `bench-org/fan-out-${fanOut}`;

const channel = (id: string): FakeChannel => ({ id, name: id.toLowerCase(), isPrivate: false, botIsMember: true });

// Seeding is setup, not measurement: a few workspaces at a time keeps it short without flooding the emulator.
const SEED_CONCURRENCY = 8;

export async function createBenchWorld(options: { emulatorHost: string; workspaces: number; fanOuts: readonly number[] }): Promise<BenchWorld> {
  const t = await createTestApp({ emulatorHost: options.emulatorHost });
  const teams: BenchTeam[] = [];
  const seed = async (i: number) => {
    const teamId = `TBENCH${String(i).padStart(3, '0')}`;
    const channelId = `C${teamId}`;
    const { botToken } = await t.installWorkspace({ teamId, channels: [channel(channelId)] });
    for (const fanOut of options.fanOuts.filter((n) => i < n)) {
      await t.deps.store.subscriptions.subscribe({ teamId, repoFullName: repoFor(fanOut), channelId, actor: 'UBENCH', at: new Date() });
    }
    teams[i] = { teamId, channelId, botToken };
  };
  for (let start = 0; start < options.workspaces; start += SEED_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, options.workspaces - start) }, (_, k) => seed(start + k));
    await Promise.all(batch);
  }
  return { t, teams };
}
