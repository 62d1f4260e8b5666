import { startFirestoreEmulator } from '../src/store/emulator.js';
import { cpuSecondsOf } from './process-cpu.js';

/** What the emulator logs when a transaction waited too long for a lock another one held (it is then aborted). */
const CONTENTION = /lock timeout|transaction.*(abort|contention)|ABORTED/i;

export interface BenchEmulator {
  host: string;
  /** Contention lines the emulator has logged so far; null when the bench did not start it (FIRESTORE_EMULATOR_HOST). */
  contentionLines(): number | null;
  /** CPU seconds the emulator has used so far; null when the bench did not start it. */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

/** The emulator the bench runs against: FIRESTORE_EMULATOR_HOST if set (left running), else one of its own. */
export async function useEmulator(env: NodeJS.ProcessEnv): Promise<BenchEmulator> {
  const existing = env['FIRESTORE_EMULATOR_HOST'];
  if (existing)
    return { host: existing, contentionLines: () => null, cpuSeconds: () => null, stop: async () => undefined };
  let lines = 0;
  const emulator = await startFirestoreEmulator({
    onOutput: (line) => {
      if (CONTENTION.test(line)) lines++;
    },
  });
  return {
    host: emulator.host,
    contentionLines: () => lines,
    cpuSeconds: () => cpuSecondsOf(emulator.pid),
    stop: () => emulator.stop(),
  };
}
