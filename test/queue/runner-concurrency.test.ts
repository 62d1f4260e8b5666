import { describe, expect, it } from 'vitest';
import { jobDone, jobWait } from '../../src/queue/job-outcome.js';
import { shardOf } from '../../src/queue/queue-shards.js';
import { defineTask } from '../../src/queue/task.js';
import { eventually } from '../support/eventually.js';
import { countTransactions, createTestFirestore } from '../support/firestore.js';
import { createQueueKit, probeJob, repoProbeJob } from '../pipeline/support/queue-kit.js';

// Clients are not terminated, as in production (src/store/open-firestore.ts): a runner's watch or request still
// finishing after its stop deadline would find the client terminated, and the SDK then rejects a promise nobody holds.
function fresh() {
  const { db } = createTestFirestore('runner');
  const kit = createQueueKit(db, { now: () => new Date() });
  /** `count` probe jobs, the i-th named `name(i)` and keyed `key(i)` (one workspace per key part, as reconciles are). */
  const enqueueProbes = (count: number, o: { name: (i: number) => string; key: (i: number) => string }) =>
    kit.queue.enqueueMany(
      probeJob,
      Array.from({ length: count }, (_, i) => ({
        payload: { name: o.name(i) },
        options: { key: o.key(i), keyMode: 'coalesce' as const },
      })),
    );
  /** Waits until `count` jobs are done. */
  const eventuallyDone = (count: number, timeoutMs: number) =>
    eventually(async () => {
      const done = await db.collection('jobs').where('status', '==', 'done').count().get();
      expect(done.data().count).toBe(count);
    }, timeoutMs);
  return { db, ...kit, enqueueProbes, eventuallyDone };
}

/** A gate the handlers wait on, counting how many wait at once per group. */
function createGate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const now = new Map<string, number>();
  const most = new Map<string, number>();
  return {
    open,
    most: (group: string) => most.get(group) ?? 0,
    now: (group: string) => now.get(group) ?? 0,
    async pass(group: string) {
      now.set(group, (now.get(group) ?? 0) + 1);
      most.set(group, Math.max(most.get(group) ?? 0, now.get(group) ?? 0));
      await opened;
      now.set(group, (now.get(group) ?? 1) - 1);
    },
  };
}

/** A runner of 8 slots, 3 per workspace, whose `busy` jobs wait at the gate and whose `other` job is noted as run. */
function busyOrOther(k: ReturnType<typeof fresh>, gate: ReturnType<typeof createGate>) {
  const ran = { other: false };
  const runner = k.runner(
    async (run) => {
      if (run.payload.name === 'other') {
        ran.other = true;
        return jobDone();
      }
      await gate.pass('busy');
      return jobDone();
    },
    { concurrency: 8, perGroup: 3 },
  );
  return { runner, ran };
}

