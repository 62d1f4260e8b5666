import type { FanOutResult } from './fan-out.js';
import { table } from './report-tables.js';
import { round, type Summary } from './stats.js';

/** Where one fan-out's time went: each workspace's own chain of Firestore and Slack round trips, and the rest. */
export function breakdown(r: FanOutResult, postingAlone?: { posts: number; ms: Summary } | null): string[] {
  const run = r.lastRun;
  if (!run) return ['(no complete run to break down)'];
  const n = r.fanOut;
  // Per workspace that got its post (all of them, unless the run timed out).
  const per = Math.max(1, run.posted);
  const fs = Object.entries(run.firestore.rpcs).filter(([m]) => m !== 'listen');
  const fsCalls = fs.reduce((a, [, t]) => a + t.calls, 0);
  const fsMs = fs.reduce((a, [, t]) => a + t.ms, 0);
  const sl = Object.entries(run.slack);
  const slCalls = sl.reduce((a, [, t]) => a + t.calls, 0);
  const slMs = sl.reduce((a, [, t]) => a + t.ms, 0);
  const chainMs = (fsMs + slMs) / per;
  const mean = (ms: number, calls: number) => (calls > 0 ? round(ms / calls) : 0);
  const row = (what: string, t: { calls: number; ms: number }) => [
    what,
    t.calls,
    mean(t.ms, t.calls),
    round(t.ms, 0),
    round(t.calls / per),
    round(t.ms / per),
  ];
  return [
    run.posted < n
      ? `Fan-out to ${n} workspaces, last run: stopped after ${run.wallMs} ms with ${run.posted} of ${n} posted.`
      : `Fan-out to ${n} workspaces, last run: ${run.wallMs} ms from the delivery sent to the last post.`,
    '',
    ...table(
      ['what', 'round trips', 'mean ms', 'total ms', 'per workspace', 'per workspace ms'],
      [...fs.map(([m, t]) => row(`Firestore ${m}`, t)), ...sl.map(([m, t]) => row(`Slack ${m}`, t))],
    ),
    '',
    `Firestore: ${fsCalls} round trips (${run.firestore.reads} documents read, ${run.firestore.writes} written, ` +
      `${run.firestore.aborted} aborted), ${round(fsMs, 0)} ms in all; Slack: ${slCalls} calls, ${round(slMs, 0)} ms in all.`,
    `Documents written by collection: ${Object.entries(run.firestore.writesByCollection)
      .map(([c, k]) => `${c} ${k}`)
      .join(', ')}.`,
    `One workspace's own chain (its share of both, done one after another) is about ${round(chainMs, 0)} ms; ` +
      `with the ${run.wallMs} ms wall time that means about ${round((fsMs + slMs) / Math.max(1, run.wallMs))} ` +
      `round trips were in flight on average, and ${Math.max(0, round(run.wallMs - chainMs, 0))} ms of the wall time ` +
      'was spent waiting (for a worker slot, a claim, the event loop, or a poll) rather than in a round trip of its own.',
    `Meanwhile this process (the app, its Firestore client, the fake Slack and the bench, on one event loop) used ` +
      `${run.process.cpuMs} ms of CPU and its event loop was busy ${round(run.process.eventLoopBusy * 100, 0)}% of ` +
      'the time (the Firestore emulator runs on the other core): a round trip waits for its turn on that loop, so ' +
      'a busy loop shows in every round trip above.',
    ...(postingAlone && postingAlone.posts === n
      ? [
          `Posting alone (the same ${n} posts at once through the app's Slack client, nothing else) took ` +
            `${postingAlone.ms.p50} ms in this run: the fan-out's p50 of ${r.completion.p50} ms is that plus about ` +
            `${Math.max(0, round(r.completion.p50 - postingAlone.ms.p50, 0))} ms for the durable steps before the posts.`,
        ]
      : []),
  ];
}
