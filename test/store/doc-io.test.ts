import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Firestore, WriteResult } from '@google-cloud/firestore';
import { installFirestoreMeter, tallySince, type FirestoreMeter } from '../../bench/firestore-meter.js';
import { createBatchedDocIo, type DocIo } from '../../src/store/firestore/doc-io.js';
import { isAlreadyExists } from '../../src/store/already-exists.js';
import { isWriteRace } from '../../src/store/firestore/write-race.js';
import { createTestFirestore } from '../support/firestore.js';

/**
 * The worker's reads and writes go through the batched I/O: what a fan-out's reconcile jobs ask for in one turn must
 * cost one round trip, and each caller must still get exactly the answer it would have had alone.
 */
describe('batched document I/O', () => {
  let meter: FirestoreMeter;
  let db: Firestore;
  let io: DocIo;
  beforeAll(() => {
    meter = installFirestoreMeter();
    db = createTestFirestore('docio').db;
    io = createBatchedDocIo(db);
  });
  afterAll(() => db.terminate());

  const doc = (id: string) => db.collection('things').doc(id);
  const measure = async <T>(work: () => Promise<T>) => {
    const before = meter.read();
    const result = await work();
    return { result, tally: tallySince(before, meter.read()) };
  };

  it('answers the reads of one turn with one batchGet, each caller its own document (or none)', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => doc(`r${i}`).set({ n: i })));
    const { result, tally } = await measure(() =>
      Promise.all([
        ...Array.from({ length: 40 }, (_, i) => io.get(doc(`r${i}`))),
        io.get(doc('missing')),
        io.get(doc('r7')),
      ]),
    );
    expect(tally.rpcs['batchGetDocuments']?.calls).toBe(1);
    expect(result.slice(0, 40).map((s) => s.get('n'))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(result[40]?.exists).toBe(false);
    expect(result[41]?.get('n')).toBe(7);
  });

  it('commits the writes of one turn together, each with its own result', async () => {
    const { result, tally } = await measure(() =>
      Promise.all(Array.from({ length: 30 }, (_, i) => io.create(doc(`w${i}`), { n: i }))),
    );
    expect(tally.rpcs['commit']?.calls).toBe(1);
    expect(result).toHaveLength(30);
    const snaps = await db.getAll(...Array.from({ length: 30 }, (_, i) => doc(`w${i}`)));
    expect(snaps.map((s) => s.get('n'))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // Each result is its own write's: the update time the document now has.
    expect(result.map((r) => r.writeTime.toMillis())).toEqual(snaps.map((s) => s.updateTime?.toMillis()));
  });

  it('fails only the write that lost its race; the others of its turn still land, in one more round trip', async () => {
    await doc('taken').set({ owner: 'someone else' });
    const stale = (await doc('moved').set({ v: 1 })).writeTime;
    await doc('moved').update({ v: 2 });
    const { result: outcomes, tally } = await measure(() =>
      Promise.allSettled([
        io.create(doc('fresh-1'), { n: 1 }),
        io.create(doc('taken'), { owner: 'me' }),
        io.update(doc('moved'), { v: 3 }, { lastUpdateTime: stale }),
        io.create(doc('fresh-2'), { n: 2 }),
      ]),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    // The atomic commit that failed, then every write again in one batch that is not atomic (not one commit each).
    expect(tally.rpcs['commit']?.calls).toBe(1);
    expect(tally.rpcs['batchWrite']?.calls).toBe(1);
    const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason;
    expect(isAlreadyExists(reason(1))).toBe(true);
    expect(isWriteRace(reason(2))).toBe(true);
    const [fresh1, taken, moved, fresh2] = await db.getAll(doc('fresh-1'), doc('taken'), doc('moved'), doc('fresh-2'));
    expect([fresh1?.get('n'), taken?.get('owner'), moved?.get('v'), fresh2?.get('n')]).toEqual([
      1,
      'someone else',
      2,
      2,
    ]);
  });

  it('refuses a write Firestore cannot store without losing the others of its turn', async () => {
    const outcomes = await Promise.allSettled([
      io.create(doc('ok-1'), { n: 1 }),
      io.create(doc('not-storable'), { callback: () => 1 }),
      io.create(doc('ok-2'), { n: 2 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const snaps = await db.getAll(doc('ok-1'), doc('not-storable'), doc('ok-2'));
    expect(snaps.map((s) => s.exists)).toEqual([true, false, true]);
  });

  it('refuses a write Firestore answers INVALID_ARGUMENT (a document over 1 MiB) without failing the others of its turn', async () => {
    const outcomes = await Promise.allSettled([
      io.create(doc('fits-1'), { n: 1 }),
      io.create(doc('too-large'), { blob: 'x'.repeat(1_100_000) }),
      io.create(doc('fits-2'), { n: 2 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const snaps = await db.getAll(doc('fits-1'), doc('too-large'), doc('fits-2'));
    expect(snaps.map((s) => s.exists)).toEqual([true, false, true]);
  });

  it("commits groups with the turn's other writes in one commit, each group's answers in its own order", async () => {
    const create = (id: string, n: number) => ({ kind: 'create' as const, ref: doc(id), data: { n } });
    const { result, tally } = await measure(() =>
      Promise.all([
        io.commitAll([create('g1-a', 1), create('g1-b', 2)]),
        io.create(doc('g-single'), { n: 3 }),
        io.commitAll([create('g2-a', 4), create('g2-b', 5), create('g2-c', 6)]),
      ]),
    );
    expect(tally.rpcs['commit']?.calls).toBe(1);
    const [first, single, second] = result;
    const snaps = await db.getAll(doc('g1-a'), doc('g1-b'), doc('g-single'), doc('g2-a'), doc('g2-b'), doc('g2-c'));
    expect(snaps.map((s) => s.get('n'))).toEqual([1, 2, 3, 4, 5, 6]);
    const times = [...(first ?? []), single, ...(second ?? [])].map((r) => (r as WriteResult).writeTime.toMillis());
    expect(times).toEqual(snaps.map((s) => s.updateTime?.toMillis()));
    expect([first?.length, second?.length]).toEqual([2, 3]);
  });

  it('fails a group whole when one of its writes lost a race; the rest of its turn still lands', async () => {
    await doc('group-taken').set({ owner: 'someone else' });
    const create = (id: string) => ({ kind: 'create' as const, ref: doc(id), data: { owner: 'me' } });
    const outcomes = await Promise.allSettled([
      io.commitAll([create('group-fresh'), create('group-taken')]),
      io.commitAll([create('other-group-1'), create('other-group-2')]),
      io.create(doc('beside-groups'), { owner: 'me' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(isAlreadyExists((outcomes[0] as PromiseRejectedResult).reason)).toBe(true);
    const snaps = await db.getAll(
      doc('group-fresh'),
      doc('group-taken'),
      doc('other-group-1'),
      doc('other-group-2'),
      doc('beside-groups'),
    );
    // All or nothing: the failed group's other document was not written either.
    expect(snaps.map((s) => s.get('owner') ?? null)).toEqual([null, 'someone else', 'me', 'me', 'me']);
  });

  it('keeps the order asked for when groups share documents, and sends a turn too large for one commit at once', async () => {
    await Promise.all([doc('order-x').set({ v: 0 }), doc('order-y').set({ v: 0 })]);
    const update = (id: string, v: string) => ({ kind: 'update' as const, ref: doc(id), data: { v } });
    const { tally } = await measure(() =>
      Promise.all([
        io.commitAll([update('order-x', 'first')]),
        io.commitAll([update('order-x', 'second'), update('order-y', 'second')]),
        io.commitAll([update('order-y', 'third')]),
        ...Array.from({ length: 450 }, (_, i) => io.create(doc(`many-${i}`), { n: i })),
      ]),
    );
    const [x, y] = await db.getAll(doc('order-x'), doc('order-y'));
    expect([x?.get('v'), y?.get('v')]).toEqual(['second', 'third']);
    // The first round (the first group and the 450 creates) in two commits, then one for each later round.
    expect(tally.rpcs['commit']?.calls).toBe(4);
    expect((await db.getAll(...Array.from({ length: 450 }, (_, i) => doc(`many-${i}`)))).every((s) => s.exists)).toBe(
      true,
    );
  });

  it('applies two writes to one document in the order they were asked for', async () => {
    await Promise.all([io.create(doc('twice'), { step: 1, first: true }), io.update(doc('twice'), { step: 2 })]);
    expect((await doc('twice').get()).data()).toEqual({ step: 2, first: true });
  });
});
