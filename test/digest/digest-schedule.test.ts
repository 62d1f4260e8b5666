import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSlackEnv } from '../../dev/fakes/product-env.js';
import { digestJob } from '../../src/digest/digest-job.js';
import { createFirestoreQueue } from '../../src/store/queue/firestore-queue.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { toRecord } from '../../src/shared/json-reader.js';
import { eventually } from '../support/eventually.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ask } from '../slack/slack-test-kit.js';
import {
  ago,
  channel,
  createDeliverer,
  createMovableClock,
  DAY,
  digestsIn,
  subscribe,
} from './support/digest-world.js';

const TEAM = 'TDIGSCHED';

/**
 * The digest at its time, with a fake clock, on two instances sharing the emulator project and the fake Slack: one
 * digest, whatever both instances (and a stray duplicate job) do.
 */
describe('a scheduled digest on two instances', () => {
  // Monday 2026-01-19, 08:00 in Berlin (07:00 UTC).
  const clock = createMovableClock(new Date('2026-01-19T07:00:00Z'));
  let a: TestApp;
  let b: TestApp;
  const wakeBoth = () => {
    a.app.queue.wake();
    b.app.queue.wake();
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

  beforeAll(async () => {
    const shared = {
      GOOGLE_CLOUD_PROJECT: `digest-${randomUUID().slice(0, 8)}`,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    a = await createTestApp({ now: clock.now, env: shared });
    b = await createTestApp({
      now: clock.now,
      env: {
        ...shared,
        ...fakeSlackEnv(a.slack),
        SLACK_CLIENT_ID: a.config.slack.clientId,
        SLACK_CLIENT_SECRET: a.config.slack.clientSecret,
      },
    });
    await a.installWorkspace({ workspaceId: TEAM, channels: [channel('CGENERAL'), channel('CDIGEST')] });
    await subscribe(a, { workspaceId: TEAM, repoFullName: 'acme/api', channelId: 'CDIGEST', at: clock.now() });
    const gh = createDeliverer(a);
    await gh.pr({ action: 'opened', repo: 'acme/api', number: 1, updatedAt: ago(clock.now(), 3 * DAY) });
    await gh.folded('acme/api', 1, () => true);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
  });

  it('is sent once at its time, and the next one is scheduled', async () => {
    const reply = await ask(a, {
      workspaceId: TEAM,
      userId: 'USETTER',
      text: 'digest <#CDIGEST|cdigest> 09:30 Europe/Berlin weekdays',
    });
    expect(reply).toContain('The digest of <#CDIGEST> is on: weekdays at 09:30 (Europe/Berlin)');
    expect(reply).toContain('2026-01-19T08:30:00.000Z');
    const audit = await a.deps.store.audit.listForWorkspace(TEAM);
    expect(audit.find((e) => e.action === 'digest.set')).toMatchObject({ actor: 'USETTER', target: 'CDIGEST' });

    // A stray second job for the same day (as a lost lease or a replayed enqueue might leave): the day's claim holds.
    const [scheduled] = (await a.deps.db.collection(COLLECTIONS.jobs).where('kind', '==', 'digest').get()).docs;
    expect(scheduled).toBeDefined();
    const payload = digestJob.decode(toRecord(scheduled!.get('payload')));
    await createFirestoreQueue(b.deps.db, { now: clock.now }).queue.enqueue(digestJob, payload, {
      key: 'digest-stray-duplicate',
      keyMode: 'unique',
      runAt: payload.runAt,
    });

    clock.moveTo(new Date('2026-01-19T08:29:00Z'));
    wakeBoth();
    await settle();
    expect(digestsIn(a, TEAM, 'CDIGEST')).toHaveLength(0);

    clock.moveTo(new Date('2026-01-19T08:30:01Z'));
    wakeBoth();
    await eventually(() => expect(digestsIn(a, TEAM, 'CDIGEST')).toHaveLength(1), 10_000);
    wakeBoth();
    await settle();
    const digests = digestsIn(a, TEAM, 'CDIGEST');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.text).toContain('#1 Add a greeting');
    const run = await a.deps.db.collection(COLLECTIONS.digestRuns).doc(`${TEAM}#CDIGEST#2026-01-19`).get();
    expect(run.get('status')).toBe('posted');

    // Tuesday's is waiting on the queue, scheduled by Monday's run.
    await eventually(async () => {
      const jobs = await a.deps.db.collection(COLLECTIONS.jobs).where('kind', '==', 'digest').get();
      const tuesday = jobs.docs.find((d) => d.id.includes('#2026-01-20#'));
      expect(tuesday?.get('status')).toBe('pending');
    });
  }, 30_000);

  it('sends the next weekday’s at its time, and nothing once it is turned off', async () => {
    clock.moveTo(new Date('2026-01-20T08:30:01Z'));
    wakeBoth();
    await eventually(() => expect(digestsIn(a, TEAM, 'CDIGEST')).toHaveLength(2), 10_000);

    const off = await ask(b, { workspaceId: TEAM, userId: 'USETTER', text: 'digest <#CDIGEST|cdigest> off' });
    expect(off).toContain('The digest of <#CDIGEST> is off');
    clock.moveTo(new Date('2026-01-21T08:30:01Z'));
    wakeBoth();
    await settle();
    wakeBoth();
    await settle();
    expect(digestsIn(a, TEAM, 'CDIGEST')).toHaveLength(2);
    const audit = await a.deps.store.audit.listForWorkspace(TEAM);
    expect(audit.find((e) => e.action === 'digest.off')).toMatchObject({ actor: 'USETTER', target: 'CDIGEST' });
  }, 30_000);
});
