/** A clock a test moves by hand: the app reads it through its `now` option; nothing moves it but `advance`. */
export interface ManualClock {
  now(): Date;
  advance(ms: number): void;
  /** Milliseconds moved since the start. */
  elapsed(): number;
}

export function createManualClock(startMs = Date.now()): ManualClock {
  let current = startMs;
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    elapsed: () => current - startMs,
  };
}
