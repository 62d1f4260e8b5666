/**
 * The job worker's wait between looks at the queue: the poll interval, cut short by a kick (new work here) or
 * by a wake-up time (a deferred job due before the next poll). A kick during a round ends the next wait at once.
 */
export interface PollTimer {
  /** Call at the start of each round: kicks before this point are consumed by the round. */
  beginRound(): void;
  /** Waits until the poll interval passed, or a kick came since the round began. */
  sleep(): Promise<void>;
  kick(): void;
  /** Kick at `at` if that is before the next poll would look anyway. */
  wakeAt(at: Date): void;
}

export function createPollTimer(options: { pollMs: number; now: () => Date; isRunning: () => boolean }): PollTimer {
  const { pollMs } = options;
  let kicked = false;
  let wake: (() => void) | null = null;
  const kick = () => {
    kicked = true;
    wake?.();
  };
  return {
    beginRound() {
      kicked = false;
    },
    sleep: () =>
      new Promise<void>((resolve) => {
        if (kicked || !options.isRunning()) return resolve();
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      }),
    kick,
    wakeAt(at) {
      const ms = at.getTime() - options.now().getTime();
      // A few ms late on purpose: a timer may fire a millisecond early, and then the job would not be due yet.
      if (ms < pollMs) setTimeout(kick, Math.max(0, ms) + 5).unref();
    },
  };
}
