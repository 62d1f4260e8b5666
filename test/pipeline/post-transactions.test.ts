import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { countTransactions } from '../support/firestore.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';
import { installFirestoreMeter, tallySince, type FirestoreMeter } from '../../bench/firestore-meter.js';

const WORKSPACES = 10;
let w: World;
let transactions: () => number;
let meter: FirestoreMeter;
beforeAll(async () => {
  // Before the app's Firestore client is built: it counts every write of every client in this process.
  meter = installFirestoreMeter();
  w = await createWorld({ teams: Array.from({ length: WORKSPACES }, (_, i) => `TX${i}`) });
  transactions = countTransactions(w.t.deps.db);
}, 60_000);
afterAll(async () => w?.t.close());

/**
 * Sends one pull_request delivery and waits until every workspace saw `slackMethod` once more and every job is done
 * (so all of their writes are counted). Returns the job documents written meanwhile.
 */
async function deliverAndSettle(
  payload: unknown,
  slackMethod: string,
): Promise<{
  jobWrites: number;
  commits: Record<string, number>;
  reads: Record<string, number>;
  readRoundTrips: number;
}> {
  const before = meter.read();
  const callsBefore = w.t.slack.callsTo(slackMethod).length;
  const res = await w.t.sendDelivery({ event: 'pull_request', payload });
  expect(res.status).toBe(202);
  await eventually(() => expect(w.t.slack.callsTo(slackMethod).length - callsBefore).toBe(WORKSPACES), 20_000);
  await eventually(async () => {
    const running = await w.t.deps.db.collection('jobs').where('status', '!=', 'done').get();
    expect(running.size).toBe(0);
  }, 10_000);
  const tally = tallySince(before, meter.read());
  return {
    jobWrites: tally.writesByCollection['jobs'] ?? 0,
    commits: tally.commitsByCollections,
    reads: tally.readsByCollection,
    readRoundTrips: tally.rpcs['batchGetDocuments']?.calls ?? 0,
  };
}

describe('Firestore transactions of a new PR', () => {
  it('posts once per workspace with no transaction at all: no lock is taken, not even for the PR state', async () => {
    const { jobWrites, commits, reads, readRoundTrips } = await deliverAndSettle(
      prPayload({ action: 'opened', number: 7, updatedAt: at(1) }),
      'chat.postMessage',
    );
    for (const team of w.teams) expect(w.t.slack.messages(team.workspaceId, team.channelId)).toHaveLength(1);
    // Before: the fan-out job's claim, fold and settlement, and per post the job's claim, the post claim, the slot,
    // the recorded ts and the job's settlement: 3 + 5 per workspace. Now each of those writes is a single conditional
    // write (the channel's posting slot and the PR state compare-and-sets; the PR's opening creates its state).
    expect(transactions()).toBe(0);
    // Job documents: the fan-out job created (with the delivery) already leased to the instance that accepted it, and
    // finished; each reconcile job created already leased to the instance that fanned out, and finished: 2 + 2 per
    // workspace (a claim of its own each cost one write more).
    expect(jobWrites).toBe(2 + 2 * WORKSPACES);
    // Every workspace's post claim and its channel's posting slot go to Firestore together, in one commit: the
    // slots were read with the messages (a slot written on its own would be a round trip more before the posts).
    const slotCommits = Object.entries(commits).filter(([shape]) => shape.includes('channel_post_slots'));
    // (Another write of that moment, e.g. the fan-out job's end, may share the commit.)
    expect(slotCommits).toHaveLength(1);
    expect(slotCommits[0]?.[0]).toContain('tracked_messages');
    expect(slotCommits[0]?.[1]).toBe(1);
    // Each run read nothing but its workspace's installation and its channel's slots, all in one round trip: the
    // fan-out handed it the subscription its index entry carried, the PR state it folded, and that a PR just opened
    // has no message record yet. The fold created the PR's state without reading it.
    expect(reads['repos']).toBeUndefined();
    expect(reads['pr_states']).toBeUndefined();
    expect(reads['tracked_messages']).toBeUndefined();
    expect(readRoundTrips).toBe(1);
  });

  it('a later event takes the finished reconcile jobs again the same way: two job writes per workspace', async () => {
    const { jobWrites, commits } = await deliverAndSettle(
      prPayload({ action: 'edited', number: 7, title: 'A better title', updatedAt: at(2) }),
      'chat.update',
    );
    for (const team of w.teams) {
      const [message, ...more] = w.t.slack.messages(team.workspaceId, team.channelId);
      expect(more).toEqual([]);
      expect(message?.text).toContain('A better title');
    }
    expect(jobWrites).toBe(2 + 2 * WORKSPACES);
    // An update posts nothing: no post claim, no posting slot booked (which would space the channel's next post).
    expect(Object.keys(commits).filter((shape) => /channel_post_slots/.test(shape))).toEqual([]);
  });

  it('a second PR in the same channels books their slots from this instance’s last writes: no slot read', async () => {
    // The channels' last posts are a pacing interval behind (on the app's clock): the new ones go at once.
    w.clock.skipTo(new Date(w.clock.now().getTime() + 2_000));
    const { commits, reads } = await deliverAndSettle(
      prPayload({ action: 'opened', number: 8, updatedAt: at(3) }),
      'chat.postMessage',
    );
    for (const team of w.teams) expect(w.t.slack.messages(team.workspaceId, team.channelId)).toHaveLength(2);
    expect(reads['channel_post_slots'] ?? 0).toBe(0);
    const slotCommits = Object.entries(commits).filter(([shape]) => shape.includes('channel_post_slots'));
    // (Another write of that moment, e.g. the fan-out job's end, may share the commit.)
    expect(slotCommits).toHaveLength(1);
    expect(slotCommits[0]?.[0]).toContain('tracked_messages');
    expect(slotCommits[0]?.[1]).toBe(1);
  });
});
