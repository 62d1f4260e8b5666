import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { T0, T1 } from './fixtures.js';

export function describeChannelSettingsContract(makeStore: () => Store | Promise<Store>): void {
  describe('channel settings', () => {
    it('a channel never set uses threads; none asked is an empty map', async () => {
      const store = await makeStore();
      expect(await store.channelSettings.get('T1', ['C1', 'C2'])).toEqual(
        new Map([
          ['C1', { threads: true }],
          ['C2', { threads: true }],
        ]),
      );
      expect((await store.channelSettings.get('T1', [])).size).toBe(0);
    });

    it('turning threads off and on again is kept per channel and audit-logged', async () => {
      const store = await makeStore();
      await store.channelSettings.setThreads({
        workspaceId: 'T1',
        channelId: 'C1',
        threads: false,
        actor: 'U1',
        at: T0,
      });
      expect(await store.channelSettings.get('T1', ['C1', 'C2', 'C1'])).toEqual(
        new Map([
          ['C1', { threads: false }],
          ['C2', { threads: true }],
        ]),
      );

      await store.channelSettings.setThreads({
        workspaceId: 'T1',
        channelId: 'C1',
        threads: true,
        actor: 'U2',
        at: T1,
      });
      expect((await store.channelSettings.get('T1', ['C1'])).get('C1')).toEqual({ threads: true });
      expect(await store.audit.listForWorkspace('T1')).toEqual([
        expect.objectContaining({
          action: 'channel.settings',
          actor: 'U2',
          target: 'C1',
          at: T1,
          details: { threads: true },
        }),
        expect.objectContaining({
          action: 'channel.settings',
          actor: 'U1',
          target: 'C1',
          at: T0,
          details: { threads: false },
        }),
      ]);
    });

    it('team B never sees team A’s channel settings', async () => {
      const store = await makeStore();
      await store.channelSettings.setThreads({
        workspaceId: 'TA',
        channelId: 'C1',
        threads: false,
        actor: 'U1',
        at: T0,
      });
      expect((await store.channelSettings.get('TB', ['C1'])).get('C1')).toEqual({ threads: true });
      expect(await store.audit.listForWorkspace('TB')).toEqual([]);
    });
  });
}
