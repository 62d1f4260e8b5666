import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/store/emulator.js';
import { createFirestore } from '../../src/store/firestore-client.js';
import { createFirestoreStore, StoreDataError } from '../../src/store/firestore/index.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db, clear } = createTestFirestore('store-docs');
const store = createFirestoreStore(db);
const at = new Date('2024-05-01T10:00:00.000Z');
const raw = async (collection: string, id: string) => (await db.collection(collection).doc(id).get()).data();

beforeEach(() => clear());
afterAll(() => db.terminate());

describe('Firestore documents as the contract (CONTRACT.md §5) names them', () => {
  it('writes a subscription and its mapping twin under the contract ids and snake_case fields', async () => {
    await store.subscriptions.subscribe({
      workspaceId: 'T1',
      repoFullName: 'Octo-Org/Hello-World',
      channelId: 'C1',
      actor: 'U1',
      at,
    });

    const repoDoc = await raw(COLLECTIONS.repos, 'T1#octo-org%2Fhello-world');
    expect(repoDoc).toEqual({
      slack_team_id: 'T1',
      repo_full_name: 'Octo-Org/Hello-World',
      repo_key: 'octo-org/hello-world',
      channel_id: 'C1',
      enabled: true,
      created_by: 'U1',
      created_at: Timestamp.fromDate(at),
      disabled_reason: null,
      access_proof: 'public',
      access_github_user_id: null,
    });
    expect(await raw(COLLECTIONS.repoWorkspaceMappings, 'octo-org%2Fhello-world#T1')).toEqual({
      repo_full_name: 'Octo-Org/Hello-World',
      repo_key: 'octo-org/hello-world',
      workspace_id: 'T1',
      created_at: Timestamp.fromDate(at),
      routes_by_label: false,
      // The whole subscription, as its twin: a fan-out that found the entry need not read the repos document.
      subscription: repoDoc,
    });
    const audit = await db.collection(COLLECTIONS.auditLog).get();
    expect(audit.docs.map((d) => d.data())).toEqual([
      expect.objectContaining({
        slack_team_id: 'T1',
        actor: 'U1',
        action: 'subscription.create',
        target: 'octo-org/hello-world',
        at: Timestamp.fromDate(at),
      }),
    ]);
  });

  it('keeps the user, workspace and oauth state fields the contract names; uninstall deletes the sealed tokens', async () => {
    await store.users.linkGithub({ workspaceId: 'T1', slackUserId: 'U1', githubUserId: 9, githubLogin: 'nine', at });
    expect(await raw(COLLECTIONS.users, 'T1#U1')).toMatchObject({
      slack_team_id: 'T1',
      slack_user_id: 'U1',
      github_user_id: 9,
      github_login: 'nine',
      verified: true,
      default_channel: null,
      notifications_enabled: true,
    });

    await store.workspaces.saveInstallation({
      workspaceId: 'T1',
      teamName: 'Acme',
      enterpriseId: null,
      isEnterpriseInstall: false,
      botUserId: 'B1',
      encryptedInstallation: 'sealed',
      at,
    });
    expect(await raw(COLLECTIONS.workspaces, 'T1')).toMatchObject({
      installation_encrypted: 'sealed',
      installed_at: Timestamp.fromDate(at),
    });
    expect(await raw(COLLECTIONS.workspaces, 'T1')).not.toHaveProperty('uninstalled_at');
    await store.workspaces.markUninstalled({ workspaceId: 'T1', actor: 'slack', reason: 'app_uninstalled', at });
    const uninstalled = await raw(COLLECTIONS.workspaces, 'T1');
    expect(uninstalled).not.toHaveProperty('installation_encrypted');
    expect(uninstalled).toMatchObject({ uninstalled_at: Timestamp.fromDate(at) });

    await store.oauthStates.create({
      state: 'st1',
      kind: 'github_link',
      workspaceId: 'T1',
      slackUserId: 'U1',
      expiresAt: at,
      data: {},
    });
    expect(await raw(COLLECTIONS.oauthStates, 'st1')).toMatchObject({
      kind: 'github_link',
      slack_team_id: 'T1',
      slack_user_id: 'U1',
      expires_at: Timestamp.fromDate(at),
      expire_at: Timestamp.fromDate(at),
    });
  });

  it('a malformed document gives an error naming the document and the field', async () => {
    await db
      .collection(COLLECTIONS.repos)
      .doc('T1#o%2Fr')
      .set({ slack_team_id: 'T1', repo_full_name: 'o/r', channel_id: 42 });
    const failure = store.subscriptions.get('T1', 'o/r');
    await expect(failure).rejects.toBeInstanceOf(StoreDataError);
    await expect(failure).rejects.toThrow(
      'Malformed document repos/T1#o%2Fr: field "channel_id" should be a string, got a number',
    );

    await db.collection(COLLECTIONS.workspaces).doc('T2').set({ workspace_id: 'T2', installed_at: '2024-01-01' });
    await expect(store.workspaces.get('T2')).rejects.toThrow(/workspaces\/T2: field "is_enterprise_install"/);

    await db
      .collection(COLLECTIONS.oauthStates)
      .doc('bad')
      .set({ kind: 'other', expires_at: Timestamp.fromDate(at) });
    await expect(store.oauthStates.consume({ state: 'bad', kind: 'github_link', now: at })).rejects.toThrow(
      /oauth_states\/bad: field "kind" should be one of slack_install, link_start, slack_oidc, github_link/,
    );
  });

  it('a malformed document in a query result is named too', async () => {
    await store.subscriptions.subscribe({
      workspaceId: 'T1',
      repoFullName: 'o/good',
      channelId: 'C1',
      actor: 'U1',
      at,
    });
    await db
      .collection(COLLECTIONS.repos)
      .doc('T1#o%2Fbad')
      .set({ slack_team_id: 'T1', repo_full_name: 'o/bad', channel_id: 'C1', enabled: 'yes' });
    await expect(store.subscriptions.listForWorkspace('T1')).rejects.toThrow(
      /repos\/T1#o%2Fbad: field "enabled" should be a boolean/,
    );
  });
});

describe('readiness ping', () => {
  it('answers false, without throwing, when Firestore does not answer in time', async () => {
    const unreachable = createFirestore({ emulatorHost: `127.0.0.1:${await freePort()}`, projectId: 'nobody-home' });
    const store = createFirestoreStore(unreachable, { pingTimeoutMs: 300 });
    const started = Date.now();
    expect(await store.ping()).toBe(false);
    // Polled again while the first probe is still out: each answer stays prompt.
    expect(await Promise.all([store.ping(), store.ping(), store.ping()])).toEqual([false, false, false]);
    // Bounded by the ping's own timeout, not by the client's minute-long retries.
    expect(Date.now() - started).toBeLessThan(10_000);
    await unreachable.terminate();
  });
});
