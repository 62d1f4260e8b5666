import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessageTag } from '../../src/pipeline/core/message-tag.js';
import type { MessageKey } from '../../src/pipeline/ports.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import type { HookVerdict } from '../../dev/fakes/fake-slack.js';
import { createQuietClient } from '../fakes/fake-slack-test-kit.js';
import { eventually } from '../support/eventually.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, createWorld, REPO, type World } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

/**
 * Post claims end to end (the app, the emulator, the fake Slack): whatever happened to an earlier run of a PR's
 * reconcile job (it died after Slack accepted its post, its claim was left behind, its post failed or had to wait),
 * the channel ends with exactly one message for the PR, and no run waits for a dead run's claim for long.
 */
let w: World;
/** POST_SETTLE_MS in src/pipeline/wiring.ts. */
const SETTLE_MS = 15_000;
/** A workspace installed before the history scopes were asked for. */
const OLD_INSTALL = {
  workspaceId: 'TOLDSCOPES',
  channelId: 'COLDSCOPES',
  scopes: [
    'commands',
    'chat:write',
    'chat:write.public',
    'reactions:write',
    'channels:read',
    'groups:read',
    'channels:join',
    'users:read',
  ],
};
beforeAll(async () => {
  w = await createWorld({ teams: ['TCLAIMS'] });
  await w.t.installWorkspace({
    workspaceId: OLD_INSTALL.workspaceId,
    channels: [channel(OLD_INSTALL.channelId)],
    scopes: OLD_INSTALL.scopes,
  });
  await w.t.deps.store.subscriptions.subscribe({
    workspaceId: OLD_INSTALL.workspaceId,
    repoFullName: REPO,
    channelId: OLD_INSTALL.channelId,
    actor: 'USETUP',
    at: new Date(),
  });
});
afterAll(async () => w?.t.close());

const team = () => w.teams[0] ?? { workspaceId: '', channelId: '', botToken: '' };
const keyOf = (prNumber: number, t: { workspaceId: string; channelId: string } = team()): MessageKey => ({
  workspaceId: t.workspaceId,
  channelId: t.channelId,
  repoFullName: REPO,
  prNumber,
});
const messagesAbout = (key: MessageKey) =>
  w.t.slack.messages(key.workspaceId, key.channelId).filter((m) => m.text.includes(`#${key.prNumber} `));
const postsAbout = (key: MessageKey) =>
  w.t.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args['channel'] === key.channelId && String(c.args['text']).includes(`#${key.prNumber} `));
/** conversations.history calls in the key's channel from now on (the tests share channels). */
const countHistoryCalls = (key: MessageKey) => {
  const inChannel = () => w.t.slack.callsTo('conversations.history').filter((c) => c.args['channel'] === key.channelId);
  const before = inChannel().length;
  return () => inChannel().slice(before);
};
const trackedDoc = (key: MessageKey) =>
  w.t.deps.db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage(key)).get();
const jobDoc = (key: MessageKey) => w.t.deps.db.collection(COLLECTIONS.jobs).doc(ids.reconcileJob(key)).get();
const pr = (number: number, action: string, seconds: number, extra: Record<string, unknown> = {}) => ({
  event: 'pull_request',
  payload: prPayload({ action, number, title: `Title at ${seconds}`, updatedAt: at(seconds), ...extra }),
});
const settle = (
  delivery: { event: string; payload: unknown },
  prNumber: number,
  options: { teams?: string[]; timeoutMs?: number; skipWaits?: boolean } = {},
) =>
  sendAndSettle({
    t: w.t,
    delivery,
    prNumber,
    teams: options.teams ?? [team().workspaceId],
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.skipWaits ? { skipWaits: { clock: w.clock, wake: () => w.t.app.queue.wake() } } : {}),
  });

