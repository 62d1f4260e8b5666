import { describe, expect, it } from 'vitest';
import { jobDone } from '../../src/queue/job-outcome.js';
import { createQueueMembership, MEMBERS_FRESH_MS, type QueueMembership } from '../../src/queue/queue-membership.js';
import { ownedShards, QUEUE_SHARDS, shardOf } from '../../src/queue/queue-shards.js';
import { createReadCounter } from '../../src/queue/read-counter.js';
import { createFirestoreMemberStore } from '../../src/store/queue/firestore-members.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { createTestFirestore } from '../support/firestore.js';
import { defineTask, type Task } from '../../src/queue/task.js';
import { createClock, createQueueKit, createMemoryLog, probeJob, repoProbeJob } from '../pipeline/support/queue-kit.js';

// Clients are not terminated, as in production (src/store/open-firestore.ts): see runner-concurrency.test.ts.
const T0 = new Date('2024-01-01T00:00:00Z');
const NAMES = Array.from({ length: 40 }, (_, i) => `job-${i}`);
const idOf = (name: string) => `probe#${name}`;

/** Instances on one emulator project, each with its own queue client (as separate processes have). */
function fresh(now: () => Date) {
  const { db } = createTestFirestore('members');
  const log = createMemoryLog();
  const members = createFirestoreMemberStore(db, { reads: createReadCounter(), log });
  /** Which instance ran each job, and how often. */
  const ran = new Map<string, string[]>();
  /** An instance; `hold`: its runs wait for it before they end. Its lease is renewed (and the members read) every 20 s. */
  function instance(owner: string, o: { hold?: Promise<void>; tasks?: Task[] } = {}) {
    const kit = createQueueKit(db, { now });
    const membership = createQueueMembership({ store: members, owner, now, log, leaseMs: 60_000 });
    const runner = kit.runner(
      async (run) => {
        await o.hold;
        ran.set(run.payload.name, [...(ran.get(run.payload.name) ?? []), owner]);
        return jobDone();
      },
      { owner, membership, stopGraceMs: 100, ...(o.tasks ? { tasks: o.tasks } : {}) },
    );
    return { owner, kit, membership, runner };
  }
  /** Jobs due now, enqueued by a process that runs none (as ingress on another instance would). */
  const enqueueDue = (names: readonly string[]) =>
    createQueueKit(db, { now }).queue.enqueueMany(
      probeJob,
      names.map((name) => ({ payload: { name }, options: { key: idOf(name), keyMode: 'coalesce' as const } })),
    );
  /** Reads the members now (as a runner does when it meets another's due jobs) until `count` are known. */
  const knows = (m: QueueMembership, count: number) =>
    eventually(async () => {
      await m.refresh();
      expect(m.size()).toBe(count);
    });
  /** Starts `a` and waits until its first renewal and its read of the members are done: it knows only itself. */
  async function join(a: ReturnType<typeof instance>) {
    a.runner.start();
    await eventually(async () =>
      expect((await db.collection(COLLECTIONS.queueMembers).doc(a.owner).get()).exists).toBe(true),
    );
    await a.membership.recent();
  }
  /**
   * Instance a, then b once a has read the members (and again a second after joining): b knows a, but a does not
   * know b until it reads them again (its next renewal is 20 s away), as when an instance joins a running deployment.
   */
  async function startPair() {
    const a = instance('worker-a');
    const b = instance('worker-b');
    const stop = () => Promise.all([a.runner.stop(), b.runner.stop()]);
    try {
      await join(a);
      // Its read a second after joining is done too, and no read is set for later (refresh would set one).
      await new Promise((resolve) => setTimeout(resolve, MEMBERS_FRESH_MS + 100));
      await a.membership.recent();
      b.runner.start();
      await knows(b.membership, 2);
    } catch (err) {
      await stop();
      throw err;
    }
    return { a, b, stop };
  }
  return { db, members, ran, instance, enqueueDue, knows, join, startPair };
}