describe('job runner concurrency', () => {
  it('runs a fan-out of 100 jobs in one round, not in rounds of 16', { timeout: 40_000 }, async () => {
    const k = fresh();
    // One workspace each, as a fan-out's reconcile jobs are.
    await k.enqueueProbes(100, { name: (i) => `w${i}`, key: (i) => `probe#W${i}#pr` });
    const gate = createGate();
    const runner = k.runner(async () => {
      await gate.pass('all');
      return jobDone();
    });
    runner.start();
    try {
      await eventually(() => expect(gate.now('all')).toBe(100), 15_000);
      gate.open();
      await k.eventuallyDone(100, 15_000);
    } finally {
      gate.open();
      await runner.stop();
    }
  });

  it(
    "gives one workspace's backlog at most its share of the slots: another workspace's job runs at once",
    { timeout: 40_000 },
    async () => {
      const k = fresh();
      await k.enqueueProbes(30, { name: () => 'busy', key: (i) => `probe#BUSY#${i}` });
      const gate = createGate();
      const { runner, ran } = busyOrOther(k, gate);
      runner.start();
      try {
        await eventually(() => expect(gate.now('busy')).toBe(3), 10_000);
        await k.queue.enqueue(probeJob, { name: 'other' }, { key: 'probe#OTHER#1', keyMode: 'coalesce' });
        await eventually(() => expect(ran.other).toBe(true), 10_000);
        expect(gate.most('busy')).toBe(3);
        gate.open();
        await k.eventuallyDone(31, 20_000);
        expect(gate.most('busy')).toBe(3);
      } finally {
        gate.open();
        await runner.stop();
      }
    },
  );

  it(
    "a workspace's backlog many times a query's page does not hide another workspace's job behind it",
    { timeout: 40_000 },
    async () => {
      const k = fresh();
      // 200 jobs of one workspace, due before the other's: a query of this runner (8 slots) reads 24 at most.
      await k.enqueueProbes(200, { name: () => 'busy', key: (i) => `probe#BUSY#${i}` });
      const gate = createGate();
      const { runner, ran } = busyOrOther(k, gate);
      runner.start();
      try {
        await eventually(() => expect(gate.now('busy')).toBe(3), 10_000);
        // Enqueued by another instance: this runner learns of it from the queue alone.
        const elsewhere = createQueueKit(k.db, { now: () => new Date() });
        await elsewhere.queue.enqueue(probeJob, { name: 'other' }, { key: 'probe#OTHER#1', keyMode: 'coalesce' });
        await eventually(() => expect(ran.other).toBe(true), 20_000);
        expect(gate.most('busy')).toBe(3);
      } finally {
        gate.open();
        await runner.stop();
      }
    },
  );

  it(
    "jobs of one workspace that all come back at once from a wait (Slack's Retry-After) still get only its share",
    { timeout: 40_000 },
    async () => {
      const k = fresh();
      await k.enqueueProbes(8, { name: (i) => `w${i}`, key: (i) => `probe#W#${i}` });
      const gate = createGate();
      const back = new Date(Date.now() + 1_500);
      const waited = new Set<string>();
      const runner = k.runner(
        async (run) => {
          // First run: rate limited until the same moment, as Slack answers every call of a workspace alike.
          if (!waited.has(run.payload.name)) {
            waited.add(run.payload.name);
            return jobWait(back, 'slack_rate_limited');
          }
          await gate.pass('w');
          return jobDone();
        },
        { concurrency: 8, perGroup: 3 },
      );
      runner.start();
      try {
        await eventually(() => expect(gate.now('w')).toBe(3), 10_000);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(gate.most('w')).toBe(3);
        gate.open();
        await k.eventuallyDone(8, 20_000);
        expect(gate.most('w')).toBe(3);
      } finally {
        gate.open();
        await runner.stop();
      }
    },
  );

  it(
    'work a running job creates here starts at once past the bound, up to the headroom, before the queue gives more',
    { timeout: 40_000 },
    async () => {
      const k = fresh();
      await k.enqueueProbes(10, { name: (i) => `parent${i}`, key: (i) => `probe#P${i}#x` });
      const gate = createGate();
      const runner = k.runner(
        async (run) => {
          if (run.payload.name.startsWith('child')) {
            await gate.pass('child');
            return jobDone();
          }
          // A fan-out's way: its follow-up job is enqueued, then the parent carries on (held here).
          const n = run.payload.name.slice('parent'.length);
          await k.queue.enqueue(probeJob, { name: `child${n}` }, { key: `probe#C${n}#x`, keyMode: 'coalesce' });
          await gate.pass('parent');
          return jobDone();
        },
        { concurrency: 4, localHeadroom: 2 },
      );
      runner.start();
      try {
        // Every slot is held by a parent, yet two of their children run: the headroom.
        await eventually(() => {
          expect(gate.now('parent')).toBe(4);
          expect(gate.now('child')).toBe(2);
        }, 10_000);
        // Nothing more starts while they hold: neither another parent from the queue nor a third child.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(gate.most('parent')).toBe(4);
        expect(gate.most('child')).toBe(2);
        gate.open();
        await k.eventuallyDone(20, 20_000);
      } finally {
        gate.open();
        await runner.stop();
      }
    },
  );
});

