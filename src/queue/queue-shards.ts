import { createHash } from 'node:crypto';

/**
 * The queue is cut into this many shards; each live instance takes a share of them (see queue-membership.ts). Many
 * more shards than instances keeps the shares even (a share moves whole when an instance comes or goes).
 */
export const QUEUE_SHARDS = 256;

const hash = (text: string) => createHash('md5').update(text).digest().readUIntBE(0, 6);

/** The shard of a job: from its shard key (jobs that should run in one instance share one, e.g. a repo's). */
export function shardOf(shardKey: string): number {
  return hash(shardKey) % QUEUE_SHARDS;
}

/**
 * The shards `self` owns among `members` (itself included or not): each shard goes to the member that scores
 * highest for it (rendezvous hashing), so every member computes the same split on its own, and a member coming or
 * going moves only the shards it gains or loses.
 */
export function ownedShards(members: Iterable<string>, self: string): Set<number> {
  const all = [...new Set([...members, self])];
  const owned = new Set<number>();
  for (let shard = 0; shard < QUEUE_SHARDS; shard++) {
    let best = self;
    let bestScore = -1;
    for (const member of all) {
      const score = hash(`${member}#${shard}`);
      if (score > bestScore || (score === bestScore && member < best)) {
        best = member;
        bestScore = score;
      }
    }
    if (best === self) owned.add(shard);
  }
  return owned;
}
