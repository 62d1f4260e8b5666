/**
 * When the runner looks for due jobs. Idle, it makes no reads: it knows the earliest `runAt` of all jobs (the
 * store's head watch) and sleeps until then; new work wakes it (the watch, or a local enqueue). A slow safety timer
 * looks anyway, in case the watch missed something. Without a live watch it polls.
 * Looks never overlap: a request during a look runs one more look after it.
 */
export interface WakeUp {
  /** The earliest runAt of all jobs; null: there are none; undefined: unknown (no live watch). */
  setHead(head: Date | null | undefined): void;
  /**
   * Look at `at` too: this process set a job to run then. The watch would say so as well, but a watch can lag (or
   * miss a change for a while); this look does not depend on it.
   */
  remind(at: Date): void;
  /** Is anything due now, as far as the head says? Unknown counts as yes. */
  mayBeDue(): boolean;
  /** Look now. `force`: even if the head says nothing is due (it may lag a local enqueue). */
  request(force: boolean): void;
  stop(): void;
}

export function createWakeUp(options: {
  now: () => Date;
  look: (force: boolean) => Promise<void>;
  pollMs: number;
  safetyMs: number;
  /** Up to this much random delay before looking at a head that became due, so instances do not all look at once. */
  spreadMs: number;
}): WakeUp {
  const { now } = options;
  let head: Date | null | undefined;
  /** The earliest reminder still ahead. */
  let reminder: Date | null = null;
  let headTimer: NodeJS.Timeout | undefined;
  let looking = false;
  let again: boolean | null = null;
  let stopped = false;
  const safety = setInterval(() => request(true), options.safetyMs);
  safety.unref();

  function request(force: boolean): void {
    if (stopped) return;
    if (looking) {
      again = (again ?? false) || force;
      return;
    }
    looking = true;
    void options.look(force).finally(() => {
      looking = false;
      const next = again;
      again = null;
      if (next !== null) request(next);
    });
  }

  /** When to look next: the head, or an earlier reminder; undefined without a live watch, null: nothing known. */
  function next(): Date | null | undefined {
    if (head === undefined) return undefined;
    return reminder && (head === null || reminder < head) ? reminder : head;
  }

  function schedule(): void {
    clearTimeout(headTimer);
    const at = next();
    if (stopped || at === null) return;
    if (at === undefined) {
      headTimer = setTimeout(() => {
        request(true);
        schedule();
      }, options.pollMs);
    } else {
      // A few ms late on purpose: a timer may fire a millisecond early, and then the job would not be due yet.
      const ms = at.getTime() - now().getTime();
      const delay = ms <= 0 ? Math.random() * options.spreadMs : Math.min(ms + 5, options.safetyMs);
      headTimer = setTimeout(() => {
        const reminded = reminder !== null && reminder <= now();
        if (reminded) reminder = null;
        const headDue = head instanceof Date && head <= now();
        // A reminder forces the look: the watch may not know yet that the job is due.
        if (reminded || headDue) request(reminded);
        // Otherwise sleep on until what is still ahead (capped at the safety interval); a due head is looked at once,
        // and the look's claims move it.
        if (!headDue) schedule();
      }, delay);
    }
    headTimer.unref();
  }

  return {
    setHead(value) {
      head = value;
      schedule();
    },
    remind(at) {
      if (reminder && reminder <= at) return;
      reminder = at;
      schedule();
    },
    mayBeDue: () => head === undefined || (head !== null && head <= now()),
    request,
    stop() {
      stopped = true;
      clearTimeout(headTimer);
      clearInterval(safety);
    },
  };
}
