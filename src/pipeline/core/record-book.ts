import type { MessageKey, TrackedMessageStore } from '../ports.js';

/** What a run changed in one message's record: its rendering, its reactions, follow-ups now done. */
export interface RecordChange {
  renderHash?: string;
  reactions?: string[];
  followUpIds?: string[];
}

/**
 * A run's changes to its messages' records, written once per message when the run ends (`flush`, also after a failure
 * or a wait): a merge's new rendering, its reaction and the thread reply it sent cost one write, not three. Each
 * change is noted after Slack shows it, so what is written is what Slack shows; a crash before the write only means the
 * next run does those calls again, and each is idempotent (the same text, a reaction already there).
 */
export function createRecordBook(options: { tracked: Pick<TrackedMessageStore, 'update'>; now: () => Date }) {
  const pending = new Map<string, { key: MessageKey; change: RecordChange }>();
  return {
    note(key: MessageKey, change: RecordChange): void {
      const id = [key.workspaceId, key.channelId, key.repoFullName, key.prNumber, key.followUpId ?? ''].join('#');
      const before = pending.get(id)?.change ?? {};
      const followUpIds = [...(before.followUpIds ?? []), ...(change.followUpIds ?? [])];
      pending.set(id, { key, change: { ...before, ...change, ...(followUpIds.length > 0 ? { followUpIds } : {}) } });
    },
    async flush(): Promise<void> {
      const writes = [...pending.values()];
      pending.clear();
      await Promise.all(
        writes.map(({ key, change }) => options.tracked.update({ key, ...change, now: options.now() })),
      );
    },
  };
}

export type RecordBook = ReturnType<typeof createRecordBook>;
