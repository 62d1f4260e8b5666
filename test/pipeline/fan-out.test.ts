import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, REPO, type World } from './support/pipeline-world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TA', 'TB', 'TC'] });
});
afterAll(async () => w?.t.close());

describe('fan-out to subscribed workspaces', () => {
  it('posts one message in each workspace, with its own token and channel', async () => {
    const started = Date.now();
    const res = await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', number: 1, updatedAt: at(1) }),
      deliveryId: 'first-1',
    });
    expect(res.status).toBe(202);
    // Answered well within GitHub's 10 s delivery timeout: the posting happens after the answer.
    expect(Date.now() - started).toBeLessThan(5_000);
    await eventually(async () => {
      const delivery = (await w.t.deps.db.collection(COLLECTIONS.deliveries).doc('first-1').get()).data();
      expect(delivery).toMatchObject({ event: 'pull_request', action: 'opened', status: 'fanned_out', workspaces: 3 });
      expect(delivery?.['expire_at']).toBeInstanceOf(Timestamp);
    });
    await eventually(() => {
      for (const team of w.teams) expect(w.t.slack.messages(team.workspaceId, team.channelId)).toHaveLength(1);
    });
    const posts = w.t.slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(3);
    for (const team of w.teams) {
      const own = posts.filter((c) => c.token === team.botToken);
      expect(own).toHaveLength(1);
      expect(own[0]?.args['channel']).toBe(team.channelId);
      expect(w.t.slack.messages(team.workspaceId, team.channelId)[0]?.text).toContain('Add a greeting');
      expect(w.t.slack.messages(team.workspaceId, `D${team.workspaceId}`)).toHaveLength(0);
    }
  });

  it('keeps posting to the other workspaces when one token answers invalid_auth', async () => {
    const [broken, ...healthy] = w.teams;
    w.t.slack.failNext({ token: broken?.botToken ?? '', error: 'invalid_auth' });
    const res = await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', number: 2, updatedAt: at(2) }),
    });
    expect(res.status).toBe(202);
    await eventually(() => {
      for (const team of healthy)
        expect(w.t.slack.messages(team.workspaceId, team.channelId).filter((m) => m.text.includes('#2'))).toHaveLength(
          1,
        );
    });
    // A token Slack refuses for good uninstalls the workspace once, audit-logged, as Slack's tokens_revoked would.
    await eventually(async () => {
      expect((await w.t.deps.store.workspaces.get(broken?.workspaceId ?? ''))?.uninstalledAt).toBeInstanceOf(Date);
    });
    const audit = await w.t.deps.store.audit.listForWorkspace(broken?.workspaceId ?? '');
    expect(audit.filter((a) => a.action === 'workspace.uninstall')).toEqual([
      expect.objectContaining({ actor: 'system', details: expect.objectContaining({ reason: 'invalid_auth' }) }),
    ]);
    expect(
      w.t.slack.messages(broken?.workspaceId ?? '', broken?.channelId ?? '').filter((m) => m.text.includes('#2')),
    ).toHaveLength(0);
    // Not retried: a permanent failure costs one call.
    expect(
      w.t.slack.callsTo('chat.postMessage', broken?.botToken).filter((c) => String(c.args['text']).includes('#2')),
    ).toHaveLength(1);
    expect(await w.t.deps.store.subscriptions.get(broken?.workspaceId ?? '', REPO)).toMatchObject({ enabled: true });

    // Reinstalled: the workspace posts again (the next test sends to every workspace).
    await w.t.installWorkspace({ workspaceId: broken?.workspaceId ?? '', botToken: broken?.botToken ?? '' });
  });

  it('answers a redelivery without further Slack calls, also five at once', async () => {
    const payload = prPayload({ action: 'opened', number: 3, updatedAt: at(3) });
    const first = await w.t.sendDelivery({ event: 'pull_request', payload, deliveryId: 'dup-1' });
    expect(first.status).toBe(202);
    const again = await w.t.sendDelivery({ event: 'pull_request', payload, deliveryId: 'dup-1' });
    expect(again.status).toBe(200);
    // The same body under a new delivery id is a replay too (issue 8): the burst carries a body of its own.
    const next = prPayload({ action: 'opened', number: 3, updatedAt: at(4) });
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => w.t.sendDelivery({ event: 'pull_request', payload: next, deliveryId: 'dup-2' })),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    await eventually(() => {
      for (const team of w.teams)
        expect(w.t.slack.messages(team.workspaceId, team.channelId).filter((m) => m.text.includes('#3'))).toHaveLength(
          1,
        );
    });
    await new Promise((r) => setTimeout(r, 500));
    for (const team of w.teams) {
      expect(w.t.slack.messages(team.workspaceId, team.channelId).filter((m) => m.text.includes('#3'))).toHaveLength(1);
    }
  });
});
