import { describe, expect, it } from 'vitest';
import { ownedShards, QUEUE_SHARDS, shardOf } from '../../src/queue/queue-shards.js';

const ALL = Array.from({ length: QUEUE_SHARDS }, (_, i) => i);
const splitOf = (members: string[]) => new Map(members.map((m) => [m, ownedShards(members, m)]));

describe('queue shards', () => {
  it('every shard has exactly one owner, though each member works the split out on its own', () => {
    const split = splitOf(['worker-a', 'worker-b', 'worker-c']);
    const owners = ALL.map((shard) => [...split].filter(([, owned]) => owned.has(shard)).map(([m]) => m));
    expect(owners.every((o) => o.length === 1)).toBe(true);
  });

  it('shares are even: each of three members takes about a third', () => {
    for (const owned of splitOf(['worker-a', 'worker-b', 'worker-c']).values()) {
      expect(owned.size).toBeGreaterThan(QUEUE_SHARDS / 3 - 20);
      expect(owned.size).toBeLessThan(QUEUE_SHARDS / 3 + 20);
    }
  });

  it('a member leaving moves only its own shards; one joining takes shards without moving any between the others', () => {
    const three = splitOf(['worker-a', 'worker-b', 'worker-c']);
    const two = splitOf(['worker-a', 'worker-b']);
    for (const m of ['worker-a', 'worker-b']) {
      const before = three.get(m) ?? new Set<number>();
      const after = two.get(m) ?? new Set<number>();
      // Nothing it had is lost, and what it gains was the leaver's.
      expect([...before].every((s) => after.has(s))).toBe(true);
      expect([...after].filter((s) => !before.has(s)).every((s) => three.get('worker-c')?.has(s))).toBe(true);
    }
    const four = splitOf(['worker-a', 'worker-b', 'worker-c', 'worker-d']);
    for (const m of ['worker-a', 'worker-b', 'worker-c'])
      expect([...(four.get(m) ?? [])].every((s) => three.get(m)?.has(s))).toBe(true);
  });

  it('alone, an instance owns every shard; a shard key always lands in the same shard', () => {
    expect(ownedShards([], 'worker-a').size).toBe(QUEUE_SHARDS);
    expect(shardOf('octo-org/hello-world')).toBe(shardOf('octo-org/hello-world'));
    const spread = new Set(Array.from({ length: 1000 }, (_, i) => shardOf(`repo-${i}`)));
    expect(spread.size).toBeGreaterThan(QUEUE_SHARDS * 0.9);
  });
});
