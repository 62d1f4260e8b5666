import { describe, expect, it } from 'vitest';
import type { OAuthStateRecord, Store } from '../../../src/store/types.js';
import { T0, T1, T2 } from './fixtures.js';

const state = (over: Partial<OAuthStateRecord> = {}): OAuthStateRecord => ({
  state: 's-123',
  kind: 'github_link',
  workspaceId: 'T1',
  slackUserId: 'U1',
  expiresAt: T1,
  data: { redirect: '/done' },
  ...over,
});

export function describeOAuthStateContract(makeStore: () => Store | Promise<Store>): void {
  describe('oauth states', () => {
    it('a state is consumed once: the first consume returns it, the second gets null', async () => {
      const store = await makeStore();
      await store.oauthStates.create(state());
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T0 })).toEqual(state());
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T0 })).toBeNull();
    });

    it('an expired state gives null and stays unusable', async () => {
      const store = await makeStore();
      await store.oauthStates.create(state());
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T2 })).toBeNull();
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T0 })).toBeNull();
    });

    it('a state of another kind is refused without burning it', async () => {
      const store = await makeStore();
      await store.oauthStates.create(state({ kind: 'slack_install', workspaceId: null, slackUserId: null, data: {} }));
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T0 })).toBeNull();
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'slack_install', now: T0 })).toMatchObject({
        kind: 'slack_install',
        workspaceId: null,
        slackUserId: null,
        data: {},
      });
    });

    it('a state value is created once: a second create is refused and changes nothing', async () => {
      const store = await makeStore();
      expect(await store.oauthStates.create(state())).toBe('created');
      expect(await store.oauthStates.create(state({ workspaceId: 'T9', slackUserId: 'U9' }))).toBe('exists');
      expect(await store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T0 })).toEqual(state());
    });

    it('an unknown state is null', async () => {
      const store = await makeStore();
      expect(await store.oauthStates.consume({ state: 'nope', kind: 'slack_install', now: T0 })).toBeNull();
    });

    it('concurrent consumes of one state hand it out exactly once', async () => {
      const store = await makeStore();
      await store.oauthStates.create(state());
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.oauthStates.consume({ state: 's-123', kind: 'github_link', now: T0 })),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });
  });
}
