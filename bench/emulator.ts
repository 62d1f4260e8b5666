import { startFirestoreEmulator } from '../src/store/emulator.js';

/** The emulator the bench runs against: FIRESTORE_EMULATOR_HOST if set (left running), else one of its own. */
export async function useEmulator(env: NodeJS.ProcessEnv): Promise<{ host: string; stop(): Promise<void> }> {
  const existing = env['FIRESTORE_EMULATOR_HOST'];
  if (existing) return { host: existing, stop: async () => undefined };
  return startFirestoreEmulator();
}
