import { afterAll, describe, expect, it } from 'vitest';
import { createFirestoreStore, StoreDataError } from '../../src/store/firestore/index.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db } = createTestFirestore('workspace-docs');
const store = createFirestoreStore(db);
afterAll(() => db.terminate());

describe('Firestore workspace documents', () => {
  it('a workspace document copied whole under another workspace’s id is refused, and still listed under its place', async () => {
    await store.workspaces.saveInstallation({
      workspaceId: 'TA',
      teamName: 'A',
      enterpriseId: null,
      isEnterpriseInstall: false,
      botUserId: 'UB',
      encryptedInstallation: 'sealed-a',
      at: new Date(0),
    });
    const a = await db.collection(COLLECTIONS.workspaces).doc(ids.workspace('TA')).get();
    await db
      .collection(COLLECTIONS.workspaces)
      .doc(ids.workspace('TB'))
      .set(a.data() ?? {});

    const read = store.workspaces.get('TB');
    await expect(read).rejects.toBeInstanceOf(StoreDataError);
    await expect(read).rejects.toThrow(/workspaces\/TB: field "workspace_id" should be "TB"/);
    // So an operator task going through every workspace meets it (and reports it) rather than visiting TA twice.
    expect(await store.workspaces.listIds()).toEqual(['TA', 'TB']);
  });
});
