import { afterAll, describe, expect, it } from 'vitest';
import type { LogPort } from '../../src/core/ports.js';
import type { ClaimedJob } from '../../src/jobs/job-store.js';
import { createJobWorker, type JobHandler } from '../../src/jobs/worker.js';
import { createFirestoreJobStore } from '../../src/store/pipeline/job-store.js';
import { eventually } from '../support/eventually.js';
import { createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('jobs');
afterAll(() => db.terminate());
const store = createFirestoreJobStore(db);
const T0 = new Date('2024-01-01T00:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const job = (id: string) => ({ id, kind: 'reconcile' as const, payload: { n: id } });
const silent: LogPort = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

describe('Firestore job store', () => {
  it('coalesces enqueues of one id into one pending job', async () => {
    await store.enqueue({ jobs: [job('c1')], now: T0 });
    await store.enqueue({ jobs: [job('c1')], now: plus(1) });
    expect(await store.get('c1')).toMatchObject({ status: 'pending', version: 2, attempts: 0 });
    expect(await store.findDue({ now: plus(10), limit: 10 })).toContain('c1');
  });

  it('leases a claim; an expired lease is claimed again and the old owner can no longer finish', async () => {
    await store.enqueue({ jobs: [job('l1')], now: T0 });
    const first = await store.claim({ id: 'l1', owner: 'a', now: plus(1), leaseMs: 1000 });
    expect(first).toMatchObject({ attempts: 1 });
    expect(await store.claim({ id: 'l1', owner: 'b', now: plus(500), leaseMs: 1000 })).toBeNull();
    expect(await store.findDue({ now: plus(500), limit: 50 })).not.toContain('l1');
    expect(await store.findDue({ now: plus(1001), limit: 50 })).toContain('l1');
    expect(await store.claim({ id: 'l1', owner: 'b', now: plus(1001), leaseMs: 1000 })).toMatchObject({ attempts: 2 });
    await store.complete({ id: 'l1', owner: 'a', version: 1, now: plus(1100), keepForMs: 1000 });
    expect(await store.get('l1')).toMatchObject({ status: 'running', leaseOwner: 'b' });
    await store.complete({ id: 'l1', owner: 'b', version: 1, now: plus(1200), keepForMs: 60_000 });
    expect(await store.get('l1')).toMatchObject({ status: 'done', runAt: null, expireAt: plus(61_200) });
    expect(await store.findDue({ now: plus(99_999), limit: 50 })).not.toContain('l1');
  });

  it('runs again when enqueued while running', async () => {
    await store.enqueue({ jobs: [job('v1')], now: T0 });
    const claimed = await store.claim({ id: 'v1', owner: 'a', now: plus(1), leaseMs: 10_000 });
    await store.enqueue({ jobs: [job('v1')], now: plus(2) });
    await store.complete({ id: 'v1', owner: 'a', version: claimed?.version ?? 0, now: plus(3), keepForMs: 1000 });
    expect(await store.get('v1')).toMatchObject({ status: 'pending', version: 2 });
    expect(await store.findDue({ now: plus(3), limit: 50 })).toContain('v1');
  });

  it('schedules a failure for later, and keeps a job that ran out of attempts as dead', async () => {
    await store.enqueue({ jobs: [job('f1')], now: T0 });
    await store.claim({ id: 'f1', owner: 'a', now: plus(1), leaseMs: 1000 });
    await store.fail({ id: 'f1', owner: 'a', now: plus(2), error: 'boom', runAt: plus(5000), keepForMs: 1000 });
    expect(await store.get('f1')).toMatchObject({ status: 'pending', runAt: plus(5000), lastError: 'boom' });
    expect(await store.claim({ id: 'f1', owner: 'a', now: plus(10), leaseMs: 1000 })).toBeNull();
    await store.claim({ id: 'f1', owner: 'a', now: plus(5000), leaseMs: 1000 });
    await store.fail({ id: 'f1', owner: 'a', now: plus(5001), error: 'still', runAt: null, keepForMs: 1000 });
    expect(await store.get('f1')).toMatchObject({ status: 'dead', runAt: null, lastError: 'still', attempts: 2, expireAt: plus(6001) });
  });

  it('defers a job to a later time without counting the attempt', async () => {
    await store.enqueue({ jobs: [job('d1')], now: T0 });
    await store.claim({ id: 'd1', owner: 'a', now: plus(1), leaseMs: 1000 });
    await store.defer({ id: 'd1', owner: 'a', now: plus(2), runAt: plus(3000) });
    expect(await store.get('d1')).toMatchObject({ status: 'pending', runAt: plus(3000), attempts: 0, leaseOwner: null, lastError: null });
    expect(await store.findDue({ now: plus(2999), limit: 50 })).not.toContain('d1');
    expect(await store.claim({ id: 'd1', owner: 'a', now: plus(3000), leaseMs: 1000 })).toMatchObject({ attempts: 1 });
  });

  it('parks a malformed job as dead instead of letting it block the queue', async () => {
    await db.collection('jobs').doc('m1').set({ kind: 'reconcile', status: 'pending', run_at: T0, payload: 'not a map' });
    expect(await store.claim({ id: 'm1', owner: 'a', now: plus(1), leaseMs: 1000 })).toBeNull();
    const parked = (await db.collection('jobs').doc('m1').get()).data();
    expect(parked).toMatchObject({ status: 'dead' });
    expect(parked?.['run_at']).toBeUndefined();
    expect(await store.findDue({ now: plus(10), limit: 50 })).not.toContain('m1');
  });
});

describe('job worker', () => {
  /** A worker on the real clock whose reconcile jobs run `reconcile`. */
  const workerWith = ({ reconcile, ...timing }: { owner: string; pollMs: number; stopGraceMs?: number; reconcile: JobHandler }) =>
    createJobWorker({ store, log: silent, now: () => new Date(), handlers: { fanout: async () => undefined, reconcile }, ...timing });

  it('retries a failing job after the delay it asked for, and finishes it', async () => {
    const seen: number[] = [];
    const worker = workerWith({
      owner: 'w1', pollMs: 50,
      reconcile: async (j: ClaimedJob) => {
        if (j.id !== 'r1') return;
        seen.push(Date.now());
        if (seen.length === 1) throw Object.assign(new Error('ratelimited'), { retryAfterMs: 300 });
      },
    });
    await store.enqueue({ jobs: [job('r1')], now: new Date() });
    worker.start();
    try {
      await eventually(async () => expect(await store.get('r1')).toMatchObject({ status: 'done', attempts: 2 }));
      expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(300);
    } finally {
      await worker.stop();
    }
  });

  it('runs a job that asked to wait again at the time it asked for, as the same attempt', async () => {
    const seen: number[] = [];
    const worker = workerWith({
      owner: 'w3', pollMs: 60_000,
      reconcile: async (j: ClaimedJob) => {
        if (j.id !== 'p1') return undefined;
        seen.push(Date.now());
        return seen.length === 1 ? { deferUntil: new Date(Date.now() + 400) } : undefined;
      },
    });
    await store.enqueue({ jobs: [job('p1')], now: new Date() });
    worker.start();
    try {
      // Polling every minute: finishing well before that shows the worker woke itself for the deferred time.
      await eventually(async () => expect(await store.get('p1')).toMatchObject({ status: 'done', attempts: 1, lastError: null }), 15_000);
      expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(400);
    } finally {
      await worker.stop();
    }
  });

  it('stop() returns within its grace period and hands a stuck job back', async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const worker = workerWith({ owner: 'w2', pollMs: 50, stopGraceMs: 200, reconcile: (j) => (j.id === 's1' ? stuck : Promise.resolve()) });
    await store.enqueue({ jobs: [job('s1')], now: new Date() });
    worker.start();
    await eventually(async () => expect(await store.get('s1')).toMatchObject({ status: 'running', leaseOwner: 'w2' }));
    const started = Date.now();
    await worker.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await store.get('s1')).toMatchObject({ status: 'pending', leaseOwner: null, attempts: 0 });
    release();
    // The handed-back job's handler still finishes (its completion is a no-op); let it before the client closes.
    await new Promise((r) => setTimeout(r, 300));
  });
});
