import { timeDelivery } from './deliveries.js';
import { tallySince, type FirestoreMeter, type FirestoreTally } from './firestore-meter.js';
import { prLife } from './pr-life-events.js';
import { callsSince, type SlackMeter } from './slack-meter.js';
import type { BenchWorld } from './world.js';
import { whenTrue } from './when-true.js';

export interface PrLifeStep {
  step: string;
  status: number;
  firestore: FirestoreTally;
  slack: Record<string, { calls: number; ms: number }>;
}

export interface PrLifeResult {
  workspaces: number;
  steps: PrLifeStep[];
  /** Steps whose work had not gone quiet within the timeout (their counts may be short). */
  unsettled: number;
}

/** The app's work for a step is over once neither Firestore (listeners aside) nor Slack has been called for this long. */
const QUIET_MS = 1_500;

/**
 * One PR's life (open, review, label, merge) on `repo`, which `workspaces` workspaces follow, on an otherwise idle
 * app: every Firestore read and write and every Slack call the app makes for each step, until it goes quiet.
 */
export async function measurePrLife(
  w: BenchWorld,
  o: { repo: string; workspaces: number; pr: number; firestore: FirestoreMeter; slack: SlackMeter; timeoutMs: number },
): Promise<PrLifeResult> {
  const steps: PrLifeStep[] = [];
  let unsettled = 0;
  for (const { step, delivery } of prLife(o.repo, o.pr)) {
    const fsBefore = o.firestore.read();
    const slackBefore = o.slack.byMethod();
    const sent = await timeDelivery(w.t, delivery);
    if ((await quiet(o.firestore, o.slack, o.timeoutMs)) === null) unsettled++;
    steps.push({
      step,
      status: sent.status,
      firestore: tallySince(fsBefore, o.firestore.read()),
      slack: callsSince(slackBefore, o.slack.byMethod()),
    });
  }
  return { workspaces: o.workspaces, steps, unsettled };
}

function quiet(firestore: FirestoreMeter, slack: SlackMeter, timeoutMs: number): Promise<number | null> {
  const activity = () => {
    const rpcs = Object.entries(firestore.read().rpcs).filter(([m]) => m !== 'listen');
    const calls = Object.values(slack.byMethod());
    return [...rpcs.map(([, t]) => t), ...calls].reduce((n, t) => n + t.calls, 0);
  };
  let last = activity();
  let since = performance.now();
  return whenTrue(
    () => {
      const now = activity();
      if (now !== last) [last, since] = [now, performance.now()];
      return performance.now() - since >= QUIET_MS;
    },
    timeoutMs,
    50,
  );
}
