import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { prPayload, reviewPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TL'] });
});
afterAll(async () => w?.t.close());

const REVIEWER = { login: 'rev-one', id: 7001 };

/** The events of one PR's life, oldest first. */
function lifeOf(number: number) {
  return [
    { event: 'pull_request', payload: prPayload({ action: 'opened', number, title: 'First title', updatedAt: at(1) }) },
    {
      event: 'pull_request',
      payload: prPayload({ action: 'edited', number, title: 'Better title', updatedAt: at(2) }),
    },
    {
      event: 'pull_request_review',
      payload: reviewPayload({
        action: 'submitted',
        number,
        title: 'Better title',
        state: 'approved',
        reviewer: REVIEWER,
        reviewId: 1,
        submittedAt: at(3),
        prUpdatedAt: at(3),
      }),
    },
    {
      event: 'pull_request_review',
      payload: reviewPayload({
        action: 'submitted',
        number,
        title: 'Better title',
        state: 'changes_requested',
        reviewer: REVIEWER,
        reviewId: 2,
        submittedAt: at(4),
        prUpdatedAt: at(4),
      }),
    },
    {
      event: 'pull_request',
      payload: prPayload({
        action: 'closed',
        number,
        title: 'Better title',
        state: 'closed',
        merged: true,
        updatedAt: at(5),
      }),
    },
  ];
}

const team = () => w.teams[0] ?? { workspaceId: '', channelId: '', botToken: '' };
const messagesOf = (number: number) =>
  w.t.slack.messages(team().workspaceId, team().channelId).filter((m) => m.text.includes(`#${number} `));
/** The replies in the thread of a PR's message (threads are on by default). */
const repliesOf = (number: number) => {
  const ts = messagesOf(number)[0]?.ts;
  return ts ? w.t.slack.repliesOf(team().workspaceId, team().channelId, ts).map((m) => m.text) : [];
};
const callsFor = (method: string, ts: string | undefined) =>
  w.t.slack.callsTo(method).filter((c) => c.args['ts'] === ts || c.args['timestamp'] === ts);

describe('one PR from opened to merged', () => {
  it('posts once, then only updates and reacts, ending in the merged state', async () => {
    const [opened, edited, approved, changes, merged] = lifeOf(10);
    await w.t.sendDelivery(opened!);
    await eventually(() => expect(messagesOf(10)).toHaveLength(1));
    const ts = messagesOf(10)[0]?.ts;
    expect(messagesOf(10)[0]?.text).toContain('First title');

    await w.t.sendDelivery(edited!);
    await eventually(() => expect(messagesOf(10)[0]?.text).toContain('Better title'));
    expect(callsFor('chat.update', ts)).toHaveLength(1);

    await w.t.sendDelivery(approved!);
    await eventually(() => expect(messagesOf(10)[0]?.reactions).toEqual(['white_check_mark']));
    // A review's short PR carries no size: nothing in the rendering changed, so no chat.update.
    expect(callsFor('chat.update', ts)).toHaveLength(1);

    await w.t.sendDelivery(changes!);
    await eventually(() => expect(messagesOf(10)[0]?.reactions).toEqual(['arrows_counterclockwise']));

    await w.t.sendDelivery(merged!);
    await eventually(() => expect(messagesOf(10)[0]?.reactions.sort()).toEqual(['arrows_counterclockwise', 'tada']));
    const [message] = messagesOf(10);
    expect(messagesOf(10)).toHaveLength(1);
    expect(message?.text).toContain('Better title');
    expect(message?.text).toContain('(merged)');
    expect(w.t.slack.callsTo('chat.postMessage').filter((c) => String(c.args['text']).includes('#10 '))).toHaveLength(
      1,
    );
    expect(callsFor('chat.update', ts)).toHaveLength(2);
    // Its thread tells the story, one reply per event, and only once.
    await eventually(() =>
      expect(repliesOf(10)).toEqual([
        ':white_check_mark: *rev-one* approved',
        ':arrows_counterclockwise: *rev-one* requested changes',
        ':tada: Merged by *octo-author*',
      ]),
    );
  });

  it('converges to the same end state when the same events arrive in reverse order', async () => {
    for (const delivery of lifeOf(11).reverse()) {
      expect((await w.t.sendDelivery(delivery)).status).toBe(202);
    }
    await eventually(() => {
      expect(messagesOf(11)).toHaveLength(1);
      expect(messagesOf(11)[0]?.reactions.sort()).toEqual(['arrows_counterclockwise', 'tada']);
    });
    const [reversed] = messagesOf(11);
    const [forward] = messagesOf(10);
    const normalise = (text: string | undefined) => text?.replace(/\b1[01]\b/g, 'N');
    expect(normalise(reversed?.text)).toBe(normalise(forward?.text));
    expect(normalise(JSON.stringify(reversed?.blocks))).toBe(normalise(JSON.stringify(forward?.blocks)));
    expect(w.t.slack.callsTo('chat.postMessage').filter((c) => String(c.args['text']).includes('#11 '))).toHaveLength(
      1,
    );
    await eventually(() => expect(repliesOf(11).sort()).toEqual(repliesOf(10).sort()));
  });

  it('posts nothing for a draft until it is ready for review, then exactly once', async () => {
    await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', number: 12, draft: true, updatedAt: at(1) }),
    });
    await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'synchronize', number: 12, draft: true, additions: 50, updatedAt: at(2) }),
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(messagesOf(12)).toHaveLength(0);
    const pending = await w.t.deps.db.collection('jobs').where('status', 'in', ['pending', 'running']).get();
    expect(pending.docs.map((d) => d.id)).toEqual([]);

    await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'ready_for_review', number: 12, additions: 50, updatedAt: at(3) }),
    });
    await eventually(() => expect(messagesOf(12)).toHaveLength(1));
    expect(messagesOf(12)[0]?.text).toContain('(open)');
    expect(JSON.stringify(messagesOf(12)[0]?.blocks)).toContain('+50 / -2, 3 files');
  });
});
