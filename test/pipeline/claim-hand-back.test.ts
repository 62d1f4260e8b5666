import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, REPO, type World } from './support/pipeline-world.js';

/** POST_SETTLE_MS in src/pipeline/wiring.ts. */
const SETTLE_MS = 15_000;
let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TSTOP'] });
});
afterAll(async () => w?.t.close());

describe('stopping with a post in flight (SIGTERM)', () => {
  it('hands the post claim back, as a post that may still land until it has settled', async () => {
    const team = w.teams[0] ?? { workspaceId: '', channelId: '', botToken: '' };
    const key = { workspaceId: team.workspaceId, channelId: team.channelId, repoFullName: REPO, prNumber: 41 };
    // Slack holds the post longer than the queue's grace for in-flight jobs at shutdown.
    w.t.slack.delayNext({ method: 'chat.postMessage', token: team.botToken, delayMs: 8_000 });
    const delivery = prPayload({ action: 'opened', number: 41, title: 'In flight', updatedAt: at(1) });
    expect((await w.t.sendDelivery({ event: 'pull_request', payload: delivery })).status).toBe(202);
    await eventually(() => expect(w.t.slack.callsTo('chat.postMessage', team.botToken)).toHaveLength(1));

    const stoppedAt = Date.now();
    await w.t.app.stop();
    const doc = await w.t.deps.db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage(key)).get();
    // Nobody holds it: the next instance need not wait for a dead owner, only for the post in flight to land.
    expect(doc.data()).toMatchObject({ ts: null, post_owner: null, post_instance: null });
    const unsureUntil: unknown = doc.get('post_unsure_until');
    expect(unsureUntil).toBeInstanceOf(Timestamp);
    const until = unsureUntil instanceof Timestamp ? unsureUntil.toMillis() : 0;
    expect(until).toBeGreaterThanOrEqual(stoppedAt + SETTLE_MS);
    expect(until).toBeLessThan(Date.now() + SETTLE_MS + 1_000);
    expect((await w.t.deps.db.collection(COLLECTIONS.jobs).doc(ids.reconcileJob(key)).get()).get('status')).toBe(
      'pending',
    );
  }, 20_000);
});
