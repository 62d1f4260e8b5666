import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../support/memory-store/index.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('in-memory', () => createMemoryStore());

describe('in-memory store extras', () => {
  it('reports not ready when told the database is away', async () => {
    let up = true;
    const store = createMemoryStore({ isAvailable: () => up });
    expect(await store.ping()).toBe(true);
    up = false;
    expect(await store.ping()).toBe(false);
  });

  it('hands out copies: changing a returned record does not change the store', async () => {
    const store = createMemoryStore();
    await store.subscriptions.subscribe({
      workspaceId: 'T1',
      repoFullName: 'o/r',
      channelId: 'C1',
      actor: 'U1',
      at: new Date(0),
    });
    const got = await store.subscriptions.get('T1', 'o/r');
    if (got) got.channelId = 'CHANGED';
    expect(await store.subscriptions.get('T1', 'o/r')).toMatchObject({ channelId: 'C1' });
  });
});
