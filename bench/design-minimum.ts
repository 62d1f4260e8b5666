/**
 * The fewest Firestore operations and Slack calls one PR's life (open, approving review, label, merge) can cost per
 * subscribed workspace while keeping the delivery guarantees (nothing lost, nothing posted twice, across instances).
 *
 * Per event, once for all workspaces: the webhook stores the delivery and its fan-out job in one batch (2 writes); the
 * fan-out job is claimed (1 read, 1 write) and finished (1 write); the PR's state is read and written (1 + 1).
 * Per event and workspace: the repo's mapping document comes back from the fan-out's query (1 read). When the
 * workspace's message changes (open, review, merge; a label is not shown and only matters to routing filters, which
 * the mapping carries), its reconcile job is created in the fan-out's batch (1 write), claimed in a transaction that
 * reads the job and the channel's message record (2 reads, 1 write: the lease, which is also the intent to post),
 * and after the Slack call the message record and the job's end are written (2 writes).
 * With threads on (the default), the review and the merge are also replies in the message's thread, sent by the same
 * run: each reply is claimed before its post and recorded after it (2 writes); no extra read, the run already read
 * the parent message's record.
 * Every chat.postMessage (the post and the two replies) also books the channel's posting slot (1 write): Slack takes
 * about one message a second per channel, and instances share that budget only through a document they all write
 * (DESIGN §3, pace per channel). The slot's read is not counted: an instance remembers the version it last wrote.
 * Not counted either: reads an instance keeps in memory for a minute (the installation, the channel's settings), which
 * a running deployment pays once per workspace and minute, not per PR.
 */
export const PER_EVENT = { reads: 2, writes: 5 } as const;
export const PER_WORKSPACE_EVENT = { reads: 1 } as const;
export const PER_VISIBLE_CHANGE = { reads: 2, writes: 4 } as const;
export const EVENTS = 4;
export const VISIBLE_CHANGES = 3;
export const THREAD_REPLIES = 2;
export const PER_REPLY = { writes: 2 } as const;
export const PER_POST = { writes: 1 } as const;

/**
 * Slack: the post and the two thread replies (approved, merged), the merged text, and the two reactions. A label
 * changes nothing in Slack.
 */
export const SLACK_MINIMUM: Record<string, number> = { 'chat.postMessage': 3, 'chat.update': 1, 'reactions.add': 2 };

/** Reads and writes per workspace per PR life when `workspaces` follow the repo (the per-event part shared out). */
export function designMinimum(workspaces: number): { reads: number; writes: number; slackCalls: number } {
  const share = (n: number) => (EVENTS * n) / workspaces;
  return {
    reads: EVENTS * PER_WORKSPACE_EVENT.reads + VISIBLE_CHANGES * PER_VISIBLE_CHANGE.reads + share(PER_EVENT.reads),
    writes:
      VISIBLE_CHANGES * PER_VISIBLE_CHANGE.writes +
      THREAD_REPLIES * PER_REPLY.writes +
      (SLACK_MINIMUM['chat.postMessage'] ?? 0) * PER_POST.writes +
      share(PER_EVENT.writes),
    slackCalls: Object.values(SLACK_MINIMUM).reduce((a, b) => a + b, 0),
  };
}