describe('instances share the queue by shards', () => {
  it('two instances each take only the due jobs of their own shards, the one that joined last too: every job runs once and no claim is lost', async () => {
    const f = fresh(() => new Date());
    const { a, b, stop } = await f.startPair();
    try {
      expect(a.membership.size()).toBe(1);
      // a's last read is more than a second old, as in a deployment that has run for a while.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await f.enqueueDue(NAMES);
      await eventually(() => expect(f.ran.size).toBe(NAMES.length), 15_000);
      // a read the members before it split the backlog: it knows b, though its next renewal is still 20 s away.
      expect(a.membership.size()).toBe(2);
      expect([...f.ran.values()].every((owners) => owners.length === 1)).toBe(true);
      const aOwns = ownedShards(['worker-a', 'worker-b'], 'worker-a');
      for (const name of NAMES)
        expect(f.ran.get(name), name).toEqual([aOwns.has(shardOf(idOf(name))) ? 'worker-a' : 'worker-b']);
      // Both had work: the split is real, not one instance taking all.
      expect(new Set([...f.ran.values()].flat())).toEqual(new Set(['worker-a', 'worker-b']));
      expect(a.kit.lostClaims.total() + b.kit.lostClaims.total()).toBe(0);
    } finally {
      await stop();
    }
  });

  it("a crashed instance's jobs wait only for the take-over delay, then a live instance runs them", async () => {
    const clock = createClock(T0);
    const f = fresh(clock.now);
    // A member that renewed its lease and then died: it never claims anything.
    await f.members.renew({ owner: 'worker-dead', leaseUntil: new Date(T0.getTime() + 10 * 60_000) });
    const a = f.instance('worker-a');
    a.runner.start();
    try {
      await f.knows(a.membership, 2);
      await f.enqueueDue(NAMES);
      const deads = NAMES.filter((n) => !ownedShards(['worker-a', 'worker-dead'], 'worker-a').has(shardOf(idOf(n))));
      expect(deads.length).toBeGreaterThan(0);
      await eventually(() => expect(f.ran.size).toBe(NAMES.length - deads.length), 15_000);
      a.runner.wake();
      await new Promise((r) => setTimeout(r, 500));
      expect(deads.filter((n) => f.ran.has(n))).toEqual([]);
      // Due for 5 s (the default take-over delay): any instance takes them.
      clock.advance(5_000);
      a.runner.wake();
      await eventually(() => expect(f.ran.size).toBe(NAMES.length), 15_000);
      expect([...f.ran.values()].flat().every((o) => o === 'worker-a')).toBe(true);
    } finally {
      await a.runner.stop();
    }
  });

  it("a kind bounded per shard is left to its shard's live owner past the take-over delay; it changes hands with the shard", async () => {
    const clock = createClock(T0);
    const f = fresh(clock.now);
    await f.members.renew({ owner: 'worker-dead', leaseUntil: new Date(T0.getTime() + 60_000) });
    const ran = new Set<string>();
    const membership = createQueueMembership({
      store: f.members,
      owner: 'worker-a',
      now: clock.now,
      log: createMemoryLog(),
      leaseMs: 60_000,
    });
    const runner = createQueueKit(f.db, { now: clock.now }).runner(async () => jobDone(), {
      owner: 'worker-a',
      membership,
      tasks: [
        defineTask(repoProbeJob, async ({ payload }) => {
          ran.add(payload.repo);
          return jobDone();
        }),
      ],
    });
    runner.start();
    try {
      await f.knows(membership, 2);
      const repos = Array.from({ length: 12 }, (_, i) => `org/repo-${i}`);
      // Enqueued by another process (as ingress elsewhere would): none is this instance's own for being created here.
      await createQueueKit(f.db, { now: clock.now }).queue.enqueueMany(
        repoProbeJob,
        repos.map((repo) => ({
          payload: { repo },
          options: { key: `rp-${repo.slice(4)}`, keyMode: 'unique' as const },
        })),
      );
      const deads = repos.filter((r) => !ownedShards(['worker-a', 'worker-dead'], 'worker-a').has(shardOf(r)));
      expect(deads.length).toBeGreaterThan(0);
      await eventually(() => expect(ran.size).toBe(repos.length - deads.length), 15_000);
      // Due past the take-over delay, yet its owner still holds the lease: not taken.
      clock.advance(10_000);
      runner.wake();
      await new Promise((r) => setTimeout(r, 500));
      expect(deads.filter((r) => ran.has(r))).toEqual([]);
      // The lease runs out: at its next read of the members this instance owns every shard, and runs them.
      clock.advance(60_000);
      await f.knows(membership, 1);
      runner.wake();
      await eventually(() => expect(ran.size).toBe(repos.length), 15_000);
    } finally {
      await runner.stop();
    }
  });

  it("an idle instance does not read another's held-back backlog again at each of its claims", async () => {
    const f = fresh(() => new Date());
    const inA = ownedShards(['worker-a', 'worker-b'], 'worker-a');
    const repo = Array.from({ length: 50 }, (_, i) => `org/held-${i}`).find((r) => inA.has(shardOf(r))) ?? '';
    const ranBy = new Map<number, string>();
    // One repo's jobs, one at a time in their owner, each run a tenth of a second: a backlog that stays due for 2 s.
    const slowTask = (owner: string) =>
      defineTask(repoProbeJob, async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ranBy.set(ranBy.size, owner);
        return jobDone();
      });
    const a = f.instance('worker-a', { tasks: [slowTask('worker-a')] });
    const b = f.instance('worker-b', { tasks: [slowTask('worker-b')] });
    a.runner.start();
    b.runner.start();
    try {
      await f.knows(a.membership, 2);
      await f.knows(b.membership, 2);
      // b idle for more than a second, its watch on the queue's head.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const before = b.kit.reads.total();
      await createQueueKit(f.db, { now: () => new Date() }).queue.enqueueMany(
        repoProbeJob,
        Array.from({ length: 20 }, (_, i) => ({
          payload: { repo },
          options: { key: `held-${i}`, keyMode: 'unique' as const },
        })),
      );
      await eventually(() => expect(ranBy.size).toBe(20), 15_000);
      expect(new Set(ranBy.values())).toEqual(new Set(['worker-a']));
      // A query at each of a's claims would read what is left each time: 20 + 19 + … + 1 = 210 documents.
      const read = b.kit.reads.total() - before;
      console.info(`[measure] idle instance, another's backlog of 20: ${read} documents read`);
      expect(read).toBeLessThanOrEqual(150);
    } finally {
      await Promise.all([a.runner.stop(), b.runner.stop()]);
    }
  });

  it('an instance that stops hands its jobs over: another takes them at once, without waiting to take over', async () => {
    // The clock stands still: nothing here can be taken over for being overdue.
    const clock = createClock(T0);
    const f = fresh(clock.now);
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const b = f.instance('worker-b', { hold: held });
    b.runner.start();
    const a = f.instance('worker-a');
    try {
      // Alone, b takes the whole backlog and holds it.
      await f.knows(b.membership, 1);
      await f.enqueueDue(NAMES);
      await eventually(async () => {
        const running = await f.db.collection('jobs').where('status', '==', 'running').count().get();
        expect(running.data().count).toBe(NAMES.length);
      }, 15_000);
      a.runner.start();
      await f.knows(a.membership, 2);
      // b stops: its runs are handed back; a meets them due in b's shards, reads the members, and finds b gone.
      await b.runner.stop();
      await eventually(() => expect(f.ran.size).toBe(NAMES.length), 15_000);
      expect([...f.ran.values()].every((owners) => owners.length === 1 && owners[0] === 'worker-a')).toBe(true);
      expect((await f.db.collection('queue_members').get()).docs.map((d) => d.id)).toEqual(['worker-a']);
    } finally {
      release();
      await Promise.all([a.runner.stop(), b.runner.stop()]);
    }
  });

  it('instances started together know each other a second after the first joined, with no job to make them look', async () => {
    const f = fresh(() => new Date());
    const a = f.instance('worker-a');
    const b = f.instance('worker-b');
    try {
      await f.join(a);
      expect(a.membership.size()).toBe(1);
      b.runner.start();
      // Nothing is due, so no look asks a to read the members, and its next renewal is 20 s away: only the read a
      // second after joining tells it of b. Before that read it would take b's shards too, busy or not.
      await eventually(() => expect(a.membership.size()).toBe(2), 5_000);
      const shards = Array.from({ length: QUEUE_SHARDS }, (_, shard) => shard);
      expect(shards.filter((shard) => a.membership.owns(shard))).toEqual([
        ...ownedShards(['worker-a', 'worker-b'], 'worker-a'),
      ]);
    } finally {
      await Promise.all([a.runner.stop(), b.runner.stop()]);
    }
  });

  it('a member whose lease ran out owns nothing', async () => {
    const clock = createClock(T0);
    const f = fresh(clock.now);
    await f.members.renew({ owner: 'worker-lapsed', leaseUntil: new Date(T0.getTime() - 1) });
    const a = f.instance('worker-a');
    a.runner.start();
    try {
      await f.knows(a.membership, 1);
      await f.enqueueDue(NAMES);
      await eventually(() => expect(f.ran.size).toBe(NAMES.length), 15_000);
    } finally {
      await a.runner.stop();
    }
  });
});
