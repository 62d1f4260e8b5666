import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Query, type Firestore } from '@google-cloud/firestore';
import { toRecord } from '../../src/shared/json-reader.js';
import { installFirestoreMeter, tallySince, type FirestoreMeter } from '../../bench/firestore-meter.js';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { createCoalescedInReads } from '../../src/store/firestore/coalesced-in-reads.js';
import { QUERIES } from '../../src/store/firestore/queries.js';
import type { Store } from '../../src/store/types.js';
import { createTestFirestore } from '../support/firestore.js';

/**
 * A backlog made due at once fans out the deliveries of many repos in the same moment: their index reads (and the
 * auto-registration's user lookups) must cost one query for all of them, and each fan-out must still get exactly the
 * entries its own query would have found.
 */
describe('index reads coalesced per turn', () => {
  let meter: FirestoreMeter;
  let db: Firestore;
  let store: Store;
  const at = new Date('2026-12-01T10:00:00.000Z');
  const repos = Array.from({ length: 20 }, (_, i) => `octo-org/repo-${i}`);

  beforeAll(async () => {
    meter = installFirestoreMeter();
    db = createTestFirestore('in-reads').db;
    store = createFirestoreStore(db);
    // Two workspaces follow every even repo; one follows the whole account; one other account is followed too.
    for (const [i, repo] of repos.entries()) {
      const workspaces = i % 2 === 0 ? ['T1', 'T2'] : [];
      for (const workspaceId of workspaces)
        await store.subscriptions.subscribe({ workspaceId, repoFullName: repo, channelId: `C${i}`, actor: 'U1', at });
    }
    await store.subscriptions.subscribe({
      workspaceId: 'T3',
      repoFullName: 'octo-org/*',
      channelId: 'CA',
      actor: 'U1',
      at,
    });
    await store.subscriptions.subscribe({
      workspaceId: 'T4',
      repoFullName: 'other/*',
      channelId: 'CO',
      actor: 'U1',
      at,
    });
  });
  afterAll(() => db.terminate());

  const queriesDuring = async <T>(work: () => Promise<T>) => {
    const before = meter.read();
    const result = await work();
    return { result, queries: tallySince(before, meter.read()).rpcs['runQuery']?.calls ?? 0 };
  };
  const found = (mappings: ReadonlyArray<{ workspaceId: string; repoFullName: string }>) =>
    mappings.map((m) => `${m.workspaceId}:${m.repoFullName}`);

  it('answers 20 repos asked for in one turn with one query, each with what its own query finds', async () => {
    const alone = [];
    for (const repo of repos) alone.push(await store.subscriptions.workspacesForRepo(repo));
    const { result: together, queries } = await queriesDuring(() =>
      Promise.all(repos.map((repo) => store.subscriptions.workspacesForRepo(repo))),
    );
    expect(queries).toBe(1);
    expect(together.map(found)).toEqual(alone.map(found));
    // Spot checks against the subscriptions made above: its own workspaces, then the account's; nothing of `other/*`.
    expect(found(together[0] ?? []).sort()).toEqual(['T1:octo-org/repo-0', 'T2:octo-org/repo-0', 'T3:octo-org/*']);
    expect(found(together[1] ?? [])).toEqual(['T3:octo-org/*']);
  });

  it('sends more than 30 values as several queries, and reads asked for later as a query of their own', async () => {
    const reads = createCoalescedInReads(db, QUERIES.mappingsForRepo, 'repo_key');
    const keys = Array.from({ length: 45 }, (_, i) => `octo-org/repo-${i}`);
    const { result, queries } = await queriesDuring(() => Promise.all(keys.map((k) => reads([k]))));
    expect(queries).toBe(2);
    expect(result.map((docs) => docs.length)).toEqual(keys.map((_, i) => (i < 20 && i % 2 === 0 ? 2 : 0)));
    const again = await queriesDuring(() => reads(['octo-org/repo-2']));
    expect(again.queries).toBe(1);
    expect(again.result).toHaveLength(2);
  });

  it('answers every read of a failed query with its error, and the next turn reads afresh', async () => {
    const reads = createCoalescedInReads(db, QUERIES.mappingsForRepo, 'repo_key');
    // Firestore unavailable for one query (the SDK's own retries given up).
    const get = vi
      .spyOn(Query.prototype, 'get')
      .mockRejectedValueOnce(Object.assign(new Error('14 UNAVAILABLE: on purpose'), { code: 14 }));
    try {
      const outcomes = await Promise.allSettled([reads(['octo-org/repo-0']), reads(['octo-org/repo-2', 'octo-org/*'])]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? toRecord(o.reason)['code'] : 'answered'))).toEqual([
        14, 14,
      ]);
      expect(get).toHaveBeenCalledTimes(1);
      expect(await reads(['octo-org/repo-0'])).toHaveLength(2);
    } finally {
      get.mockRestore();
    }
  });

  it('finds a verified author in every workspace, once per turn for all the authors asked about', async () => {
    for (const [workspaceId, slackUserId, githubUserId] of [
      ['T1', 'U1', 101],
      ['T2', 'U9', 101],
      ['T1', 'U2', 202],
    ] as const) {
      await store.users.linkGithub({ workspaceId, slackUserId, githubUserId, githubLogin: `gh${githubUserId}`, at });
    }
    const { result, queries } = await queriesDuring(() =>
      Promise.all([101, 202, 303].map((id) => store.users.findVerifiedByGithubId(id))),
    );
    expect(queries).toBe(1);
    expect(result.map((users) => users.map((u) => `${u.workspaceId}:${u.slackUserId}`))).toEqual([
      ['T1:U1', 'T2:U9'],
      ['T1:U2'],
      [],
    ]);
  });
});
