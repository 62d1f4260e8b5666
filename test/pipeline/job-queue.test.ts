import { describe, expect, it } from 'vitest';
import { jobDone, jobRetry, jobWait } from '../../src/queue/job-outcome.js';
import { HEAD_START_MS, waitPatch } from '../../src/queue/transitions.js';
import { shardOf } from '../../src/queue/queue-shards.js';
import type { JobState } from '../../src/queue/job-state.js';
import type { DueJob, JobStore } from '../../src/queue/job-store.js';
import { installFirestoreMeter, tallySince } from '../../bench/firestore-meter.js';
import { eventually } from '../support/eventually.js';
import { failCommits } from '../support/commit-faults.js';
import { countTransactions, createTestFirestore } from '../support/firestore.js';
import { createClock, createQueueKit, probeJob, withSilentWatch } from './support/queue-kit.js';
import { COLLECTIONS } from '../../src/store/ids.js';

// Clients are not terminated, as in production (src/store/open-firestore.ts): a runner's watch or request still
// finishing after its stop deadline would find the client terminated, and the SDK then rejects a promise nobody holds.
/** Each test its own project: a runner never meets another test's jobs. */
function fresh(now: () => Date = () => new Date()) {
  const { db } = createTestFirestore('jobs');
  return { db, ...createQueueKit(db, { now }) };
}
const T0 = new Date('2024-01-01T00:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A write Firestore answered with an error: it may have landed all the same, or not. */
/** Runs the queue's jobs (each run just finishes) until the job `name` has `status`: how many runs that took. */
async function runsUntil(k: ReturnType<typeof fresh>, name: string, status: JobState['status']): Promise<number> {
  let runs = 0;
  const runner = k.runner(async () => {
    runs += 1;
    return jobDone();
  });
  runner.start();
  try {
    await eventually(async () => expect(await k.job(name)).toMatchObject({ status }));
    return runs;
  } finally {
    await runner.stop();
  }
}
const LANDED_OR_NOT: ReadonlyArray<readonly [string, boolean]> = [
  ['landed', true],
  ['did not land', false],
];

describe('enqueue: named coalescing rules', () => {
  it('coalesce: a pending job keeps its place and stays one job', async () => {
    const k = fresh(() => T0);
    await k.enqueue('c1', 'coalesce', plus(5000));
    await k.enqueue('c1', 'coalesce');
    expect(await k.job('c1')).toMatchObject({ status: 'pending', version: 2, runAt: plus(5000), attempts: 0 });
  });

  it('coalesce: a job enqueued while it runs runs once more afterwards; a finished one is pending again', async () => {
    const k = fresh();
    let runs = 0;
    const runner = k.runner(async (run) => {
      runs += 1;
      // An event arriving while the job runs.
      if (runs === 1) await k.enqueue(run.payload.name);
      return jobDone();
    });
    runner.start();
    try {
      await k.enqueue('r1');
      await eventually(async () => expect(await k.job('r1')).toMatchObject({ status: 'done', version: 2 }));
      expect(runs).toBe(2);
      await k.enqueue('r1');
      await eventually(async () => expect(await k.job('r1')).toMatchObject({ status: 'done', version: 3 }));
      expect(runs).toBe(3);
    } finally {
      await runner.stop();
    }
  });

  it('unique: created once; enqueueing it again is a no-op, before and after it ran', async () => {
    const k = fresh();
    await k.enqueue('u1', 'unique');
    await k.enqueue('u1', 'unique');
    expect(await k.job('u1')).toMatchObject({ status: 'pending', version: 1 });
    const runner = k.runner(async () => jobDone());
    runner.start();
    try {
      await eventually(async () => expect(await k.job('u1')).toMatchObject({ status: 'done' }));
      await k.enqueue('u1', 'unique');
      expect(await k.job('u1')).toMatchObject({ status: 'done', version: 1 });
    } finally {
      await runner.stop();
    }
  });

  it('enqueues many jobs in batched writes: one read per job, no transaction each, and coalesces them all again', async () => {
    const k = fresh(() => T0);
    const jobs = Array.from({ length: 300 }, (_, i) => ({
      payload: { name: `b${i}` },
      options: { key: `probe#b${i}`, keyMode: 'coalesce' as const },
    }));
    const before = k.reads.total();
    await k.queue.enqueueMany(probeJob, jobs);
    expect(k.reads.total() - before).toBe(300);
    // Another instance (its own memory of versions) reads each job once too.
    const other = createQueueKit(k.db, { now: () => T0 });
    const otherBefore = other.reads.total();
    await other.queue.enqueueMany(probeJob, jobs);
    expect(other.reads.total() - otherBefore).toBe(300);
    expect(await k.job('b0')).toMatchObject({ status: 'pending', version: 2 });
    expect(await k.job('b299')).toMatchObject({ status: 'pending', version: 2 });
  });

  it("jobs expected new (a PR's first event) are created without a read; one that exists after all is read and coalesced into", async () => {
    const k = fresh(() => T0);
    const request = (name: string) => ({
      payload: { name },
      options: { key: `probe#${name}`, keyMode: 'coalesce' as const },
    });
    const before = k.reads.total();
    await k.queue.enqueueMany(probeJob, [request('n1'), request('n2')], { expectNew: true });
    expect(k.reads.total() - before).toBe(0);
    expect(await k.job('n1')).toMatchObject({ status: 'pending', version: 1 });
    // Another instance created n4 already: the blind create fails, and the batch is read and written as usual.
    const other = createQueueKit(k.db, { now: () => T0 });
    await other.enqueue('n4');
    const beforeRace = k.reads.total();
    await k.queue.enqueueMany(probeJob, [request('n3'), request('n4')], { expectNew: true });
    expect(k.reads.total() - beforeRace).toBe(2);
    expect(await k.job('n3')).toMatchObject({ status: 'pending', version: 1 });
    expect(await k.job('n4')).toMatchObject({ status: 'pending', version: 2 });
  });

  it("enqueues made in one turn (a backlog's fan-outs) share one commit; one that meets an existing job is read and lands, the others as they were", async () => {
    const meter = installFirestoreMeter();
    const k = fresh(() => T0);
    const other = createQueueKit(k.db, { now: () => T0 });
    await other.enqueue('t3');
    const request = (name: string) => ({
      payload: { name },
      options: { key: `probe#${name}`, keyMode: 'coalesce' as const },
    });
    const commits = async (work: () => Promise<unknown>) => {
      const before = meter.read();
      await work();
      return tallySince(before, meter.read()).rpcs['commit']?.calls ?? 0;
    };
    const fanOuts = (names: string[][]) =>
      Promise.all(names.map((batch) => k.queue.enqueueMany(probeJob, batch.map(request), { expectNew: true })));
    expect(await commits(() => fanOuts([['t1'], ['t2'], ['t4', 't5']]))).toBe(1);
    // t3 exists (another instance created it): that fan-out's batch fails whole, is read and written again.
    expect(await commits(() => fanOuts([['t6'], ['t3'], ['t7']]))).toBeGreaterThan(1);
    for (const name of ['t1', 't2', 't4', 't5', 't6', 't7'])
      expect(await k.job(name)).toMatchObject({ status: 'pending', version: 1 });
    expect(await k.job('t3')).toMatchObject({ status: 'pending', version: 2 });
  });

  it('enqueueing again jobs this process finished reads nothing; one changed elsewhere meanwhile is read and still lands', async () => {
    const k = fresh();
    const names = ['m1', 'm2', 'm3'];
    const again = () =>
      k.queue.enqueueMany(
        probeJob,
        names.map((name) => ({ payload: { name }, options: { key: `probe#${name}`, keyMode: 'coalesce' as const } })),
      );
    // A watch that stays silent: the reads counted below are the enqueues' own (a live watch reads as the head moves).
    const runner = k.runner(async () => jobDone(), {
      store: withSilentWatch(k.store),
    });
    runner.start();
    try {
      await again();
      await eventually(async () => {
        for (const name of names) expect(await k.job(name)).toMatchObject({ status: 'done', version: 1 });
      });
      // The PR's next event: every job's last version is this process's own settle.
      const before = k.reads.total();
      await again();
      expect(k.reads.total() - before).toBe(0);
      await eventually(async () => {
        for (const name of names) expect(await k.job(name)).toMatchObject({ status: 'done', version: 2 });
      });
      // Another instance (its own memory) sets m2 to run in an hour: this process's version of m2 is stale now.
      const other = createQueueKit(k.db, { now: () => new Date() });
      await other.enqueue('m2', 'coalesce', new Date(Date.now() + 3_600_000));
      expect(await k.job('m2')).toMatchObject({ status: 'pending', version: 3 });
      await again();
      await eventually(async () => {
        expect(await k.job('m1')).toMatchObject({ status: 'done', version: 3 });
        expect(await k.job('m3')).toMatchObject({ status: 'done', version: 3 });
      });
      // Coalesced into the other instance's write, not over it.
      expect(await k.job('m2')).toMatchObject({ status: 'pending', version: 4 });
    } finally {
      await runner.stop();
    }
  });
});

describe('claims', () => {
  /** Records when reads start and end, and when commits start, in order. */
  function recordRoundTrips(db: ReturnType<typeof fresh>['db']) {
    const events: string[] = [];
    const getAll = db.getAll.bind(db);
    db.getAll = async (...refs: Parameters<typeof getAll>) => {
      events.push('read');
      const snaps = await getAll(...refs);
      events.push('read answered');
      return snaps;
    };
    const batch = db.batch.bind(db);
    db.batch = () => {
      const wb = batch();
      const commit = wb.commit.bind(wb);
      wb.commit = () => (events.push('commit'), commit());
      return wb;
    };
    return events;
  }

  it('a job the due-jobs query found is claimed in one round trip: its write goes with the read of its payload, and the run gets that payload', async () => {
    const k = fresh(() => T0);
    // Another instance enqueued it: this process knows it only from the query.
    await createQueueKit(k.db, { now: () => T0 }).enqueue('q1');
    const [found] = await k.store.findDue({ now: plus(1), limit: 10 });
    expect(found).toMatchObject({ id: 'probe#q1', kind: probeJob.name });
    const events = recordRoundTrips(k.db);
    const readsBefore = k.reads.total();
    const claimed = await k.store.claim({
      id: 'probe#q1',
      owner: 'a',
      leaseToken: 'a:1',
      now: plus(1),
      leaseMs: 60_000,
    });
    expect(claimed?.job).toMatchObject({ status: 'running', leaseToken: 'a:1', attempts: 1, payload: { name: 'q1' } });
    // The write did not wait for the read: both went before either was answered. The payload's read is counted.
    expect(events.slice(0, 2).sort()).toEqual(['commit', 'read']);
    expect(k.reads.total() - readsBefore).toBe(1);
    // The run settles from the version the claim wrote: one conditional write, no read.
    events.length = 0;
    expect(await k.store.settle({ id: 'probe#q1', leaseToken: 'a:1', change: () => ({ status: 'done' }) })).toBe(true);
    expect(events).toEqual(['commit']);
    expect(await k.job('q1')).toMatchObject({ status: 'done', payload: { name: 'q1' } });
  });

  it('a job changed after the query found it is not claimed from that version; one changed just after the claim runs as it now is', async () => {
    const k = fresh(() => T0);
    const other = createQueueKit(k.db, { now: () => T0 });
    await other.enqueue('q2');
    await other.enqueue('q3');
    await k.store.findDue({ now: plus(1), limit: 10 });
    // Another instance claims q2 first: this claim's condition fails, and it is counted as lost.
    expect(
      await other.store.claim({ id: 'probe#q2', owner: 'b', leaseToken: 'b:1', now: plus(1), leaseMs: 60_000 }),
    ).not.toBeNull();
    expect(
      await k.store.claim({ id: 'probe#q2', owner: 'a', leaseToken: 'a:1', now: plus(1), leaseMs: 60_000 }),
    ).toBeNull();
    expect(await k.job('q2')).toMatchObject({ leaseToken: 'b:1' });
    // q3 is coalesced into (a new payload) after the claim's write landed, before the read beside it is served.
    let claimLanded = () => undefined as void;
    const landed = new Promise<void>((resolve) => (claimLanded = resolve));
    const batch = k.db.batch.bind(k.db);
    k.db.batch = () => {
      const wb = batch();
      const commit = wb.commit.bind(wb);
      wb.commit = () => commit().finally(claimLanded);
      return wb;
    };
    const getAll = k.db.getAll.bind(k.db);
    k.db.getAll = async (...refs: Parameters<typeof getAll>) => {
      await landed;
      await k.db.collection(COLLECTIONS.jobs).doc('probe#q3').update({ 'payload.name': 'q3 again', version: 2 });
      return getAll(...refs);
    };
    const claimed = await k.store.claim({
      id: 'probe#q3',
      owner: 'a',
      leaseToken: 'a:2',
      now: plus(1),
      leaseMs: 60_000,
    });
    k.db.getAll = getAll;
    k.db.batch = batch;
    expect(claimed?.job).toMatchObject({ leaseToken: 'a:2', version: 2, payload: { name: 'q3 again' } });
    expect(await k.store.settle({ id: 'probe#q3', leaseToken: 'a:2', change: () => ({ status: 'done' }) })).toBe(true);
  });
});

describe('leases', () => {
  it('an expired lease is claimed again: the new run may overlap the old, and the old run can no longer record anything', async () => {
    const k = fresh(() => T0);
    await k.enqueue('l1');
    const first = await k.store.claim({ id: 'probe#l1', owner: 'a', leaseToken: 'a:1', now: plus(1), leaseMs: 1000 });
    expect(first).toMatchObject({ mayOverlapEarlierRun: false, job: { attempts: 1, leaseToken: 'a:1' } });
    expect(
      await k.store.claim({ id: 'probe#l1', owner: 'b', leaseToken: 'b:1', now: plus(500), leaseMs: 1000 }),
    ).toBeNull();
    const second = await k.store.claim({
      id: 'probe#l1',
      owner: 'b',
      leaseToken: 'b:1',
      now: plus(1001),
      leaseMs: 1000,
    });
    expect(second).toMatchObject({ mayOverlapEarlierRun: true, earlierRunToken: 'a:1', job: { attempts: 2 } });
    expect(await k.store.settle({ id: 'probe#l1', leaseToken: 'a:1', change: () => ({ status: 'done' }) })).toBe(false);
    expect(await k.job('l1')).toMatchObject({ status: 'running', leaseOwner: 'b' });
  });

  it('a job whose runs keep ending without an outcome (a process that crashes on it) is made dead after three, with why', async () => {
    const clock = createClock(T0);
    const k = fresh(clock.now);
    await k.enqueue('poison');
    // Three runs, each claimed after the one before lost its lease without an outcome (its instance died running it).
    for (const owner of ['a', 'b', 'c']) {
      clock.advance(1001);
      expect(
        await k.store.claim({ id: 'probe#poison', owner, leaseToken: `${owner}:1`, now: clock.now(), leaseMs: 1000 }),
      ).not.toBeNull();
    }
    clock.advance(1001);
    expect(await runsUntil(k, 'poison', 'dead')).toBe(0);
    expect((await k.job('poison'))?.lastError).toMatch(/last 3 runs ended without an outcome/);
    expect(k.log.lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'job dead: its runs keep ending without an outcome' }),
    );
  });

  it('a run that records an outcome starts the count of runs without one over', async () => {
    const clock = createClock(T0);
    const k = fresh(clock.now);
    await k.enqueue('flaky');
    const claim = (owner: string) =>
      k.store.claim({ id: 'probe#flaky', owner, leaseToken: `${owner}:1`, now: clock.now(), leaseMs: 1000 });
    for (const owner of ['a', 'b']) {
      clock.advance(1001);
      await claim(owner);
    }
    // b's run ends with a wait: it ran to an outcome.
    await k.store.settle({
      id: 'probe#flaky',
      leaseToken: 'b:1',
      change: (job) => waitPatch({ job, owner: 'b', now: clock.now(), until: clock.now(), reason: 'test' }),
    });
    for (const owner of ['c', 'd']) {
      clock.advance(HEAD_START_MS + 1001);
      await claim(owner);
    }
    clock.advance(1001);
    expect(await runsUntil(k, 'flaky', 'done')).toBe(1);
  });

  it('a run that never ends is given up at its deadline: its slot is freed and the job retried, told it may overlap', async () => {
    const k = fresh();
    await k.enqueue('hangs');
    await k.enqueue('after');
    const runs: Array<{ name: string; mayOverlap: boolean }> = [];
    const runner = k.runner(
      (run) => {
        runs.push({ name: run.payload.name, mayOverlap: run.mayOverlapEarlierRun });
        // Its first run never settles (a promise nobody resolves): only the deadline ends it.
        if (run.payload.name === 'hangs' && runs.filter((r) => r.name === 'hangs').length === 1)
          return new Promise(() => undefined);
        return Promise.resolve(jobDone());
      },
      { concurrency: 1, runDeadlineMs: 300, budget: { baseDelayMs: 10, maxDelayMs: 10, giveUpAfterMs: 60_000 } },
    );
    runner.start();
    try {
      await eventually(async () => {
        expect(await k.job('hangs')).toMatchObject({ status: 'done' });
        expect(await k.job('after')).toMatchObject({ status: 'done' });
      }, 15_000);
      expect(runs.filter((r) => r.name === 'hangs')).toEqual([
        { name: 'hangs', mayOverlap: false },
        { name: 'hangs', mayOverlap: true },
      ]);
      expect(k.log.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'job failed, will retry',
          obj: expect.objectContaining({ last_error: 'its run did not end within 0.3 s' }) as unknown,
        }),
      );
    } finally {
      await runner.stop();
    }
  });

  it('renews the lease while a slow job runs, so another instance never runs it too', async () => {
    const k = fresh();
    let running = 0;
    let mostAtOnce = 0;
    let runs = 0;
    const slow = async () => {
      runs += 1;
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await sleep(1500);
      running -= 1;
      return jobDone();
    };
    // A lease of 400 ms, renewed every 133 ms: without renewal the other runner would take the job after 400 ms.
    const a = k.runner(slow, { leaseMs: 400, pollMs: 50 });
    const b = k.runner(slow, { leaseMs: 400, pollMs: 50 });
    a.start();
    await k.enqueue('slow');
    await eventually(() => expect(runs).toBe(1));
    b.start();
    try {
      await eventually(async () => expect(await k.job('slow')).toMatchObject({ status: 'done', attempts: 1 }), 8000);
      expect(runs).toBe(1);
      expect(mostAtOnce).toBe(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("a job set to wait is its instance's to claim at its time; another may only after a head start, if it was not", async () => {
    const k = fresh(() => T0);
    await k.enqueue('head-start');
    const id = 'probe#head-start';
    const claimAs = (owner: string, at: number) =>
      k.store.claim({ id, owner, leaseToken: `${owner}:${at}`, now: plus(at), leaseMs: 60_000 });
    const waitUntil = async (owner: string, leaseToken: string, at: number, until: number) =>
      k.store.settle({
        id,
        leaseToken,
        change: (job) => waitPatch({ job, owner, now: plus(at), until: plus(until), reason: 'post_slot' }),
      });
    expect(await claimAs('a', 1)).not.toBeNull();
    expect(await waitUntil('a', 'a:1', 2, 1_000)).toBe(true);
    // Due for `a` at 1 s; for anyone else only HEAD_START_MS later.
    expect(await k.store.findDue({ now: plus(1_000 + HEAD_START_MS - 1), limit: 10 })).toEqual([]);
    expect(await claimAs('b', 1_000 + HEAD_START_MS - 1)).toBeNull();
    expect(await claimAs('a', 999)).toBeNull();
    expect(await claimAs('a', 1_000)).toMatchObject({ job: { leaseOwner: 'a', headStartOwner: null } });
    // `a` sets it to wait again and then does not come back (it stopped): `b` takes it once the head start is over.
    expect(await waitUntil('a', 'a:1000', 1_001, 5_000)).toBe(true);
    expect(await k.store.findDue({ now: plus(5_000 + HEAD_START_MS), limit: 10 })).toEqual([
      { id, kind: 'probe', shard: shardOf(id), dueAt: plus(5_000 + HEAD_START_MS) },
    ]);
    expect(await claimAs('b', 5_000 + HEAD_START_MS)).toMatchObject({ job: { leaseOwner: 'b' } });
  });

  it('a claim that landed although Firestore answered with an error is handed back at once, not left to its lease', async () => {
    const k = fresh();
    let runs = 0;
    let failedOnce = false;
    const runner = k.runner(async () => ((runs += 1), jobDone()), {
      // A lease far longer than the test: the job must not wait for it to run out.
      leaseMs: 120_000,
      pollMs: 50,
      store: {
        ...k.store,
        // The emulator under lock contention: the claim's transaction committed, the answer was `2 UNKNOWN`.
        claim: async (input) => {
          const claimed = await k.store.claim(input);
          if (failedOnce || !claimed) return claimed;
          failedOnce = true;
          throw Object.assign(new Error('2 UNKNOWN: '), { code: 2 });
        },
      },
    });
    await k.enqueue('unknown-outcome', 'coalesce', new Date(Date.now() + 200));
    runner.start();
    try {
      await eventually(async () => expect(await k.job('unknown-outcome')).toMatchObject({ status: 'done' }), 5_000);
      expect(failedOnce).toBe(true);
      expect(runs).toBe(1);
      expect(k.log.lines.map((l) => l.msg)).toContain('claiming a job failed');
    } finally {
      await runner.stop();
    }
  });

  it.each(LANDED_OR_NOT)(
    'jobs created leased to this runner in a batch that %s but was answered with an error run once, at once',
    async (_label, landed) => {
      const k = fresh();
      let runs = 0;
      // A lease far longer than the test: a job left leased to this runner unknowingly would not run within it.
      const runner = k.runner(async () => ((runs += 1), jobDone()), { leaseMs: 120_000 });
      runner.start();
      // The emulator under lock contention: the batch creating the job answered `2 UNKNOWN`, whether it landed or not.
      const faults = failCommits(k.db, { code: 2, landed, times: 1 });
      try {
        await k.enqueue('created-leased', 'unique');
        await eventually(async () => expect(await k.job('created-leased')).toMatchObject({ status: 'done' }), 5_000);
        expect(faults.failed()).toBe(1);
        expect(runs).toBe(1);
      } finally {
        await runner.stop();
      }
    },
  );

  it.each(LANDED_OR_NOT)(
    'a wait whose settlement %s but was answered with an error runs again within seconds, not after its lease',
    async (_label, landed) => {
      const k = fresh();
      const runs: number[] = [];
      let armed = false;
      const runner = k.runner(
        async () => {
          runs.push(Date.now());
          // The next commit is this run's settlement.
          armed = runs.length === 1;
          return runs.length === 1 ? jobWait(new Date(Date.now() + 300), 'slack_rate_limited') : jobDone();
        },
        // A lease far longer than the test: a job left leased after its run would not run again within it.
        { leaseMs: 120_000 },
      );
      const faults = failCommits(k.db, { code: 2, landed, times: 1, when: () => armed });
      runner.start();
      try {
        await k.enqueue('settle-unknown', 'unique');
        await eventually(async () => expect(await k.job('settle-unknown')).toMatchObject({ status: 'done' }), 8_000);
        expect(faults.failed()).toBe(1);
        expect(runs).toHaveLength(2);
      } finally {
        await runner.stop();
      }
    },
  );

  it('claims whose batch landed but was answered with an error are handed back by conditional writes, not transactions', async () => {
    const k = fresh();
    const transactions = countTransactions(k.db);
    // The emulator under lock contention: the batch of claims committed, the answer was `2 UNKNOWN`.
    let armed = false;
    const faults = failCommits(k.db, { code: 2, landed: true, times: 1, when: () => armed });
    const runs = new Map<string, number>();
    await Promise.all(
      ['u1', 'u2', 'u3', 'u4', 'u5'].map((name) => k.enqueue(name, 'coalesce', new Date(Date.now() + 300))),
    );
    armed = true;
    const runner = k.runner(async (r) => (runs.set(r.payload.name, (runs.get(r.payload.name) ?? 0) + 1), jobDone()), {
      // A lease far longer than the test: the jobs must not wait for it to run out.
      leaseMs: 120_000,
    });
    runner.start();
    try {
      await eventually(async () => {
        const done = await k.db.collection('jobs').where('status', '==', 'done').count().get();
        expect(done.data().count).toBe(5);
      }, 5_000);
      expect(faults.failed()).toBe(1);
      expect(k.log.lines.filter((l) => l.msg === 'claiming a job failed').length).toBeGreaterThanOrEqual(1);
      expect([...runs.values()]).toEqual([1, 1, 1, 1, 1]);
      expect(transactions()).toBe(0);
    } finally {
      await runner.stop();
    }
  });
});

describe('several instances', () => {
  /**
   * A runner that loses the claims of `lose` (each job is changed just before its claim is written, as when another
   * instance claimed it first) while `slow` keeps it busy; it counts its due-jobs queries.
   */
  function racedRunner(k: ReturnType<typeof fresh>, o: { lose: (name: string) => boolean; pollMs: number }) {
    const queries: number[] = [];
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const touched = new Set<string>();
    // Another writer changes a losing job between the due-jobs query that found it and the claim's conditional write.
    const touchLosers = async (found: readonly DueJob[]) => {
      for (const { id } of found) {
        const name = id.replace('probe#', '');
        if (!o.lose(name) || touched.has(name)) continue;
        touched.add(name);
        await k.db.collection(COLLECTIONS.jobs).doc(id).update({ touched_by_test: true });
      }
    };
    const runner = k.runner(
      async (run) => {
        ran.push(run.payload.name);
        if (run.payload.name === 'slow') await held;
        return jobDone();
      },
      {
        pollMs: o.pollMs,
        store: {
          ...k.store,
          findDue: async (input) => {
            const found = await k.store.findDue(input);
            queries.push(Date.now());
            await touchLosers(found);
            return found;
          },
        },
      },
    );
    return { runner, queries, ran, release };
  }

  it('an instance that lost most of its claims looks again at its next poll, not at once; the jobs still due run then', async () => {
    const k = fresh();
    // Another instance's jobs: no local signal here, only the query finds them.
    const other = createQueueKit(k.db, { now: () => new Date() });
    const lost = ['l1', 'l2', 'l3', 'l4'];
    for (const name of ['slow', ...lost]) await other.enqueue(name);
    const r = racedRunner(k, { lose: (name) => lost.includes(name), pollMs: 1_500 });
    r.runner.start();
    try {
      await eventually(() => expect(r.ran).toEqual(['slow']));
      const firstQuery = r.queries[0] ?? 0;
      await sleep(700);
      // Four of five claims lost: no second query and no second round of claims before the poll.
      expect(r.queries).toHaveLength(1);
      expect(r.ran).toEqual(['slow']);
      // The poll finds the four still due (changed, not taken), and they run: nothing is left behind.
      await eventually(() => expect([...r.ran].sort()).toEqual(['l1', 'l2', 'l3', 'l4', 'slow']), 5_000);
      expect((r.queries[1] ?? 0) - firstQuery).toBeGreaterThanOrEqual(1_000);
    } finally {
      r.release();
      await r.runner.stop();
    }
  });

  it('an instance that lost a few of its claims looks again at once for the jobs still due', async () => {
    const k = fresh();
    const other = createQueueKit(k.db, { now: () => new Date() });
    for (const name of ['slow', 'a', 'b', 'lost']) await other.enqueue(name);
    const r = racedRunner(k, { lose: (name) => name === 'lost', pollMs: 60_000 });
    r.runner.start();
    try {
      // Long before a poll: the next look follows the lost claim at once.
      await eventually(() => expect([...r.ran].sort()).toEqual(['a', 'b', 'lost', 'slow']), 5_000);
      expect(r.queries.length).toBeGreaterThanOrEqual(2);
    } finally {
      r.release();
      await r.runner.stop();
    }
  });
});

describe('outcomes', () => {
  it('a wait runs again at the time it asked for, and waiting (even for days) counts no attempt and spends no budget', async () => {
    const clock = createClock(T0);
    const k = fresh(clock.now);
    let runs = 0;
    const runner = k.runner(async () => {
      runs += 1;
      return runs <= 30 ? jobWait(new Date(clock.now().getTime() + 3_600_000), 'slack_rate_limited') : jobDone();
    });
    runner.start();
    try {
      await k.enqueue('w1');
      for (let i = 0; i < 200 && runs <= 30; i += 1) {
        const job = await k.job('w1');
        // The time it asked for is this instance's (the head start); run_at is when another instance would take it.
        const until = job?.headStartAt ?? job?.runAt;
        if (job?.status === 'pending' && until && until > clock.now()) {
          expect(job).toMatchObject({
            attempts: 0,
            failuresInRow: 0,
            waitReason: 'slack_rate_limited',
            lastError: null,
          });
          clock.set(until);
          runner.wake();
        }
        await sleep(20);
      }
      await eventually(async () =>
        expect(await k.job('w1')).toMatchObject({ status: 'done', attempts: 1, lastError: null }),
      );
      expect(clock.now().getTime() - T0.getTime()).toBeGreaterThanOrEqual(30 * 3_600_000);
    } finally {
      await runner.stop();
    }
  });

  it('a job this instance set to wait runs again at its time even when its watch of the queue never says so', async () => {
    const k = fresh();
    let runs = 0;
    const runner = k.runner(
      async () => {
        runs += 1;
        return runs === 1 ? jobWait(new Date(Date.now() + 300), 'post_slot') : jobDone();
      },
      // A watch that lags (or missed the change): it said once that the queue is empty, and nothing since.
      { store: withSilentWatch(k.store) },
    );
    runner.start();
    try {
      await k.enqueue('lagging-watch');
      await eventually(async () => expect(await k.job('lagging-watch')).toMatchObject({ status: 'done' }), 3_000);
      expect(runs).toBe(2);
    } finally {
      await runner.stop();
    }
  });

  it('jobs this instance set to wait until different times each run again at theirs, with a watch that never says so', async () => {
    const k = fresh();
    const runs = new Map<string, number>();
    const waitMs: Record<string, number> = { early: 300, late: 900 };
    const runner = k.runner(
      async (run) => {
        const name = run.payload.name;
        runs.set(name, (runs.get(name) ?? 0) + 1);
        return runs.get(name) === 1 ? jobWait(new Date(Date.now() + (waitMs[name] ?? 0)), 'post_slot') : jobDone();
      },
      { store: withSilentWatch(k.store) },
    );
    runner.start();
    try {
      await Promise.all([k.enqueue('early'), k.enqueue('late')]);
      await eventually(async () => {
        expect(await k.job('early')).toMatchObject({ status: 'done' });
        expect(await k.job('late')).toMatchObject({ status: 'done' });
      }, 4_000);
      expect(Object.fromEntries(runs)).toEqual({ early: 2, late: 2 });
    } finally {
      await runner.stop();
    }
  });

  it('a job this instance set to wait is claimed again at its time by its id: no due-jobs query, no read', async () => {
    const k = fresh();
    let runs = 0;
    let asked = 0;
    let answered = 0;
    const runner = k.runner(
      async () => {
        runs += 1;
        if (runs > 1) return jobDone();
        return jobWait(new Date(Date.now() + 300), 'post_slot');
      },
      {
        store: {
          ...withSilentWatch(k.store),
          findDue: (input) => ((asked += 1), k.store.findDue(input).finally(() => (answered += 1))),
        },
      },
    );
    runner.start();
    try {
      // The look a runner makes as it starts has been answered (its reads counted): the only query of this test.
      await eventually(() => expect(answered).toBe(1));
      // Taken as it is created, so nothing is left for a look to find: enqueueing makes no query either.
      await k.enqueue('by-id');
      await eventually(async () =>
        expect(await k.job('by-id')).toMatchObject({ status: 'pending', waitReason: 'post_slot' }),
      );
      // The wait is written; from here until the second run, the runner finds the job by its id alone.
      const readsAtWait = k.reads.total();
      await eventually(() => expect(runs).toBe(2), 3_000);
      expect(k.reads.total() - readsAtWait).toBe(0);
      await eventually(async () => expect(await k.job('by-id')).toMatchObject({ status: 'done' }));
      expect(asked).toBe(1);
    } finally {
      await runner.stop();
    }
  });

  it('a job this instance set to wait takes the first free slot when its time has come, before fresh work, without a poll', async () => {
    const k = fresh();
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const runner = k.runner(
      async (run) => {
        const { name } = run.payload;
        started.push(name);
        if (name === 'waiter')
          return started.length === 1 ? jobWait(new Date(Date.now() + 300), 'post_slot') : jobDone();
        if (name.startsWith('busy')) await new Promise<void>((resolve) => gates.set(name, resolve));
        return jobDone();
      },
      // Full with two jobs, and no headroom for work created here (it waits for a slot too); no poll within the test.
      { concurrency: 2, localHeadroom: 0, perGroup: 2, pollMs: 60_000 },
    );
    runner.start();
    try {
      await k.enqueue('waiter');
      await eventually(async () => expect(await k.job('waiter')).toMatchObject({ waitReason: 'post_slot' }));
      await k.enqueue('busy-1');
      await k.enqueue('busy-2');
      await eventually(() => expect(started).toEqual(['waiter', 'busy-1', 'busy-2']));
      // Fresh work enqueued here while full, more than there is room for.
      for (const n of [1, 2, 3, 4]) await k.enqueue(`fresh-${n}`);
      // The waiter's time comes while both slots are taken.
      await sleep(600);
      expect(started).toHaveLength(3);
      gates.get('busy-1')?.();
      await eventually(() => expect(started.length).toBeGreaterThanOrEqual(4), 3_000);
      expect(started[3]).toBe('waiter');
      await eventually(async () => expect(await k.job('waiter')).toMatchObject({ status: 'done' }));
    } finally {
      gates.forEach((open) => open());
      await runner.stop();
    }
  });

  it('a payload that does not decode, or a kind nobody handles, makes that job dead with the reason; the queue goes on', async () => {
    const k = fresh();
    await k.store.enqueue({
      requests: [{ id: 'probe#bad', kind: 'probe', payload: { name: 42 }, keyMode: 'coalesce', runAt: null, shard: 0 }],
      now: new Date(),
    });
    await k.store.enqueue({
      requests: [{ id: 'other#1', kind: 'nobody', payload: {}, keyMode: 'coalesce', runAt: null, shard: 0 }],
      now: new Date(),
    });
    await k.db.collection('jobs').doc('junk').set({ run_at: new Date(), status: 'pending' });
    // Claimable as the due-jobs query reads it (the fields a claim is decided from), but not a job as a whole.
    const claimable = { kind: 'probe', shard: 0, status: 'pending', run_at: new Date(), attempts: 0 };
    await k.db
      .collection('jobs')
      .doc('junk-payload')
      .set({ ...claimable, version: 1, payload: 'not a map' });
    await k.enqueue('good');
    const runner = k.runner(async () => jobDone());
    runner.start();
    try {
      await eventually(async () => {
        expect(await k.job('good')).toMatchObject({ status: 'done' });
        expect(await k.job('bad')).toMatchObject({
          status: 'dead',
          runAt: null,
          lastError: expect.stringContaining('field name should be a string'),
        });
        expect(await k.store.get('other#1')).toMatchObject({
          status: 'dead',
          lastError: expect.stringContaining('no handler for job kind "nobody"'),
        });
        expect((await k.db.collection('jobs').doc('junk').get()).data()).toMatchObject({
          status: 'dead',
          last_error: expect.stringContaining('not a job'),
        });
        expect((await k.db.collection('jobs').doc('junk-payload').get()).data()).toMatchObject({
          status: 'dead',
          last_error: expect.stringContaining('not a job'),
        });
      });
    } finally {
      await runner.stop();
    }
  });

  it('a failing job is retried with capped backoff until its budget (time since the first failure) is spent, then dead and logged with what was lost', async () => {
    const clock = createClock(T0);
    const k = fresh(clock.now);
    const budget = { baseDelayMs: 1000, maxDelayMs: 10 * 60_000, giveUpAfterMs: 2 * 3_600_000 };
    const runAt: Date[] = [];
    const runner = k.runner(
      async () => {
        runAt.push(clock.now());
        return jobRetry('Slack chat.postMessage failed: http_503');
      },
      { budget },
    );
    runner.start();
    let job: JobState | null = null;
    try {
      await k.enqueue('f1');
      for (let i = 0; i < 400; i += 1) {
        job = await k.job('f1');
        if (job?.status === 'dead') break;
        // This instance claims its retry at its time (the head start); run_at is when another instance would.
        const retryAt = job?.headStartAt ?? job?.runAt;
        if (job?.status === 'pending' && retryAt && retryAt > clock.now()) {
          clock.set(retryAt);
          runner.wake();
        }
        await sleep(15);
      }
    } finally {
      await runner.stop();
    }
    expect(job).toMatchObject({
      status: 'dead',
      lastError: 'Slack chat.postMessage failed: http_503',
      failingSince: T0,
    });
    const gaps = runAt.slice(1).map((t, i) => t.getTime() - (runAt[i]?.getTime() ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10 * 60_000);
    expect((runAt.at(-1)?.getTime() ?? 0) - T0.getTime()).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect((runAt.at(-2)?.getTime() ?? 0) - T0.getTime()).toBeLessThan(2 * 3_600_000);
    const dead = k.log.lines.find((l) => l.level === 'error' && l.msg.includes('job dead'));
    expect(dead?.obj).toMatchObject({
      probe: 'f1',
      last_error: 'Slack chat.postMessage failed: http_503',
      job_id: 'probe#f1',
    });
  });
});

describe('stop()', () => {
  it('with a backlog, stops claiming, hands every in-flight job back within its deadline (not as an attempt) and releases their claims', async () => {
    const k = fresh();
    await Promise.all(Array.from({ length: 40 }, (_, i) => k.enqueue(`s${i}`)));
    const handedBack: string[] = [];
    let runs = 0;
    const runner = k.runner(
      () => {
        runs += 1;
        return new Promise(() => undefined);
      },
      {
        stopGraceMs: 300,
        concurrency: 8,
        onHandBack: async ({ leaseTokens }) => {
          handedBack.push(...leaseTokens);
        },
      },
    );
    runner.start();
    const running = async () =>
      (await k.db.collection('jobs').where('status', '==', 'running').get()).docs.map((d) => d.id);
    await eventually(() => expect(runs).toBe(8), 10_000);
    const started = Date.now();
    const { handedBack: count } = await runner.stop();
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(count).toBe(8);
    expect(handedBack).toHaveLength(8);
    expect(await running()).toEqual([]);
    const pending = (await k.db.collection('jobs').where('status', '==', 'pending').get()).docs;
    expect(pending).toHaveLength(40);
    expect(pending.every((d) => d.get('attempts') === 0)).toBe(true);
    // The next run of a handed-back job is told an earlier run may still be going.
    const token = handedBack[0] ?? '';
    const id = pending.find((d) => d.get('unfinished_run_token') === token)?.id ?? '';
    expect(
      await k.store.claim({ id, owner: 'next', leaseToken: 'next:1', now: new Date(), leaseMs: 1000 }),
    ).toMatchObject({ mayOverlapEarlierRun: true, earlierRunToken: token });
  });
});

describe('idle', () => {
  it('an idle instance reads (almost) nothing, and still wakes at once when another instance enqueues', async () => {
    const k = fresh();
    const runner = k.runner(async () => jobDone());
    runner.start();
    try {
      await sleep(500);
      const before = k.reads.total();
      await sleep(3000);
      // Today's poll read once a second; the head watch reads nothing while nothing changes.
      expect(k.reads.total() - before).toBe(0);
      // Another instance's enqueue: no local signal, only the watch can tell.
      const other = createQueueKit(k.db, { now: () => new Date() });
      const sent = Date.now();
      await other.enqueue('wake');
      await eventually(async () => expect(await k.job('wake')).toMatchObject({ status: 'done' }), 15_000);
      // Woken by the watch, not by the five-minute safety look.
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      await runner.stop();
    }
  });

  it('a busy instance drops its watch of the queue (before its claims are written) and polls instead; idle again, it watches again', async () => {
    const k = fresh();
    const other = createQueueKit(k.db, { now: () => new Date() });
    let live = 0;
    const liveAtClaim: number[] = [];
    const counted: JobStore = {
      ...k.store,
      claim: (input) => (liveAtClaim.push(live), k.store.claim(input)),
      watchHead: (input) => {
        const stop = k.store.watchHead?.(input);
        live += 1;
        return () => {
          live -= 1;
          stop?.();
        };
      },
    };
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const runner = k.runner(
      async (run) => {
        ran.push(run.payload.name);
        if (run.payload.name === 'slow') await held;
        return jobDone();
      },
      { store: counted, pollMs: 300 },
    );
    runner.start();
    try {
      expect(live).toBe(1);
      // Another instance's job: the watch wakes this idle instance, which drops the watch before it claims.
      await other.enqueue('slow');
      await eventually(() => expect(ran).toEqual(['slow']));
      expect(live).toBe(0);
      // Another job, due now, while busy: no local signal and no watch here, so this instance's poll finds it.
      await other.enqueue('while-busy');
      await eventually(async () => expect(await k.job('while-busy')).toMatchObject({ status: 'done' }), 3_000);
      expect(live).toBe(0);
      expect(liveAtClaim).toEqual([0, 0]);
      release();
      await eventually(async () => expect(await k.job('slow')).toMatchObject({ status: 'done' }));
      await eventually(() => expect(live).toBe(1));
    } finally {
      release();
      await runner.stop();
    }
    expect(live).toBe(0);
  });
});
