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
  list(): Promise<QueueMember[]>;
}

export interface QueueMembership {
  start(): void;
  /**
   * Is a job of this shard this instance's to take from the queue? True for every shard while the members are not
   * known (before the first answer, or while they cannot be read): ownership only spares instances from racing each
   * other for the same jobs, it never decides whether a job runs.
   */
  owns(shard: number): boolean;
  /**
   * Reads the members again (at most once a second, however often asked): the runner asks when it finds due jobs of
   * another's shards, whose owner may have just left. True when the split changed.
   */
  refresh(): Promise<boolean>;
  /**
   * Reads the members first if they are older than MEMBERS_FRESH_MS: the runner asks before it queries the queue after
   * being idle (instances may have come or gone meanwhile, and a backlog is best split from the start).
   */
  recent(): Promise<void>;
  /** Instances live now, as this one knows (itself included). */
  size(): number;
  /** Leaves: the others take its shards over as soon as they next read the members. */
  stop(): Promise<void>;
}

/** Members read longer ago than this are read again when asked (and never more often). */
export const MEMBERS_FRESH_MS = 1_000;

/** Two shares alike (null: every shard). */
function sameShards(a: ReadonlySet<number> | null, b: ReadonlySet<number> | null): boolean {
  if (a === null || b === null) return a === b;
  return a.size === b.size && [...a].every((s) => b.has(s));
}

/**
 * This instance's share of the queue's shards. It keeps a lease in the member store, renewed every third of
 * `leaseMs`, and reads the members then (and once more a second after joining): each shard goes to one live member
 * (ownedShards), so instances stop claiming the same jobs. Reads, not a listener: the members change rarely, a
 * runner that meets another's due jobs reads them at once (refresh), and a listener would cost the emulator a match
 * at every commit. An instance that crashed keeps its shards until its lease runs out; meanwhile the runner takes a
 * job of any shard once it has been due for a while (JobRunnerOptions.takeOverAfterMs).
 */
export function createQueueMembership(options: {
  store: MemberStore;
  owner: string;
  now: () => Date;
  log: LogPort;
  leaseMs?: number;
}): QueueMembership {
  const { store, owner, now, log } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  let owned: Set<number> | null = null;
  let liveCount = 1;
  let renewTimer: NodeJS.Timeout | undefined;
  let lapseTimer: NodeJS.Timeout | undefined;
  let running = false;
  let others: QueueMember[] | null = null;
  /** A read under way, and one set for when the last is a second old: askers share them. */
  let reading: Promise<boolean> | undefined;
  let waiting: Promise<boolean> | undefined;
  let lastRead = 0;
  /** A read now would not be too soon: one is under way (to share), or the last is MEMBERS_FRESH_MS old. */
  const stale = () => reading !== undefined || Date.now() - lastRead >= MEMBERS_FRESH_MS;

  /** The split of the shards among the members live now (again when the next of their leases runs out): changed? */
  function split(): boolean {
    clearTimeout(lapseTimer);
    const before = owned;
    const t = now().getTime();
    const live = others?.filter((m) => m.leaseUntil.getTime() > t);
    const names = live?.map((m) => m.owner);
    owned = names ? ownedShards(names, owner) : null;
    liveCount = (live?.length ?? 0) + 1;
    const nextLapse = Math.min(...(live ?? []).map((m) => m.leaseUntil.getTime()));
    if (running && Number.isFinite(nextLapse)) {
      lapseTimer = setTimeout(split, Math.min(nextLapse - t + 5, leaseMs));
      lapseTimer.unref();
    }
    return !sameShards(before, owned);
  }

  function read(): Promise<boolean> {
    reading ??= store
      .list()
      .then(
        (members) => {
          others = members.filter((m) => m.owner !== owner);
          return split();
        },
        (err: unknown) => {
          log.warn({ err }, 'reading the queue members failed; taking every shard until they can be read');
          others = null;
          return split();
        },
      )
      .finally(() => {
        lastRead = Date.now();
        reading = undefined;
      });
    return reading;
  }

  /** A renewal under way (its write, then its read): a read asked for meanwhile comes after it. */
  let renewing: Promise<void> | undefined;
  function renew(): void {
    const leaseUntil = new Date(now().getTime() + leaseMs);
    renewing = store
      .renew({ owner, leaseUntil })
      .catch((err: unknown) => log.warn({ err }, 'renewing the queue membership failed; trying again'))
      .then(async () => {
        if (running) await read();
      })
      .finally(() => (renewing = undefined));
  }

  function refresh(): Promise<boolean> {
    if (!running) return Promise.resolve(false);
    if (stale()) return read();
    const wait = lastRead + MEMBERS_FRESH_MS - Date.now();
    waiting ??= new Promise<void>((resolve) => setTimeout(resolve, wait).unref()).then(() => {
      waiting = undefined;
      return running ? read() : false;
    });
    return waiting;
  }

  return {
    start() {
      if (running) return;
      running = true;
      renew();
      // Instances of a deploy start together: the first read may come before the others joined, and a busy instance
      // would then take their shards too (and race them for their jobs) until its next renewal. One more read a
      // second after the first makes the split agree within a second of the last of them joining.
      void renewing?.then(refresh);
      renewTimer = setInterval(renew, leaseMs / 3);
      renewTimer.unref();
    },
    owns: (shard) => owned === null || owned.has(shard),
    refresh,
    async recent() {
      await renewing;
      if (running && stale()) await read();
    },
    size: () => liveCount,
    async stop() {
      if (!running) return;
      running = false;
      clearInterval(renewTimer);
      others = null;
      split();
      await store.leave(owner).catch((err: unknown) => log.warn({ err }, 'leaving the queue membership failed'));
    },
  };
}
