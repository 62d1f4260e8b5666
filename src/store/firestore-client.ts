import { Firestore } from '@google-cloud/firestore';

/** Builds the Firestore client for an emulator (`host:port`) or for real Cloud Firestore. */
export function createFirestore(
  target: { emulatorHost: string; projectId: string } | { projectId: string; databaseId: string },
): Firestore {
  const settings =
    'emulatorHost' in target
      ? { projectId: target.projectId, host: target.emulatorHost, ssl: false }
      : { projectId: target.projectId, databaseId: target.databaseId };
  return new Firestore({ ...settings, ignoreUndefinedProperties: true });
}
