/**
 * When the runner looks for due jobs. Idle, it makes no reads: it knows the earliest `runAt` of all jobs (the
 * store's head watch) and sleeps until then; new work wakes it (the watch, or a local enqueue). A slow safety timer
 * looks anyway, in case the watch missed something. Without a live watch the runner sets the head itself: the time
 * of its next poll, or now when its last query left due jobs behind.
 * Looks never overlap: a request during a look runs one more look after it.
 */
export interface WakeUp {
  /** When the next job is due, as far as the runner knows; null: there are none. */
  setHead(head: Date | null): void;
  /**
   * This process set job `id` to run at `at`: it is handed to `reminded` then, whatever the head says. The watch
   * would say so as well, but a watch can lag (or miss a change for a while); this does not depend on it.
   */
  remind(at: Date, id: string): void;
  /** Is anything due now, as far as the head says? Before the first head, yes. */
  mayBeDue(): boolean;
  /** Look now. `force`: even if the head says nothing is due (it may lag a local enqueue). */
  request(force: boolean): void;
  /** Look at `at` (forced), whatever the head says then: the earliest such time asked for stands. */
  lookAt(at: Date): void;
  /** Hand over the reminders whose time has come now (the clock may have moved faster than the timers). */
  remindDue(): void;
  stop(): void;
}

const MAX_REMINDERS = 10_000;

export function createWakeUp(options: {
  now: () => Date;
  look: (force: boolean) => Promise<void>;
  safetyMs: number;
  /** Up to this much random delay before looking at a head that became due, so instances do not all look at once. */
  spreadMs: number;
  /** The jobs whose reminders are due, earliest first. */
  reminded: (ids: string[]) => void;
}): WakeUp {
  const { now } = options;
  let head: Date | null | undefined;
  let headTimer: NodeJS.Timeout | undefined;
  /** Jobs this process set to run later, earliest first: each is handed back at its time, whatever the head says. */
  const reminders: Array<{ at: number; id: string }> = [];
  let reminderTimer: NodeJS.Timeout | undefined;
  let lookAtTimer: { at: number; timer: NodeJS.Timeout } | undefined;
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

  /** A few ms late on purpose: a timer may fire a millisecond early, and then the job would not be due yet. */
  const delayUntil = (at: number) => Math.min(Math.max(at - now().getTime() + 5, 0), options.safetyMs);

  function scheduleHead(): void {
    clearTimeout(headTimer);
    if (stopped || !(head instanceof Date)) return;
    const due = head <= now();
    headTimer = setTimeout(
      () => {
        // A due head is looked at once, and the look's claims move it; otherwise sleep on (capped at the safety
        // interval) until it is due.
        if (head instanceof Date && head <= now()) request(false);
        else scheduleHead();
      },
      due ? Math.random() * options.spreadMs : delayUntil(head.getTime()),
    );
    headTimer.unref();
  }

  /** Hands over the reminders whose time has come, and sets the timer for the next. */
  function remindDue(): void {
    const t = now().getTime();
    const due = reminders.findIndex((r) => r.at > t);
    const passed = reminders.splice(0, due === -1 ? reminders.length : due);
    if (passed.length > 0) options.reminded(passed.map((r) => r.id));
    scheduleReminder();
  }

  function scheduleReminder(): void {
    clearTimeout(reminderTimer);
    const first = reminders[0];
    if (stopped || first === undefined) return;
    reminderTimer = setTimeout(remindDue, delayUntil(first.at));
    reminderTimer.unref();
  }

  return {
    setHead(value) {
      head = value;
      scheduleHead();
    },
    remind(at, id) {
      const t = at.getTime();
      const later = reminders.findIndex((other) => other.at > t);
      const place = later === -1 ? reminders.length : later;
      // Past the bound the latest are left to the watch and the safety look: memory stays bounded.
      if (place >= MAX_REMINDERS) return;
      reminders.splice(place, 0, { at: t, id });
      if (reminders.length > MAX_REMINDERS) reminders.pop();
      if (place === 0) scheduleReminder();
    },
    lookAt(at) {
      const t = at.getTime();
      if (stopped || (lookAtTimer && lookAtTimer.at <= t)) return;
      clearTimeout(lookAtTimer?.timer);
      const timer = setTimeout(() => {
        lookAtTimer = undefined;
        request(true);
      }, delayUntil(t));
      timer.unref();
      lookAtTimer = { at: t, timer };
    },
    mayBeDue: () => head === undefined || (head !== null && head <= now()),
    request,
    remindDue,
    stop() {
      stopped = true;
      clearTimeout(headTimer);
      clearTimeout(reminderTimer);
      clearTimeout(lookAtTimer?.timer);
      clearInterval(safety);
    },
  };
}
