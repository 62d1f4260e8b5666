import { afterAll, describe, expect, it } from 'vitest';
import { createTestFirestore } from '../support/firestore.js';

describe('Firestore emulator', () => {
  const { db } = createTestFirestore('smoke');
  afterAll(() => db.terminate());

  it('stores and reads back a document', async () => {
    await db.collection('things').doc('a').set({ n: 1 });
    const snap = await db.collection('things').doc('a').get();
    expect(snap.data()).toEqual({ n: 1 });
  });
});
