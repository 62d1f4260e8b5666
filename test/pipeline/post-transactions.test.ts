import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';
import { installFirestoreMeter, type FirestoreMeter } from '../../bench/firestore-meter.js';

const WORKSPACES = 10;
let w: World;
let transactions = 0;
let meter: FirestoreMeter;
beforeAll(async () => {
  // Before the app's Firestore client is built: it counts every write of every client in this process.
  meter = installFirestoreMeter();
  w = await createWorld({ teams: Array.from({ length: WORKSPACES }, (_, i) => `TX${i}`) });
  const db = w.t.deps.db;
  const run = db.runTransaction.bind(db);
  db.runTransaction = (body, options) => {
    transactions += 1;
    return run(body, options);
  };
}, 60_000);
afterAll(async () => w?.t.close());

/**
 * Sends one pull_request delivery and waits until every workspace saw `slackMethod` once more and every job is done
 * (so all of their writes are counted). Returns the job documents written meanwhile.
 */
async function deliverAndSettle(payload: unknown, slackMethod: string): Promise<number> {
  const jobWrites = () => meter.read().writesByCollection['jobs'] ?? 0;
  const before = jobWrites();
  const callsBefore = w.t.slack.callsTo(slackMethod).length;
  const res = await w.t.sendDelivery({ event: 'pull_request', payload });
  expect(res.status).toBe(202);
  await eventually(() => expect(w.t.slack.callsTo(slackMethod).length - callsBefore).toBe(WORKSPACES), 20_000);
  await eventually(async () => {
    const running = await w.t.deps.db.collection('jobs').where('status', '!=', 'done').get();
    expect(running.size).toBe(0);
  }, 10_000);
  return jobWrites() - before;
}

describe('Firestore transactions of a new PR', () => {
  it('posts once per workspace with one transaction in all: the PR state fold (no lock is taken per post)', async () => {
    const jobWrites = await deliverAndSettle(
      prPayload({ action: 'opened', number: 7, updatedAt: at(1) }),
      'chat.postMessage',
    );
    for (const team of w.teams) expect(w.t.slack.messages(team.workspaceId, team.channelId)).toHaveLength(1);
    // Before: the fan-out job's claim, fold and settlement, and per post the job's claim, the post claim, the slot,
    // the recorded ts and the job's settlement: 3 + 5 per workspace. Now each of those per-post writes is a single
    // conditional write (the channel's posting slot a compare-and-set), and only the fold is a transaction.
    expect(transactions).toBe(1);
    // Job documents: the fan-out job created (with the delivery), claimed and finished; each reconcile job created
    // already leased to the instance that fanned out (it takes them at once) and finished: 3 + 2 per workspace.
    expect(jobWrites).toBe(3 + 2 * WORKSPACES);
  });

  it('a later event takes the finished reconcile jobs again the same way: two job writes per workspace', async () => {
    const jobWrites = await deliverAndSettle(
      prPayload({ action: 'edited', number: 7, title: 'A better title', updatedAt: at(2) }),
      'chat.update',
    );
    for (const team of w.teams) {
      const [message, ...more] = w.t.slack.messages(team.workspaceId, team.channelId);
      expect(more).toEqual([]);
      expect(message?.text).toContain('A better title');
    }
    expect(jobWrites).toBe(3 + 2 * WORKSPACES);
  });
});
