import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { eventually } from '../support/eventually.js';
import { seedInstallation } from '../support/seed-installation.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, REPO, type World } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TF1', 'TF2', 'TF3'] });
});
afterAll(async () => w?.t.close());

const team = (i: number) => w.teams[i] ?? { workspaceId: '', channelId: '', botToken: '' };
const postsOf = (i: number, number: number) =>
  w.t.slack.messages(team(i).workspaceId, team(i).channelId).filter((m) => m.text.includes(`#${number} `));
const open = (number: number) =>
  w.t.sendDelivery({ event: 'pull_request', payload: prPayload({ action: 'opened', number, updatedAt: at(number) }) });

describe('failures stay in their workspace', () => {
  it('a rate-limited workspace waits for Retry-After while the others are posted at once', async () => {
    // A minute's Retry-After, on the app's clock: real time never reaches it, so the others being posted while the
    // limited workspace still waits shows they were not held up (no stopwatch, which a loaded machine would fail).
    w.t.slack.failNext({
      token: team(0).botToken,
      method: 'chat.postMessage',
      error: 'ratelimited',
      retryAfterSeconds: 60,
    });
    const sent = w.clock.now().getTime();
    await open(1);
    await eventually(() => {
      expect(postsOf(1, 1)).toHaveLength(1);
      expect(postsOf(2, 1)).toHaveLength(1);
    });
    const limitedJob = () =>
      w.t.deps.db
        .collection(COLLECTIONS.jobs)
        .doc(ids.reconcileJob({ workspaceId: team(0).workspaceId, repoFullName: REPO, prNumber: 1 }))
        .get();
    let waitsUntil = new Date(0);
    await eventually(async () => {
      const job = await limitedJob();
      expect(job.get('status')).toBe('pending');
      expect(job.get('wait_reason')).toBe('slack_rate_limited');
      const runAt: unknown = job.get('run_at');
      expect(runAt).toBeInstanceOf(Timestamp);
      if (runAt instanceof Timestamp) waitsUntil = runAt.toDate();
    });
    expect(waitsUntil.getTime() - sent).toBeGreaterThanOrEqual(60_000);
    expect(postsOf(0, 1)).toHaveLength(0);
    // Once Slack's minute has passed, it is posted, once.
    w.clock.skipTo(waitsUntil);
    w.t.app.queue.wake();
    await eventually(() => expect(postsOf(0, 1)).toHaveLength(1));
  });

  it('a 5xx is retried and ends in exactly one message', async () => {
    w.t.slack.failNext({
      token: team(1).botToken,
      method: 'chat.postMessage',
      error: 'internal_error',
      httpStatus: 500,
    });
    // A 5xx leaves it open whether Slack posted: the retry waits until such a post would have landed (15 s, skipped
    // here on the app's clock), looks for it in the channel's history, and only then posts.
    await sendAndSettle({
      t: w.t,
      delivery: { event: 'pull_request', payload: prPayload({ action: 'opened', number: 2, updatedAt: at(2) }) },
      prNumber: 2,
      teams: w.teams.map((x) => x.workspaceId),
      skipWaits: { clock: w.clock, wake: () => w.t.app.queue.wake() },
    });
    expect(postsOf(1, 2)).toHaveLength(1);
    expect(
      w.t.slack.callsTo('chat.postMessage', team(1).botToken).filter((c) => String(c.args['text']).includes('#2 ')),
    ).toHaveLength(2);
    expect(w.t.slack.callsTo('conversations.history', team(1).botToken).length).toBeGreaterThanOrEqual(1);
  });

  it('an archived channel disables that subscription (audit-logged) and is not retried', async () => {
    w.t.slack.addChannel(team(2).workspaceId, {
      id: team(2).channelId,
      name: 'gone',
      isPrivate: false,
      botIsMember: true,
      archived: true,
    });
    await open(3);
    await eventually(async () => {
      expect(await w.t.deps.store.subscriptions.get(team(2).workspaceId, REPO)).toMatchObject({
        enabled: false,
        disabledReason: 'is_archived',
      });
    });
    const audit = await w.t.deps.store.audit.listForWorkspace(team(2).workspaceId);
    expect(audit.find((a) => a.action === 'subscription.disable')).toMatchObject({
      actor: 'system',
      details: { reason: 'is_archived' },
    });
    await eventually(() => expect(postsOf(0, 3)).toHaveLength(1));
    await open(4);
    await eventually(() => expect(postsOf(0, 4)).toHaveLength(1));
    expect(
      w.t.slack.callsTo('chat.postMessage', team(2).botToken).filter((c) => /#[34] /.test(String(c.args['text']))),
    ).toHaveLength(1);
  });

  it('skips an uninstalled workspace without an audit entry per PR event, and resumes after a reinstall', async () => {
    await w.t.deps.store.workspaces.markUninstalled({
      workspaceId: team(1).workspaceId,
      actor: 'slack',
      reason: 'app_uninstalled',
      at: new Date(),
    });
    const auditBefore = (await w.t.deps.store.audit.listForWorkspace(team(1).workspaceId)).map((a) => a.action);
    expect(auditBefore).toContain('workspace.uninstall');
    const teams = w.teams.map((x) => x.workspaceId);
    for (const number of [5, 55]) {
      await sendAndSettle({
        t: w.t,
        delivery: { event: 'pull_request', payload: prPayload({ action: 'opened', number, updatedAt: at(number) }) },
        prNumber: number,
        teams,
      });
      expect(postsOf(0, number)).toHaveLength(1);
    }
    // The uninstall itself is the audit record; skipping its PRs adds nothing (operators would drown in noise).
    expect((await w.t.deps.store.audit.listForWorkspace(team(1).workspaceId)).map((a) => a.action)).toEqual(
      auditBefore,
    );
    expect(postsOf(1, 5)).toHaveLength(0);
    expect(postsOf(1, 55)).toHaveLength(0);
    await w.t.installWorkspace({
      workspaceId: team(1).workspaceId,
      botToken: team(1).botToken,
      channels: [{ id: team(1).channelId, name: 'c', isPrivate: false, botIsMember: true }],
    });
    await open(6);
    await eventually(() => expect(postsOf(1, 6)).toHaveLength(1));
  });

  it('a token that a reinstall on another instance replaced is refused once, then the PR is posted with the new one', async () => {
    const { workspaceId, channelId, botToken: oldToken } = team(0);
    // This instance posted to the workspace lately, so it has the installation in memory.
    await open(9);
    await eventually(() => expect(postsOf(0, 9)).toHaveLength(1));
    // Another instance (its own store, so this one is not told) stores a reinstall; Slack revoked the old token.
    const newToken = `xoxb-${workspaceId}-reinstalled`;
    w.t.slack.addWorkspace({ workspaceId, botToken: newToken });
    await seedInstallation({
      workspaces: createFirestoreStore(w.t.deps.db).workspaces,
      tokens: w.t.deps.tokens,
      workspaceId,
      teamName: 'reinstalled',
      botToken: newToken,
      botUserId: `UBOT${workspaceId}`,
      scopes: ['commands', 'chat:write', 'reactions:write'],
      at: new Date(),
    });
    w.t.slack.revokeToken(oldToken);
    await open(10);
    await eventually(() => expect(postsOf(0, 10)).toHaveLength(1));
    const postsOf10 = (token: string) =>
      w.t.slack.callsTo('chat.postMessage', token).filter((c) => String(c.args['text']).includes('#10 '));
    expect(postsOf10(oldToken)).toHaveLength(1);
    expect(postsOf10(newToken)).toHaveLength(1);
    expect(w.t.slack.messages(workspaceId, channelId).filter((m) => m.text.includes('#10 '))).toHaveLength(1);
    // The refusal did not uninstall the reinstalled workspace.
    expect((await w.t.deps.store.workspaces.get(workspaceId))?.uninstalledAt).toBeNull();
    expect((await w.t.deps.store.audit.listForWorkspace(workspaceId)).map((a) => a.action)).not.toContain(
      'workspace.uninstall',
    );
  });
});
