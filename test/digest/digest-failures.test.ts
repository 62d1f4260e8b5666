import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createFirestorePrStateStore } from '../../src/store/pipeline/pr-state-store.js';
import { eventually } from '../support/eventually.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ask } from '../slack/slack-test-kit.js';
import { ago, channel, createMovableClock, HOUR, prNumbers, subscribe, textOf } from './support/digest-world.js';

const TEAM = 'TDIGFAIL';
const PRS = 260;

/**
 * A scheduled digest when Slack fails: a reply that fails is posted by the retry in the same thread, a post whose
 * outcome is unknown is never repeated, a rate limit is waited out, and an uninstalled workspace is skipped while
 * the schedule goes on. One day each (a daily digest at 09:30 in Berlin).
 */
describe('a scheduled digest when Slack fails', () => {
  const clock = createMovableClock(new Date('2026-01-19T07:00:00Z'));
  let t: TestApp;
  const settle = (ms = 1_500) => new Promise((resolve) => setTimeout(resolve, ms));
  const at = (day: number, time: string) => new Date(`2026-01-${String(day).padStart(2, '0')}T${time}Z`);
  const dueOn = (day: number) => {
    clock.moveTo(at(day, '08:30:01'));
    t.app.queue.wake();
  };
  const parents = () => t.slack.messages(TEAM, 'CDAILY');
  const listedIn = (parentTs: string) =>
    [...parents().filter((m) => m.ts === parentTs), ...t.slack.repliesOf(TEAM, 'CDAILY', parentTs)].flatMap((m) =>
      prNumbers(textOf(m)),
    );
  const runOf = async (day: number) =>
    (await t.deps.db.collection(COLLECTIONS.digestRuns).doc(`${TEAM}#CDAILY#2026-01-${day}`).get()).data();

  beforeAll(async () => {
    t = await createTestApp({ now: clock.now });
    await t.installWorkspace({ workspaceId: TEAM, channels: [channel('CGENERAL'), channel('CDAILY')] });
    await subscribe(t, { workspaceId: TEAM, repoFullName: 'acme/big', channelId: 'CDAILY', at: clock.now() });
    const states = createFirestorePrStateStore(t.deps.db);
    const events = Array.from({ length: PRS }, (_, i) => ({
      kind: 'pull_request' as const,
      action: 'opened' as const,
      pr: {
        repoFullName: 'acme/big',
        repoPrivate: false,
        number: i + 1,
        title: `${'A long title that makes the digest need several messages '.repeat(3)}${i + 1}`,
        url: `https://github.com/acme/big/pull/${i + 1}`,
        authorLogin: 'octo-author',
        authorId: 5001,
        labels: [],
        baseRef: 'main',
        headRef: `t${i}`,
        draft: false,
        state: 'open' as const,
        updatedAt: ago(clock.now(), (30 + i) * HOUR),
        requestedReviewers: [],
        requestedTeams: [],
      },
    }));
    for (let i = 0; i < events.length; i += 40) await Promise.all(events.slice(i, i + 40).map((e) => states.fold(e)));
    const reply = await ask(t, {
      workspaceId: TEAM,
      userId: 'USET',
      text: 'digest <#CDAILY|cdaily> 09:30 Europe/Berlin daily',
    });
    expect(reply).toContain('daily at 09:30');
  }, 120_000);
  afterAll(() => t?.close());

  it('a reply Slack refuses is posted by the retry, in the same thread, without a second digest', async () => {
    // Once the digest's first message is in, Slack refuses the next post (its first reply).
    t.slack.hook({
      method: 'chat.postMessage',
      at: 'answer',
      where: (c) => c.args['thread_ts'] === undefined,
      run: () => {
        t.slack.failNext({ method: 'chat.postMessage', error: 'internal_error' });
        return 'continue';
      },
    });
    dueOn(19);
    await eventually(async () => expect((await runOf(19))?.['status']).toBe('posting'), 10_000);
    // The retry's backoff passes on the app's clock.
    for (let i = 0; i < 10 && (await runOf(19))?.['status'] !== 'posted'; i++) {
      clock.moveTo(new Date(clock.now().getTime() + 30_000));
      t.app.queue.wake();
      await settle(500);
    }
    expect((await runOf(19))?.['status']).toBe('posted');
    expect(parents()).toHaveLength(1);
    const listed = listedIn(parents()[0]!.ts);
    expect(listed).toHaveLength(PRS);
    expect(new Set(listed).size).toBe(PRS);
  }, 30_000);

  it('a first post whose answer is lost is not posted again (never two digests a day)', async () => {
    // Slack stores the message, then the connection drops before its answer: the app cannot know it was posted.
    t.slack.hook({
      method: 'chat.postMessage',
      at: 'answer',
      where: (c) => c.args['thread_ts'] === undefined,
      run: () => 'drop',
    });
    dueOn(20);
    await eventually(() => expect(parents()).toHaveLength(2), 10_000);
    clock.moveTo(at(20, '09:30:00'));
    t.app.queue.wake();
    await settle();
    expect(parents()).toHaveLength(2);
    expect((await runOf(20))?.['status']).toBe('claimed');
  }, 30_000);

  it('a rate limit on the first post is waited out, then the digest is posted once', async () => {
    t.slack.failNext({ method: 'chat.postMessage', error: 'ratelimited', retryAfterSeconds: 2 });
    dueOn(21);
    await settle();
    expect(parents()).toHaveLength(2);
    clock.moveTo(at(21, '08:30:10'));
    t.app.queue.wake();
    await eventually(async () => expect((await runOf(21))?.['status']).toBe('posted'), 10_000);
    expect(parents()).toHaveLength(3);
  }, 30_000);

  it('an uninstalled workspace gets nothing, and its schedule goes on for a reinstall', async () => {
    await t.deps.store.workspaces.markUninstalled({
      workspaceId: TEAM,
      actor: 'slack',
      reason: 'app_uninstalled',
      at: clock.now(),
    });
    dueOn(22);
    await eventually(async () => {
      const jobs = await t.deps.db.collection(COLLECTIONS.jobs).where('kind', '==', 'digest').get();
      expect(jobs.docs.find((d) => d.id.includes('#2026-01-23#'))?.get('status')).toBe('pending');
    }, 10_000);
    expect(parents()).toHaveLength(3);
    expect(await runOf(22)).toBeUndefined();
  }, 30_000);
});
