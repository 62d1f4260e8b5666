import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { installFirestoreMeter, tallySince, type FirestoreMeter } from '../../bench/firestore-meter.js';
import { createTestFirestore } from '../support/firestore.js';

/**
 * The bench's per-event figures (docs/scale.md is built on them) are only as good as this count: it must bill
 * reads and writes the way Firestore does, whichever API the app reaches them through.
 */
describe('bench Firestore meter', () => {
  let meter: FirestoreMeter;
  let db: Firestore;

  beforeAll(() => {
    meter = installFirestoreMeter();
    db = createTestFirestore('meter').db;
  });
  afterAll(() => db.terminate());

  const measure = async (work: () => Promise<unknown>) => {
    const before = meter.read();
    await work();
    return tallySince(before, meter.read());
  };

  it('counts each document of a batch as a write, in its collection, in one commit', async () => {
    const t = await measure(() => {
      const batch = db.batch();
      batch.create(db.collection('deliveries').doc('d1'), { n: 1 });
      batch.create(db.collection('jobs').doc('j1'), { n: 1 });
      return batch.commit();
    });
    expect(t.writes).toBe(2);
    expect(t.writesByCollection).toEqual({ deliveries: 1, jobs: 1 });
    expect(t.rpcs['commit']?.calls).toBe(1);
  });

  it('bills a read for a missing document, one per document a query returns, and one for an empty query', async () => {
    await db.collection('things').doc('a').set({ kind: 'x' });
    await db.collection('things').doc('b').set({ kind: 'x' });
    const gets = await measure(() => Promise.all([db.doc('things/a').get(), db.doc('things/nope').get()]));
    expect(gets.reads).toBe(2);
    const query = await measure(() => db.collection('things').where('kind', '==', 'x').get());
    expect(query.reads).toBe(2);
    const empty = await measure(() => db.collection('things').where('kind', '==', 'none').get());
    expect(empty.reads).toBe(1);
  });

  it('counts a transaction: its reads, its writes and its commit', async () => {
    const t = await measure(() =>
      db.runTransaction(async (tx) => {
        const snap = await tx.get(db.doc('things/a'));
        tx.set(db.doc('things/c'), { copied: snap.get('kind') });
        tx.update(db.doc('things/a'), { kind: 'y' });
      }),
    );
    expect(t.reads).toBe(1);
    expect(t.writes).toBe(2);
    expect(t.rpcs['commit']?.calls).toBe(1);
    expect(t.aborted).toBe(0);
  });

  it('counts the document changes a listener receives', async () => {
    const before = meter.read();
    let stop = () => undefined as void;
    await new Promise<void>((resolve) => {
      stop = db.collection('things').onSnapshot((snap) => snap.size > 0 && resolve());
    });
    stop();
    const t = tallySince(before, meter.read());
    expect(t.readsByMethod['listen']).toBe(3);
  });
});
