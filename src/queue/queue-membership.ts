import type { LogPort } from '../shared/log-port.js';
import { ownedShards } from './queue-shards.js';

/** An instance taking part in the queue, until its lease runs out (renewed while it runs). */
export interface QueueMember {
  owner: string;
  leaseUntil: Date;
}

/** Where the members are kept: the Firestore adapter is in store/queue/firestore-members.ts. */
export interface MemberStore {
  renew(member: QueueMember): Promise<void>;
  leave(owner: string): Promise<void>;
  /** Calls `onMembers` with every member now and on every change. */
  watch(input: { onMembers: (members: QueueMember[]) => void; onError: (err: unknown) => void }): () => void;
}

export interface QueueMembership {
  start(): void;
  /**
   * Is a job of this shard this instance's to take from the queue? True for every shard while the members are not
   * known (before the first answer, or while the watch is down): ownership only spares instances from racing each
   * other for the same jobs, it never decides whether a job runs.
   */
  owns(shard: number): boolean;
  /** Instances live now, as this one knows (itself included). */
  size(): number;
  /** Leaves at once, so the others take its shards over without waiting for its lease to run out. */
  stop(): Promise<void>;
}

/**
 * This instance's share of the queue's shards. It keeps a lease in the member store, renewed every third of
 * `leaseMs`, and watches the others: each shard goes to one live member (ownedShards), so instances stop reading and
 * claiming the same jobs. An instance that crashed keeps its shards until its lease runs out; meanwhile the runner
 * takes a job of any shard once it has been due for a while (JobRunnerOptions.takeOverAfterMs).
 */
export function createQueueMembership(options: {
  store: MemberStore;
  owner: string;
  now: () => Date;
  log: LogPort;
  leaseMs?: number;
  /** After the watch failed: watch again this much later (owning every shard meanwhile). */
  retryMs?: number;
}): QueueMembership {
  const { store, owner, now, log } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const retryMs = options.retryMs ?? 30_000;
  /** The others as last watched; null while not known. */
  let others: QueueMember[] | null = null;
  let owned: Set<number> | null = null;
  let liveCount = 1;
  let unwatch: (() => void) | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let lapseTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let running = false;

  /** The split of the shards among the members live now; again when the next of their leases runs out. */
  function split(): void {
    clearTimeout(lapseTimer);
    if (others === null) {
      owned = null;
      liveCount = 1;
      return;
    }
    const t = now().getTime();
    const live = others.filter((m) => m.leaseUntil.getTime() > t);
    owned = ownedShards(
      live.map((m) => m.owner),
      owner,
    );
    liveCount = live.length + 1;
    const nextLapse = Math.min(...live.map((m) => m.leaseUntil.getTime()));
    if (Number.isFinite(nextLapse)) {
      lapseTimer = setTimeout(split, Math.min(nextLapse - t + 5, leaseMs));
      lapseTimer.unref();
    }
  }

  function renew(): void {
    const leaseUntil = new Date(now().getTime() + leaseMs);
    store
      .renew({ owner, leaseUntil })
      .catch((err: unknown) => log.warn({ err }, 'renewing the queue membership failed; trying again'));
  }

  function watch(): void {
    unwatch = store.watch({
      onMembers(members) {
        others = members.filter((m) => m.owner !== owner);
        split();
      },
      onError(err) {
        log.warn({ err }, 'watching the queue members failed; taking every shard until it is back');
        unwatch?.();
        unwatch = undefined;
        others = null;
        split();
        retryTimer = setTimeout(() => running && watch(), retryMs);
        retryTimer.unref();
      },
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      renew();
      renewTimer = setInterval(renew, leaseMs / 3);
      renewTimer.unref();
      watch();
    },
    owns: (shard) => owned === null || owned.has(shard),
    size: () => liveCount,
    async stop() {
      if (!running) return;
      running = false;
      clearInterval(renewTimer);
      clearTimeout(lapseTimer);
      clearTimeout(retryTimer);
      unwatch?.();
      unwatch = undefined;
      others = null;
      split();
      await store.leave(owner).catch((err: unknown) => log.warn({ err }, 'leaving the queue membership failed'));
    },
  };
}