/** The document a run leaves when its instance is killed while it holds the claim, `claimedMsAgo` ago. */
async function leaveClaimOfDeadRun(key: MessageKey, claimedMsAgo: number): Promise<void> {
  const claimedAt = new Date(w.clock.now().getTime() - claimedMsAgo);
  await w.t.deps.db.collection(COLLECTIONS.trackedMessages).doc(ids.trackedMessage(key)).create({
    slack_team_id: key.workspaceId,
    channel_id: key.channelId,
    repo_full_name: key.repoFullName,
    pr_number: key.prNumber,
    ts: null,
    render_hash: null,
    reactions: [],
    created_at: claimedAt,
    updated_at: claimedAt,
    post_owner: 'worker-dead:lease-1',
    post_instance: 'worker-dead',
    post_claimed_at: claimedAt,
    post_unsure_since: null,
    post_unsure_until: null,
  });
}

describe('post claims', () => {
  it('a post Slack accepted but the dead run never recorded is adopted, not posted again, and then follows the merge', async () => {
    const key = keyOf(21);
    await leaveClaimOfDeadRun(key, 61_000);
    // What the dead run got out before it died: the tagged message, in an older rendering.
    const client = createQuietClient(w.t.slack);
    const { metadata, ts } = await (async () => {
      const tag = toMessageTag(key);
      const metadata = { event_type: tag.eventType, event_payload: tag.payload };
      const res = await client.chat.postMessage({
        token: team().botToken,
        channel: key.channelId,
        text: `Pull request #21 in ${REPO}: Title at 0`,
        metadata,
      });
      return { metadata, ts: res.ts };
    })();

    await settle(pr(21, 'opened', 1), 21);
    expect(messagesAbout(key)).toHaveLength(1);
    expect(messagesAbout(key)[0]).toMatchObject({ ts, metadata });
    expect(messagesAbout(key)[0]?.text).toContain('Title at 1');
    expect(postsAbout(key)).toHaveLength(1);
    expect((await trackedDoc(key)).data()).toMatchObject({ ts, post_owner: null, post_unsure_since: null });

    await settle(pr(21, 'closed', 2, { state: 'closed', merged: true }), 21);
    expect(messagesAbout(key)).toHaveLength(1);
    expect(messagesAbout(key)[0]?.text).toContain('(merged)');
    expect(messagesAbout(key)[0]?.reactions).toContain('tada');
    expect(postsAbout(key)).toHaveLength(1);
  });

  it('a claim left by a run that is gone is taken over as soon as its post would have landed, not after a minute', async () => {
    const key = keyOf(22);
    const historyCalls = countHistoryCalls(key);
    // Settled (15 s), but far from the minute after which such a claim used to be taken over.
    await leaveClaimOfDeadRun(key, SETTLE_MS + 2_000);
    const started = Date.now();
    await settle(pr(22, 'opened', 1), 22, { timeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(messagesAbout(key)).toHaveLength(1);
    // The dead run might have posted: the channel was searched for its tagged message first.
    expect(historyCalls()).toHaveLength(1);
    expect(historyCalls()[0]?.args).toMatchObject({ include_all_metadata: 'true' });
    expect(messagesAbout(key)[0]?.metadata).toEqual({
      event_type: toMessageTag(key).eventType,
      event_payload: toMessageTag(key).payload,
    });
    expect((await jobDoc(key)).get('status')).toBe('done');
  });

  it('Slack stored the post but its answer was lost: the next run waits for it to settle, finds it, adopts it', async () => {
    const key = keyOf(23);
    const historyCalls = countHistoryCalls(key);
    w.t.slack.hook({
      method: 'chat.postMessage',
      at: 'answer',
      where: (c) => c.args['channel'] === key.channelId && String(c.args['text']).includes('#23 '),
      run: () => 'drop',
    });
    // The wait for the unsure post to settle (SETTLE_MS) is skipped on the app's clock, not sat through.
    await settle(pr(23, 'opened', 1), 23, { skipWaits: true });
    expect(messagesAbout(key)).toHaveLength(1);
    expect(postsAbout(key)).toHaveLength(1);
    expect(historyCalls()).toHaveLength(1);
    expect((await trackedDoc(key)).get('ts')).toBe(messagesAbout(key)[0]?.ts);
  });

  it("a claim is given back while its run waits for Slack's Retry-After, and the run then posts once", async () => {
    const key = keyOf(24);
    const historyCalls = countHistoryCalls(key);
    w.t.slack.failNext({
      method: 'chat.postMessage',
      token: team().botToken,
      error: 'ratelimited',
      retryAfterSeconds: 3,
    });
    expect((await w.t.sendDelivery(pr(24, 'opened', 1))).status).toBe(202);
    // While it waits, nobody holds the claim (and nothing was sent, so the next run need not look).
    await eventually(async () => {
      expect(postsAbout(key)).toHaveLength(1);
      expect((await trackedDoc(key)).exists).toBe(false);
      expect((await jobDoc(key)).get('status')).toBe('pending');
    });
    await eventually(() => expect(messagesAbout(key)).toHaveLength(1), 10_000);
    expect(postsAbout(key)).toHaveLength(2);
    expect(historyCalls()).toHaveLength(0);
  });

  it('a claim is given back when the post fails; the retry looks for a message Slack may have stored, then posts once', async () => {
    const key = keyOf(25);
    const historyCalls = countHistoryCalls(key);
    // Slack answered with its own failure: the message may exist, so the retry looks before posting.
    w.t.slack.failNext({ method: 'chat.postMessage', token: team().botToken, error: 'fatal_error' });
    await settle(pr(25, 'opened', 1), 25, { skipWaits: true });
    expect(messagesAbout(key)).toHaveLength(1);
    expect(postsAbout(key)).toHaveLength(2);
    expect(historyCalls()).toHaveLength(1);
  });

  it('a run that posts while another run records its own copy first deletes its copy: one message remains', async () => {
    const key = keyOf(28);
    const client = createQuietClient(w.t.slack);
    let kept: string | undefined;
    // As our post reaches Slack, a run that outlived its lease (say) has posted and recorded its copy.
    w.t.slack.hook({
      method: 'chat.postMessage',
      at: 'arrival',
      where: (c) => c.args['channel'] === key.channelId && String(c.args['text']).includes('#28 '),
      run: async (): Promise<HookVerdict> => {
        kept = (
          await client.chat.postMessage({
            token: team().botToken,
            channel: key.channelId,
            text: `Pull request #28 in ${REPO}: other run`,
          })
        ).ts;
        await w.t.deps.db
          .collection(COLLECTIONS.trackedMessages)
          .doc(ids.trackedMessage(key))
          .update({ ts: kept, post_owner: null });
        return 'continue';
      },
    });
    await settle(pr(28, 'opened', 1), 28);
    expect(messagesAbout(key).map((m) => m.ts)).toEqual([kept]);
    expect((await trackedDoc(key)).get('ts')).toBe(kept);
    const deletes = w.t.slack.callsTo('chat.delete', team().botToken);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.args['ts']).not.toBe(kept);
    // The copy that counts is brought up to date.
    expect(messagesAbout(key)[0]?.text).toContain('Title at 1');
  });

  it('"Add to Slack" asks for the history scopes the search for an unrecorded post needs', async () => {
    const start = await fetch(`${w.t.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const scopes = new URL(start.headers.get('location') ?? '').searchParams.get('scope')?.split(',');
    expect(scopes).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'chat:write']));
  });

  it('a workspace installed without the history scopes gets exactly one message, and still posts after a dead run', async () => {
    const key = keyOf(26, OLD_INSTALL);
    const historyCalls = countHistoryCalls(key);
    await settle(pr(26, 'opened', 1), 26, { teams: [OLD_INSTALL.workspaceId] });
    expect(messagesAbout(key)).toHaveLength(1);
    expect(historyCalls()).toHaveLength(0);
    await settle(pr(26, 'edited', 2), 26, { teams: [OLD_INSTALL.workspaceId] });
    expect(messagesAbout(key)).toHaveLength(1);
    expect(messagesAbout(key)[0]?.text).toContain('Title at 2');

    // After a dead run it cannot look (Slack answers missing_scope), so it posts, as before the tags existed.
    const other = keyOf(27, OLD_INSTALL);
    await leaveClaimOfDeadRun(other, SETTLE_MS + 1_000);
    const historyCallsAfterDeadRun = countHistoryCalls(other);
    await settle(pr(27, 'opened', 1), 27, { teams: [OLD_INSTALL.workspaceId] });
    expect(messagesAbout(other)).toHaveLength(1);
    expect(historyCallsAfterDeadRun()).toHaveLength(1);
    expect((await jobDoc(other)).get('status')).toBe('done');
  });
});
