import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { describeAccountSubscriptionContract } from './contract/account-subscriptions.js';
import { describeChannelSettingsContract } from './contract/channel-settings.js';
import { describeOAuthStateContract } from './contract/oauth-states.js';
import { describeSubscriptionContract } from './contract/subscriptions.js';
import { describeUserContract } from './contract/users.js';
import { describeWorkspaceContract } from './contract/workspaces.js';

export type MakeStore = () => Store | Promise<Store>;

/**
 * One behaviour contract for every Store implementation (Firestore and the in-memory fake), so the fake that
 * logic tests use cannot drift from what production does.
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name} store contract`, () => {
    describeWorkspaceContract(makeStore);
    describeUserContract(makeStore);
    describeSubscriptionContract(makeStore);
    describeAccountSubscriptionContract(makeStore);
    describeOAuthStateContract(makeStore);
    describeChannelSettingsContract(makeStore);

    describe('audit log', () => {
      it('lists a team’s entries newest first, with their details, up to the limit', async () => {
        const store = await makeStore();
        for (let i = 1; i <= 3; i++) {
          await store.audit.record({
            workspaceId: 'T1',
            actor: 'U1',
            action: `test.${i}`,
            target: 'x',
            at: new Date(Date.UTC(2024, 0, i)),
            details: { n: i, ok: true, none: null },
          });
        }
        await store.audit.record({
          workspaceId: 'T2',
          actor: 'U9',
          action: 'other',
          target: 'y',
          at: new Date(Date.UTC(2024, 0, 9)),
        });

        const entries = await store.audit.listForWorkspace('T1');
        expect(entries.map((e) => e.action)).toEqual(['test.3', 'test.2', 'test.1']);
        expect(entries[0]).toEqual({
          workspaceId: 'T1',
          actor: 'U1',
          action: 'test.3',
          target: 'x',
          at: new Date(Date.UTC(2024, 0, 3)),
          details: { n: 3, ok: true, none: null },
        });
        expect((await store.audit.listForWorkspace('T1', 2)).map((e) => e.action)).toEqual(['test.3', 'test.2']);
        expect((await store.audit.listForWorkspace('T2')).map((e) => e.action)).toEqual(['other']);
      });
    });

    it('answers ping while the database is reachable', async () => {
      const store = await makeStore();
      expect(await store.ping()).toBe(true);
    });
  });
}
