import type { TestProject } from 'vitest/node';
import { startFirestoreEmulator } from '../../src/store/emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    firestoreEmulatorHost: string;
  }
}

/** One Firestore emulator for the whole run; each test file uses its own project id, so files never collide. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env['METADATA_SERVER_DETECTION'] = 'none';
  const existing = process.env['FIRESTORE_EMULATOR_HOST'];
  if (existing) {
    project.provide('firestoreEmulatorHost', existing);
    return async () => undefined;
  }
  const emulator = await startFirestoreEmulator();
  project.provide('firestoreEmulatorHost', emulator.host);
  return () => emulator.stop();
}
