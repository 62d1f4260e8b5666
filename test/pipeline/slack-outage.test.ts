import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, REPO } from './support/pipeline-world.js';
import { createClock } from './support/queue-kit.js';

const HOUR = 3_600_000;
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function subscribed(app: TestApp, workspaceId: string) {
  const channelId = `C${workspaceId}`;
  const { botToken } = await app.installWorkspace({ workspaceId, channels: [channel(channelId)] });
  await app.deps.store.subscriptions.subscribe({
    workspaceId,
    repoFullName: REPO,
    channelId,
    actor: 'USETUP',
    at: new Date(),
  });
  return { workspaceId, channelId, botToken };
}

const jobOf = async (app: TestApp, workspaceId: string, prNumber: number) =>
  (
    await app.deps.db
      .collection(COLLECTIONS.jobs)
      .doc(ids.reconcileJob({ workspaceId, repoFullName: REPO, prNumber }))
      .get()
  ).data() ?? {};
const millis = (v: unknown) =>
  typeof v === 'object' && v !== null && 'toMillis' in v && typeof v.toMillis === 'function'
    ? Number(v.toMillis())
    : NaN;

describe('a day-long Slack outage (simulated clock)', () => {
  it('retries through 5xx for 24 h: a workspace whose Slack recovers after 23 h gets its one message; one still failing after 24 h is given up', async () => {
    const clock = createClock(new Date());
    const start = clock.now().getTime();
    t = await createTestApp({ now: clock.now });
    const app = t;
    const recovers = await subscribed(app, 'TOUT1');
    const never = await subscribed(app, 'TOUT2');
    const outage = [recovers, never].map((w) =>
      app.slack.failFor({
        method: 'chat.postMessage',
        token: w.botToken,
        error: 'service_unavailable',
        httpStatus: 503,
        durationMs: 3_600_000,
      }),
    );
    expect(
      (
        await app.sendDelivery({
          event: 'pull_request',
          payload: prPayload({ action: 'opened', number: 24, updatedAt: at(1) }),
        })
      ).status,
    ).toBe(202);

    // Drive the clock: whenever every job sleeps, jump to the latest time one of them asked for and wake the queue.
    let ended = false;
    for (let step = 0; step < 2_000; step += 1) {
      const jobs = await Promise.all([recovers, never].map((w) => jobOf(app, w.workspaceId, 24)));
      if (jobs.every((j) => j['status'] === 'done' || j['status'] === 'dead')) break;
      if (!ended && clock.now().getTime() - start >= 23 * HOUR) {
        outage[0]?.end();
        ended = true;
      }
      const asleep = jobs.every(
        (j) =>
          j['status'] === 'done' ||
          j['status'] === 'dead' ||
          (j['status'] === 'pending' && millis(j['run_at']) > clock.now().getTime()),
      );
      if (asleep) {
        clock.set(new Date(Math.max(...jobs.map((j) => millis(j['run_at'])).filter((n) => !Number.isNaN(n)))));
        app.app.queue.wake();
      }
      await new Promise((r) => setTimeout(r, 10));
    }

    const [ok, gone] = await Promise.all([recovers, never].map((w) => jobOf(app, w.workspaceId, 24)));
    expect(ok).toMatchObject({ status: 'done' });
    expect(app.slack.messages(recovers.workspaceId, recovers.channelId)).toHaveLength(1);
    // Given up only once the budget was spent: 24 h after the first failure, not after a number of attempts.
    expect(gone).toMatchObject({ status: 'dead', last_error: expect.stringContaining('http_503') });
    expect(millis(gone?.['finished_at']) - millis(gone?.['failing_since'])).toBeGreaterThanOrEqual(24 * HOUR);
    expect(app.slack.messages(never.workspaceId, never.channelId)).toHaveLength(0);
    expect(app.slack.callsTo('chat.postMessage', never.botToken).length).toBeGreaterThan(100);
    outage[1]?.end();
  }, 240_000);
});

describe('a rate-limited workspace', () => {
  it('429s with Retry-After for longer than 12 attempts ever lasted never kill its job nor delay another workspace', async () => {
    t = await createTestApp();
    const app = t;
    const limited = await subscribed(app, 'TRL1');
    const other = await subscribed(app, 'TRL2');
    // More refusals than the old 12 attempts ever allowed, counted rather than timed: a loaded machine makes fewer
    // calls in a given time, and the point is the number of refusals the job rides out.
    const refusals = 14;
    app.slack.failNext({
      method: 'chat.postMessage',
      token: limited.botToken,
      error: 'ratelimited',
      retryAfterSeconds: 1,
      times: refusals,
    });
    const sent = Date.now();
    await app.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', number: 42, updatedAt: at(2) }),
    });
    await eventually(() => expect(app.slack.messages(other.workspaceId, other.channelId)).toHaveLength(1), 5_000);
    expect(Date.now() - sent).toBeLessThan(4_000);
    await eventually(() => expect(app.slack.messages(limited.workspaceId, limited.channelId)).toHaveLength(1), 100_000);
    // Every 429 was a wait: none of them counted.
    expect(app.slack.callsTo('chat.postMessage', limited.botToken).length).toBe(refusals + 1);
    // The job records its outcome a moment after Slack has the message.
    await eventually(async () =>
      expect(await jobOf(app, limited.workspaceId, 42)).toMatchObject({
        status: 'done',
        attempts: 1,
        failures_in_row: 0,
        last_error: null,
      }),
    );
  }, 120_000);
});