describe('job runner: jobs bounded per shard', () => {
  it(
    "runs one repo's backlog one job at a time, while another repo's job starts at once",
    { timeout: 40_000 },
    async () => {
      const k = fresh();
      expect(shardOf('org/busy')).not.toBe(shardOf('org/other'));
      // Keys of one part each: the default grouping would give every job a group of its own.
      const requests = [
        ...Array.from({ length: 5 }, (_, i) => ({ repo: 'org/busy', key: `busy-${i}` })),
        { repo: 'org/other', key: 'other' },
      ].map(({ repo, key }) => ({ payload: { repo }, options: { key, keyMode: 'unique' as const } }));
      await k.queue.enqueueMany(repoProbeJob, requests);
      const gate = createGate();
      let otherRan = false;
      const runner = k.runner(async () => jobDone(), {
        tasks: [
          defineTask(repoProbeJob, async ({ payload }) => {
            if (payload.repo === 'org/other') otherRan = true;
            else await gate.pass('busy');
            return jobDone();
          }),
        ],
        concurrency: 8,
      });
      runner.start();
      try {
        await eventually(() => {
          expect(gate.now('busy')).toBe(1);
          expect(otherRan).toBe(true);
        }, 10_000);
        // Free slots and due jobs of the busy repo: still none of them starts while its one runs.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(gate.most('busy')).toBe(1);
        gate.open();
        await k.eventuallyDone(6, 20_000);
        expect(gate.most('busy')).toBe(1);
      } finally {
        gate.open();
        await runner.stop();
      }
    },
  );
  it("takes the rest of one repo's backlog one by one as its runs end, without reading the queue again each time", async () => {
    const k = fresh();
    const requests = Array.from({ length: 30 }, (_, i) => ({
      payload: { repo: 'org/busy' },
      options: { key: `busy-${i}`, keyMode: 'unique' as const },
    }));
    await k.queue.enqueueMany(repoProbeJob, requests);
    const before = k.reads.total();
    const runner = k.runner(async () => jobDone(), { tasks: [defineTask(repoProbeJob, async () => jobDone())] });
    runner.start();
    try {
      await k.eventuallyDone(30, 20_000);
      // One query found the 30; a query at each run's end would read the rest again: 30 + 29 + … + 1 = 465.
      const read = k.reads.total() - before;
      console.info(`[measure] one repo's 30 jobs: ${read} documents read by the runner`);
      expect(read).toBeLessThanOrEqual(60);
    } finally {
      await runner.stop();
    }
  });
});

describe('claims without transactions', () => {
  it('claims, renews and settles a job with single conditional writes: no transaction in the common case', async () => {
    const k = fresh();
    const transactions = countTransactions(k.db);
    await k.enqueueProbes(20, { name: (i) => `j${i}`, key: (i) => `probe#T${i}#x` });
    // Slow enough for a lease renewal or two (every 200 ms).
    const runner = k.runner(() => new Promise((resolve) => setTimeout(() => resolve(jobDone()), 500)), {
      leaseMs: 600,
    });
    runner.start();
    try {
      await eventually(async () => {
        const done = await k.db.collection('jobs').where('status', '==', 'done').get();
        expect(done.size).toBe(20);
        expect(done.docs.every((d) => d.get('attempts') === 1)).toBe(true);
      }, 15_000);
      expect(transactions()).toBe(0);
    } finally {
      await runner.stop();
    }
  });

  it(
    'three instances draining one backlog run every job exactly once; a lost claim race is one failed write, not a lock',
    { timeout: 40_000 },
    async () => {
      const k = fresh();
      await k.enqueueProbes(150, { name: (i) => `j${i}`, key: (i) => `probe#T${i}#x` });
      const runs = new Map<string, number>();
      const handle = async (run: { id: string }) => {
        runs.set(run.id, (runs.get(run.id) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return jobDone();
      };
      const transactions = countTransactions(k.db);
      // Three instances: each its own queue parts (memory, local signal), one database.
      const instances = [
        k,
        createQueueKit(k.db, { now: () => new Date() }),
        createQueueKit(k.db, { now: () => new Date() }),
      ];
      const runners = instances.map((i) => i.runner(handle));
      runners.forEach((r) => r.start());
      try {
        await k.eventuallyDone(150, 30_000);
        expect(runs.size).toBe(150);
        expect([...runs.values()].every((n) => n === 1)).toBe(true);
        const lost = instances.reduce((n, i) => n + i.lostClaims.total(), 0);
        console.info(`[measure] 3 instances, 150 jobs: ${lost} lost claim races, ${transactions()} transactions`);
        // The old queue claimed and settled every job in a transaction (two per job at least, more under contention).
        expect(transactions()).toBe(0);
      } finally {
        await Promise.all(runners.map((r) => r.stop()));
      }
    },
  );
});
