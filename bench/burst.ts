import type { FakeSlackCall } from '../dev/fakes/fake-slack.js';
import { burstScript } from './burst-events.js';
import { sendDeliveries } from './deliveries.js';
import { round } from './stats.js';
import { channelFor, repoFor, type BenchWorld } from './world.js';
import { whenTrue } from './when-true.js';

export interface BurstResult {
  workspaces: number;
  events: number;
  /** Slack Web API calls each workspace received for the burst: min / max, and all of them by method. */
  callsPerWorkspace: { min: number; max: number; mean: number };
  callsByMethod: Record<string, number>;
  /** Workspaces whose one message ended with the final title, merged state and exactly the expected reactions. */
  converged: number;
  convergedMs: number | null;
  failures: number;
}

/** After convergence, calls still arriving within this long are counted too (a late redundant update would be). */
const QUIET_MS = 1_500;

/** 20 events for one PR sent back-to-back to `fanOut` workspaces: how many Slack calls, and the end state. */
export async function measureBurst(
  w: BenchWorld,
  o: { fanOut: number; prNumber: number; timeoutMs: number },
): Promise<BurstResult> {
  const repo = repoFor(o.fanOut);
  const script = burstScript(repo, o.prNumber);
  const teams = w.teams.slice(0, o.fanOut);
  const slack = w.t.slack;
  const firstCall = slack.calls.length;
  const started = performance.now();
  const sent = await sendDeliveries(w.t, script.deliveries, { senders: 1, budgetMs: o.timeoutMs });
  const failures = sent.filter((r) => r.status !== 202).length;

  const convergedIn = (team: (typeof teams)[number]) => {
    const mine = slack
      .messages(team.workspaceId, channelFor(team.workspaceId, repo))
      .filter((m) => m.text.startsWith(`Pull request #${o.prNumber} in ${repo}:`));
    const reactions = [...(mine[0]?.reactions ?? [])].sort();
    return (
      mine.length === 1 &&
      !!mine[0]?.text.includes(script.finalTitle) &&
      !!mine[0]?.text.endsWith('(merged)') &&
      JSON.stringify(reactions) === JSON.stringify(script.finalReactions)
    );
  };
  const convergedAt = await whenTrue(() => teams.every(convergedIn), o.timeoutMs, 20);
  await quiet(slack.calls, QUIET_MS, o.timeoutMs);

  const burstCalls = slack.calls.slice(firstCall);
  const perTeam = teams.map((team) => burstCalls.filter((c) => c.token === team.botToken).length);
  const callsByMethod: Record<string, number> = {};
  for (const c of burstCalls) callsByMethod[c.method] = (callsByMethod[c.method] ?? 0) + 1;
  return {
    workspaces: teams.length,
    events: script.deliveries.length,
    callsPerWorkspace: {
      min: Math.min(...perTeam),
      max: Math.max(...perTeam),
      mean: round(perTeam.reduce((a, b) => a + b, 0) / perTeam.length),
    },
    callsByMethod,
    converged: teams.filter(convergedIn).length,
    convergedMs: convergedAt === null ? null : round(convergedAt - started, 0),
    failures,
  };
}

/** Waits until the call log has not grown for `quietMs` (bounded by `timeoutMs`). */
async function quiet(calls: FakeSlackCall[], quietMs: number, timeoutMs: number): Promise<void> {
  let length = calls.length;
  let since = performance.now();
  await whenTrue(
    () => {
      if (calls.length !== length) [length, since] = [calls.length, performance.now()];
      return performance.now() - since >= quietMs;
    },
    timeoutMs,
    50,
  );
}
