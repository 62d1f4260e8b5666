import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { eventually } from '../support/eventually.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, REPO } from './support/pipeline-world.js';

// createTestApp's own fake Slack does not enforce the posting limit: point the app at one that does.
let slack: FakeSlack;
let t: TestApp;
const TEAMS = [
  { workspaceId: 'TP1', channelId: 'CP1', botToken: 'xoxb-tp1-paced' },
  { workspaceId: 'TP2', channelId: 'CP2', botToken: 'xoxb-tp2-paced' },
];
beforeAll(async () => {
  slack = await startFakeSlack({ channelPostRate: { perSecond: 1, burst: 1 } });
  t = await createTestApp({ env: { SLACK_API_URL: slack.apiUrl } });
  for (const team of TEAMS) {
    await t.installWorkspace(team);
    slack.addWorkspace({ ...team, botUserId: `UBOT${team.workspaceId}`, channels: [channel(team.channelId)] });
    await t.deps.store.subscriptions.subscribe({
      workspaceId: team.workspaceId,
      repoFullName: REPO,
      channelId: team.channelId,
      actor: 'USETUP',
      at: new Date(),
    });
  }
});
afterAll(async () => {
  await t?.close();
  await slack?.close();
});

const PRS = [1, 2, 3, 4, 5];

describe('posting paced per (workspace, channel)', () => {
  it('5 PRs opened at once: 5 posts per channel, none answered ratelimited, about a second apart', async () => {
    const sent = await Promise.all(
      PRS.map((number) =>
        t.sendDelivery({
          event: 'pull_request',
          payload: prPayload({ action: 'opened', number, updatedAt: at(number) }),
        }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(PRS.map(() => 202));
    await eventually(() => {
      for (const team of TEAMS) expect(slack.messages(team.workspaceId, team.channelId)).toHaveLength(PRS.length);
    }, 20_000);

    for (const team of TEAMS) {
      // The fake answers 429 to a post less than a second after the previous one; each 429 would mean one more call.
      expect(slack.callsTo('chat.postMessage', team.botToken)).toHaveLength(PRS.length);
      const texts = slack.messages(team.workspaceId, team.channelId).map((m) => m.text);
      for (const number of PRS) expect(texts.filter((text) => text.includes(`#${number} `))).toHaveLength(1);

      const postedAt: number[] = [];
      for (const number of PRS) {
        const key = { workspaceId: team.workspaceId, channelId: team.channelId, repoFullName: REPO, prNumber: number };
        // A post is in Slack a moment before its run records it (and finishes): wait for both.
        await eventually(async () => {
          const tracked = await t.deps.db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage(key)).get();
          const posted: unknown = tracked.get('posted_at');
          expect(posted).toBeInstanceOf(Timestamp);
          // Waiting for a slot is a reschedule, not a failed attempt.
          const job = await t.deps.db.collection(COLLECTIONS.jobs).doc(ids.reconcileJob(key)).get();
          expect(job.data()).toMatchObject({ status: 'done', attempts: 1, last_error: null });
          postedAt.push((posted as Timestamp).toMillis());
        }, 5_000);
      }
      const sorted = postedAt.sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i += 1)
        expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(900);
    }
  });
});
