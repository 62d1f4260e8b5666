import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, channel, REPO } from '../pipeline/support/pipeline-world.js';
import { sendAndSettle } from '../pipeline/support/settle.js';
import { eventually } from '../support/eventually.js';
import type { TestApp } from '../support/test-app.js';
import { ask, startSlackSide } from './slack-test-kit.js';

/**
 * The attack: someone who can write `workspaces` documents (but does not hold the key) copies workspace A's sealed
 * installation into workspace B's document. B must not act with A's bot token, in commands or in posts.
 */
describe('a sealed installation copied into another workspace', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let tokenA = '';

  beforeAll(async () => {
    let gh;
    ({ t, gh, close } = await startSlackSide());
    gh.addRepo({ fullName: 'octo/public', private: false });
    ({ botToken: tokenA } = await t.installWorkspace({
      workspaceId: 'TVICTIM',
      channels: [channel('CVICTIM', { name: 'victim-general' })],
    }));
    await t.installWorkspace({ workspaceId: 'TTHIEF', channels: [channel('CTHIEF', { name: 'thief-general' })] });
    for (const [workspaceId, channelId] of [
      ['TVICTIM', 'CVICTIM'],
      ['TTHIEF', 'CTHIEF'],
    ] as const) {
      await t.deps.store.subscriptions.subscribe({
        workspaceId,
        repoFullName: REPO,
        channelId,
        actor: 'USETUP',
        at: new Date(),
      });
    }
    const victim = await t.deps.db.collection(COLLECTIONS.workspaces).doc(ids.workspace('TVICTIM')).get();
    await t.deps.db
      .collection(COLLECTIONS.workspaces)
      .doc(ids.workspace('TTHIEF'))
      .update({
        installation_encrypted: victim.get('installation_encrypted'),
      });
  });
  afterAll(() => close());

  const callsWithVictimToken = () => t.slack.calls.filter((c) => c.token === tokenA);

  it('is not used to answer a slash command in the other workspace', async () => {
    const before = callsWithVictimToken().length;
    const reply = await ask(t, {
      workspaceId: 'TTHIEF',
      userId: 'UTHIEF',
      text: 'subscribe octo/public #victim-general',
    });
    expect(reply).toContain('not installed');
    expect(callsWithVictimToken()).toHaveLength(before);
    expect(await t.deps.store.subscriptions.get('TTHIEF', 'octo/public')).toBeNull();
  });

  it('is not used when the victim’s whole workspace document is copied under the other workspace’s id', async () => {
    const victim = await t.deps.db.collection(COLLECTIONS.workspaces).doc(ids.workspace('TVICTIM')).get();
    await t.deps.db
      .collection(COLLECTIONS.workspaces)
      .doc(ids.workspace('TWHOLE'))
      .set(victim.data() ?? {});
    t.slack.addWorkspace({
      workspaceId: 'TWHOLE',
      teamName: 'whole',
      botToken: 'xoxb-whole-unused',
      botUserId: 'UBOTWHOLE',
    });
    const before = callsWithVictimToken().length;
    const reply = await ask(t, {
      workspaceId: 'TWHOLE',
      userId: 'UTHIEF',
      text: 'subscribe octo/public #victim-general',
    });
    expect(reply).toContain('not installed');
    expect(callsWithVictimToken()).toHaveLength(before);
    expect(await t.deps.store.subscriptions.get('TWHOLE', 'octo/public')).toBeNull();
    await expect(t.deps.tokens.botToken('TWHOLE')).rejects.toThrow();
  });

  it('posts nothing for the other workspace with the victim’s token, while the victim still gets its own post', async () => {
    await sendAndSettle({
      t,
      delivery: { event: 'pull_request', payload: prPayload({ action: 'opened', number: 41, updatedAt: at(1) }) },
      prNumber: 41,
      teams: ['TVICTIM'],
    });
    // The thief's job has run (to an end or to a failure) before we look at what it did.
    await eventually(async () => {
      const job = await t.deps.db
        .collection(COLLECTIONS.jobs)
        .doc(ids.reconcileJob({ workspaceId: 'TTHIEF', repoFullName: REPO, prNumber: 41 }))
        .get();
      expect(job.get('status') === 'done' || job.get('last_error') !== null).toBe(true);
    });
    const posts = t.slack.callsTo('chat.postMessage').filter((c) => String(c.args['text']).includes('#41 '));
    expect(posts.map((c) => ({ token: c.token, channel: c.args['channel'] }))).toEqual([
      { token: tokenA, channel: 'CVICTIM' },
    ]);
    expect(t.slack.messages('TVICTIM', 'CVICTIM').filter((m) => m.text.includes('#41 '))).toHaveLength(1);
    expect(t.slack.messages('TTHIEF', 'CTHIEF')).toHaveLength(0);
  });
});
