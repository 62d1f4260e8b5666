import { afterAll, describe, expect, it } from 'vitest';
import { createFirestore } from '../../src/store/firestore-client.js';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createTestFirestore, emulatorHost } from '../support/firestore.js';

const { db, projectId } = createTestFirestore('store-race');
const store = createFirestoreStore(db);
// A second client on the same database stands in for a second server instance: only Firestore's
// transactions, not the per-process queue, keep the two apart.
const otherDb = createFirestore({ emulatorHost: emulatorHost(), projectId });
const otherInstance = createFirestoreStore(otherDb);
afterAll(async () => {
  await Promise.all([db.terminate(), otherDb.terminate()]);
});

/** Reads the raw collections and pairs every repos document with its mapping twin, and back. */
async function twinsMismatch(): Promise<string[]> {
  const [repos, mappings] = await Promise.all([
    db.collection(COLLECTIONS.repos).get(),
    db.collection(COLLECTIONS.repoWorkspaceMappings).get(),
  ]);
  const repoIds = new Set(repos.docs.map((d) => d.id));
  const mappingIds = new Set(mappings.docs.map((d) => d.id));
  const problems: string[] = [];
  for (const d of repos.docs) {
    const twin = ids.repoWorkspaceMapping(String(d.get('repo_full_name')), String(d.get('slack_team_id')));
    if (!mappingIds.has(twin)) problems.push(`repos/${d.id} has no mapping ${twin}`);
  }
  for (const d of mappings.docs) {
    const twin = ids.repo(String(d.get('workspace_id')), String(d.get('repo_full_name')));
    if (!repoIds.has(twin)) problems.push(`repo_workspace_mappings/${d.id} has no repos ${twin}`);
  }
  return problems;
}

describe('Firestore subscriptions under concurrency', () => {
  it('40 mixed subscribe/unsubscribe calls plus auto-registrations never leave a twin alone', async () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const repo = 'Octo-Org/Race';
    const calls = Array.from({ length: 40 }, (_, i) => {
      if (i % 4 === 3) {
        return store.subscriptions.autoRegister({
          workspaceId: 'T1',
          repoFullName: repo,
          channelId: `CA${i}`,
          authorSlackUserId: 'U0',
          at,
        });
      }
      return i % 2 === 0
        ? store.subscriptions.subscribe({
            workspaceId: 'T1',
            repoFullName: repo,
            channelId: `C${i}`,
            actor: `U${i}`,
            at,
          })
        : store.subscriptions.unsubscribe({ workspaceId: 'T1', repoFullName: repo, actor: `U${i}`, at });
    });
    const outcomes = await Promise.allSettled(calls);

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await twinsMismatch()).toEqual([]);
    const subscription = await store.subscriptions.get('T1', repo);
    const mappings = await store.subscriptions.workspacesForRepo(repo);
    expect(mappings.length).toBe(subscription ? 1 : 0);
    // Every committed change left exactly one audit entry.
    const changes = outcomes.filter(
      (o) =>
        o.status === 'fulfilled' && o.value !== false && o.value !== 'opted_out' && o.value !== 'already_subscribed',
    );
    expect((await store.audit.listForWorkspace('T1', 100)).length).toBe(changes.length);
  }, 60_000);

  it('concurrent auto-registrations of a new repo create it at most once', async () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.subscriptions.autoRegister({
          workspaceId: 'T2',
          repoFullName: 'octo-org/fresh',
          channelId: `C${i}`,
          authorSlackUserId: `U${i}`,
          at,
        }),
      ),
    );
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    expect(results.filter((r) => r !== 'created').every((r) => r === 'already_subscribed')).toBe(true);
    expect((await db.collection(COLLECTIONS.repos).where('slack_team_id', '==', 'T2').get()).size).toBe(1);
    expect(await twinsMismatch()).toEqual([]);
  }, 60_000);

  it('two instances racing on one repo keep the twins together and register it at most once', async () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const repo = 'octo-org/two-instances';
    const calls = [store, otherInstance].flatMap((s, n) => [
      s.subscriptions.autoRegister({
        workspaceId: 'T3',
        repoFullName: repo,
        channelId: `CA${n}`,
        authorSlackUserId: 'U1',
        at,
      }),
      s.subscriptions.subscribe({ workspaceId: 'T3', repoFullName: repo, channelId: `C${n}`, actor: `U${n}`, at }),
      s.subscriptions.unsubscribe({ workspaceId: 'T3', repoFullName: repo, actor: `U${n}`, at }),
    ]);
    const outcomes = await Promise.allSettled(calls);

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'created').length).toBeLessThanOrEqual(1);
    expect(await twinsMismatch()).toEqual([]);
  }, 60_000);
});
