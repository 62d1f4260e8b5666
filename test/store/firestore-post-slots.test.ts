import { afterAll, describe, expect, it } from 'vitest';
import type { SlotDecision } from '../../src/pipeline/ports.js';
import { createBatchedDocIo, type DocIo } from '../../src/store/firestore/doc-io.js';
import { createFirestorePostSlotStore } from '../../src/store/pipeline/post-slot-store.js';
import { countTransactions, createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('post-slots');
const transactions = countTransactions(db);
afterAll(() => db.terminate());

const T0 = new Date('2024-01-01T00:00:00Z');
const INTERVAL = 1000;
const key = (prNumber: number, channelId = 'CMEMORY') => ({
  workspaceId: 'T1',
  channelId,
  repoFullName: 'Octo/Repo',
  prNumber,
});
const at = (ms: number) => () => new Date(T0.getTime() + ms);
const retryAt = (d: SlotDecision) => (d.go ? null : d.retryAt.getTime() - T0.getTime());
/** When a decision to go says to post (ms after T0); null: come back later. */
const postsAt = (d: SlotDecision) => (d.go ? d.at.getTime() - T0.getTime() : null);

/** An instance's slot store, with the documents its reads returned counted. */
function instance() {
  const io = createBatchedDocIo(db);
  let reads = 0;
  const counted: DocIo = { ...io, get: (ref) => ((reads += 1), io.get(ref)) };
  return { slots: createFirestorePostSlotStore(db, { io: counted }), reads: () => reads };
}

describe('posting slots on Firestore', () => {
  it('the instance that booked a channel last books it again without a read; a booking elsewhere meanwhile is read and kept', async () => {
    const a = instance();
    const b = instance();
    expect(postsAt(await a.slots.take({ key: key(1), now: at(0), intervalMs: INTERVAL, holdMs: 0 }))).toBe(0);
    const readsBefore = a.reads();
    // A PR's next post in the channel (its reply in the thread, say) a second later: written on the version a wrote.
    expect(postsAt(await a.slots.take({ key: key(1), now: at(1000), intervalMs: INTERVAL, holdMs: 0 }))).toBe(1000);
    expect(await a.slots.readAhead(key(2))).toBeDefined();
    expect(a.reads() - readsBefore).toBe(0);
    // Another instance posts in the channel: a's memory is stale, its write fails, it reads, and it waits its turn.
    expect(postsAt(await b.slots.take({ key: key(3), now: at(2000), intervalMs: INTERVAL, holdMs: 0 }))).toBe(2000);
    expect(retryAt(await a.slots.take({ key: key(2), now: at(2000), intervalMs: INTERVAL, holdMs: 0 }))).toBe(3000);
    expect(a.reads() - readsBefore).toBe(1);
  });

  it('a channel another instance books before every write of this one: a transaction decides, and no booking is lost', async () => {
    const rival = instance();
    const io = createBatchedDocIo(db);
    let rivalBookings = 0;
    // Before each of this instance's conditional writes, the rival books the channel: every write loses its race.
    const raced: DocIo = {
      ...io,
      update: async (ref, data, precondition) => {
        rivalBookings += 1;
        await rival.slots.take({
          key: key(100 + rivalBookings, 'CRACED'),
          now: at(0),
          intervalMs: INTERVAL,
          holdMs: 0,
        });
        return io.update(ref, data, precondition);
      },
    };
    const contended = createFirestorePostSlotStore(db, { io: raced });
    await rival.slots.take({ key: key(100, 'CRACED'), now: at(0), intervalMs: INTERVAL, holdMs: 0 });
    const transactionsBefore = transactions();

    const decision = await contended.take({ key: key(200, 'CRACED'), now: at(0), intervalMs: INTERVAL, holdMs: 0 });

    expect(transactions() - transactionsBefore).toBe(1);
    // The rival booked slots 0..n (its first booking and one before each lost write); this booking comes after them.
    expect(rivalBookings).toBe(5);
    expect(retryAt(decision)).toBe((rivalBookings + 1) * INTERVAL);
    // Every booking is still there: a later booking in the channel waits behind all of them.
    const later = await instance().slots.take({ key: key(300, 'CRACED'), now: at(0), intervalMs: INTERVAL, holdMs: 0 });
    expect(retryAt(later)).toBe((rivalBookings + 2) * INTERVAL);
  });
});
