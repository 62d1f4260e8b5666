import { describe, expect, it } from 'vitest';
import { withRecentChannelSettings } from '../../src/store/recent-channel-settings.js';
import { createMemoryAuditLog } from '../support/memory-store/audit-log.js';
import { createMemoryChannelSettingsStore } from '../support/memory-store/channel-settings-store.js';
import { createSerial } from '../support/memory-store/serial.js';

const KEEP_MS = 60_000;

/** One stored channel_settings collection and two processes, each with its own memory, on a clock the test moves. */
function twoProcesses() {
  const serial = createSerial();
  const shared = createMemoryChannelSettingsStore({ serial, audit: createMemoryAuditLog(serial) });
  let clock = 0;
  const process = () => withRecentChannelSettings(shared, { keepMs: KEEP_MS, now: () => clock });
  return { a: process(), b: process(), advance: (ms: number) => void (clock += ms) };
}

const setThreads = (threads: boolean, channelId = 'C1') => ({
  workspaceId: 'T1',
  channelId,
  threads,
  actor: 'U1',
  at: new Date(0),
});
const threadsOf = async (read: Promise<Map<string, { threads: boolean }>>) =>
  Object.fromEntries([...(await read)].map(([channel, s]) => [channel, s.threads]));

describe('recent channel settings', () => {
  it('answer from memory until another process’s change is at most a minute old; `get` sees it at once', async () => {
    const { a, b, advance } = twoProcesses();
    expect(await threadsOf(a.getRecent('T1', ['C1', 'C2']))).toEqual({ C1: true, C2: true });
    await b.setThreads(setThreads(false));
    advance(KEEP_MS - 1);
    expect(await threadsOf(a.getRecent('T1', ['C1']))).toEqual({ C1: true });
    expect(await threadsOf(a.get('T1', ['C1']))).toEqual({ C1: false });
    await b.setThreads(setThreads(true));
    advance(KEEP_MS);
    expect(await threadsOf(a.getRecent('T1', ['C1', 'C2']))).toEqual({ C1: true, C2: true });
  });

  it('see this process’s own change at once, and read only the channels they do not know', async () => {
    const { a } = twoProcesses();
    expect(await threadsOf(a.getRecent('T1', ['C1']))).toEqual({ C1: true });
    await a.setThreads(setThreads(false));
    expect(await threadsOf(a.getRecent('T1', ['C1', 'C3']))).toEqual({ C1: false, C3: true });
  });

  it('keep a workspace’s channels apart from another workspace’s', async () => {
    const { a, b } = twoProcesses();
    await b.setThreads(setThreads(false));
    expect(await threadsOf(a.getRecent('T1', ['C1']))).toEqual({ C1: false });
    expect(await threadsOf(a.getRecent('T2', ['C1']))).toEqual({ C1: true });
  });
});
