import type { Firestore } from '@google-cloud/firestore';
import type { FirestoreTarget } from '../config.js';
import type { Logger } from '../log.js';
import { checkCloudFirestoreAccess } from './cloud-access-check.js';
import { startFirestoreEmulator } from './emulator.js';
import { createFirestore } from './firestore-client.js';

export interface OpenFirestore {
  db: Firestore;
  /**
   * Called right before the process exits: stops the embedded emulator (exporting its data) if we started one. The
   * client itself is not terminated: exit closes its sockets, and terminating it while a request is still retrying
   * against an unreachable Firestore makes the SDK reject a promise nobody holds (an unhandled rejection, exit 1).
   */
  close(): Promise<void>;
}

/** Connects to the configured Firestore; in embedded mode starts the local emulator first (data under .data/). */
export async function openFirestore(target: FirestoreTarget, log: Logger): Promise<OpenFirestore> {
  if (target.kind === 'cloud') {
    const db = createFirestore({ projectId: target.projectId, databaseId: target.databaseId });
    await checkCloudFirestoreAccess(db, target);
    log.info({ project: target.projectId, database: target.databaseId }, 'using Cloud Firestore');
    return { db, close: async () => undefined };
  }
  if (target.kind === 'emulator') {
    const db = createFirestore({ emulatorHost: target.host, projectId: target.projectId });
    log.info(
      { emulator: target.host, project: target.projectId },
      'using the Firestore emulator at FIRESTORE_EMULATOR_HOST',
    );
    return { db, close: async () => undefined };
  }
  const emulator = await startFirestoreEmulator({
    persist: { dir: target.dataDir, projectId: target.projectId },
    ...(target.jar !== null ? { jar: target.jar } : {}),
  });
  log.info(
    { emulator: emulator.host, project: target.projectId, dataDir: target.dataDir },
    'started an embedded Firestore emulator (set FIRESTORE_EMULATOR_HOST or GOOGLE_CLOUD_PROJECT to use another)',
  );
  const db = createFirestore({ emulatorHost: emulator.host, projectId: target.projectId });
  return {
    db,
    close: () => emulator.stop(),
  };
}
