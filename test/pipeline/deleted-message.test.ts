import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { prPayload, reviewPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, REPO, type World } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TDEL', 'TKEEP'] });
});
afterAll(async () => w?.t.close());

const team = (i: number) => w.teams[i] ?? { workspaceId: '', channelId: '', botToken: '' };
const workspaceIds = () => w.teams.map((x) => x.workspaceId);
const about = (number: number) => (c: { args: Record<string, unknown> }) =>
  String(c.args['text'] ?? '').includes(`#${number} `);
const postsTo = (i: number, number: number) =>
  w.t.slack.callsTo('chat.postMessage', team(i).botToken).filter(about(number));
const tsOf = (i: number, number: number) =>
  w.t.slack.messages(team(i).workspaceId, team(i).channelId).find((m) => m.text.includes(`#${number} `))?.ts;
const callsOn = (i: number, ts: string | undefined) =>
  w.t.slack.calls.filter(
    (c) =>
      c.token === team(i).botToken &&
      (c.args['ts'] === ts || c.args['timestamp'] === ts) &&
      c.method !== 'chat.postMessage',
  );
const trackedDoc = (i: number, number: number) =>
  w.t.deps.db
    .collection(COLLECTIONS.trackedMessages)
    .doc(
      ids.trackedMessage({
        workspaceId: team(i).workspaceId,
        channelId: team(i).channelId,
        repoFullName: REPO,
        prNumber: number,
      }),
    )
    .get();
const reconcileJob = (i: number, number: number) =>
  w.t.deps.db
    .collection(COLLECTIONS.jobs)
    .doc(ids.reconcileJob({ workspaceId: team(i).workspaceId, repoFullName: REPO, prNumber: number }))
    .get();

const pr = (number: number, action: string, seconds: number, extra: Record<string, unknown> = {}) => ({
  event: 'pull_request',
  payload: prPayload({ action, number, title: `Title at ${seconds}`, updatedAt: at(seconds), ...extra }),
});
const approval = (number: number, seconds: number) => ({
  event: 'pull_request_review',
  payload: reviewPayload({
    action: 'submitted',
    number,
    title: 'Title at 1',
    state: 'approved',
    reviewer: { login: 'rev', id: 7100 },
    reviewId: 900 + number,
    submittedAt: at(seconds),
    prUpdatedAt: at(seconds),
  }),
});

async function openAndPost(number: number): Promise<string | undefined> {
  await sendAndSettle({ t: w.t, delivery: pr(number, 'opened', 1), prNumber: number, teams: workspaceIds() });
  await eventually(() => expect(postsTo(0, number)).toHaveLength(1));
  return tsOf(0, number);
}

describe('a PR message deleted in Slack by a person', () => {
  it.each([
    ['chat.update', 'message_not_found', 1, (n: number) => pr(n, 'edited', 2)],
    ['chat.update', 'cant_update_message', 2, (n: number) => pr(n, 'edited', 2)],
    ['reactions.add', 'message_not_found', 3, (n: number) => approval(n, 2)],
  ])(
    'when %s answers %s: marked deleted, job finished at once, never updated or re-posted',
    async (method, error, number, change) => {
      const ts = await openAndPost(number);
      w.t.slack.failNext({ token: team(0).botToken, method, error });
      await sendAndSettle({ t: w.t, delivery: change(number), prNumber: number, teams: workspaceIds() });

      expect((await trackedDoc(0, number)).data()).toMatchObject({ ts, deleted_reason: error });
      // Finished on its first attempt: no 17 minutes of retries ending in a dead job.
      expect((await reconcileJob(0, number)).data()).toMatchObject({ status: 'done', attempts: 1 });
      expect(callsOn(0, ts).filter((c) => c.method === method)).toHaveLength(1);
      const callsAfterDeletion = callsOn(0, ts).length;

      // Later events (closed, reopened, ready again) neither touch the deleted message nor post a new one.
      for (const [i, next] of [
        pr(number, 'closed', 3, { state: 'closed' }),
        pr(number, 'reopened', 4),
        pr(number, 'ready_for_review', 5),
      ].entries()) {
        await sendAndSettle({ t: w.t, delivery: next, prNumber: number, teams: workspaceIds() });
        expect((await reconcileJob(0, number)).data(), `event ${i}`).toMatchObject({ status: 'done', attempts: 1 });
      }
      expect(callsOn(0, ts)).toHaveLength(callsAfterDeletion);
      expect(postsTo(0, number)).toHaveLength(1);

      // The other workspace's message of the same PR lives on and follows every event.
      expect(postsTo(1, number)).toHaveLength(1);
      expect(
        w.t.slack.messages(team(1).workspaceId, team(1).channelId).find((m) => m.ts === tsOf(1, number))?.text,
      ).toContain('Title at 5');
    },
  );

  it('when a person really deleted it in Slack: the update is refused once, then the PR is left alone there', async () => {
    const number = 4;
    const ts = await openAndPost(number);
    w.t.slack.deleteMessage(team(0).workspaceId, team(0).channelId, ts ?? '');
    await sendAndSettle({ t: w.t, delivery: pr(number, 'edited', 2), prNumber: number, teams: workspaceIds() });

    expect((await trackedDoc(0, number)).data()).toMatchObject({ ts, deleted_reason: 'message_not_found' });
    expect((await reconcileJob(0, number)).data()).toMatchObject({ status: 'done', attempts: 1 });
    await sendAndSettle({ t: w.t, delivery: approval(number, 3), prNumber: number, teams: workspaceIds() });
    expect(callsOn(0, ts).map((c) => c.method)).toEqual(['chat.update']);
    expect(postsTo(0, number)).toHaveLength(1);
    expect(w.t.slack.messages(team(0).workspaceId, team(0).channelId).some((m) => m.text.includes(`#${number} `))).toBe(
      false,
    );
  });
});
