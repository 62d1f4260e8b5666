import { createTestApp, type TestApp } from '../test/support/test-app.js';

export interface IdleReads {
  /** Firestore reads the idle instance's queue made during the window, and that rate per hour. */
  reads: number;
  windowSeconds: number;
  perHour: number;
}

/**
 * One whole app in this process with nothing to do (no workspaces, no deliveries) on a Firestore project of its
 * own, its queue's read counter (reads as Firestore bills them) sampled from start to stop. Run beside the fault
 * scenarios, so the window spans minutes and includes the queue's slow safety looks: an idle instance's reads come
 * from its own timers and watch, whatever the machine is doing.
 */
export async function startIdleInstance(options: {
  emulatorHost: string;
}): Promise<{ stop(options: { minWindowMs: number }): Promise<IdleReads> }> {
  const t: TestApp = await createTestApp({ emulatorHost: options.emulatorHost });
  // Counted from here: opening the watch and the first look are start-up, not idling.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const startReads = t.app.queue.reads();
  const started = performance.now();
  return {
    async stop({ minWindowMs }) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, minWindowMs - (performance.now() - started))));
      const reads = t.app.queue.reads() - startReads;
      const seconds = (performance.now() - started) / 1000;
      await t.close();
      return { reads, windowSeconds: Math.round(seconds), perHour: Math.round((reads / seconds) * 3600) };
    },
  };
}
