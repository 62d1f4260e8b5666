import type { LogPort } from '../shared/log-port.js';
import type { JobStore } from './job-store.js';

export interface IdleWatch {
  /**
   * Jobs are about to run (a look picked some) or running: the watch is dropped (a busy instance looks again as each
   * run ends, and polls meanwhile).
   */
  busy(): void;
  /**
   * No run in flight any more: the watch comes back, and its first answer says whether anything is due. False when
   * there is no watch to come back (none in this store, or it failed a moment ago): look instead.
   */
  idle(): boolean;
  stop(): void;
}

/**
 * The queue's head watch, kept only while this instance is idle. A busy instance looks for due jobs whenever one of
 * its runs ends, and every poll interval, so the watch would tell it nothing new; yet every change of the queue's head
 * costs it a read (and the emulator a re-run of the query per commit, per listener, which is what slows several busy
 * instances on one emulator). Idle instances keep it: they learn of new work at once and read nothing while waiting.
 * `onHead(undefined)`: not watching (unknown head, so the runner polls).
 */
export function createIdleWatch(options: {
  store: Pick<JobStore, 'watchHead'>;
  onHead: (head: Date | null | undefined) => void;
  log: LogPort;
  /** After the watch failed: watch again this much later (polling meanwhile). */
  retryMs: number;
}): IdleWatch {
  const { store, onHead, log } = options;
  let unwatch: (() => void) | undefined;
  /** Which watch is current: a dropped one's late callbacks are ignored. */
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let stopped = false;

  function attach(): void {
    if (stopped || busy || unwatch || !store.watchHead) return;
    const mine = ++generation;
    const detach = store.watchHead({
      onHead: (runAt) => mine === generation && onHead(runAt),
      onError(err) {
        if (mine !== generation) return;
        log.warn({ err }, 'job queue watch failed; polling until it is back');
        drop();
        retryLater();
      },
    });
    // It failed at once (and is already dropped): nothing to keep.
    if (mine === generation) unwatch = detach;
    else detach();
  }

  function drop(): void {
    generation += 1;
    const detach = unwatch;
    unwatch = undefined;
    detach?.();
    onHead(undefined);
  }

  function retryLater(): void {
    timer = setTimeout(() => {
      timer = undefined;
      attach();
    }, options.retryMs);
    timer.unref();
  }

  onHead(undefined);
  attach();
  return {
    busy() {
      busy = true;
      if (unwatch) drop();
    },
    idle() {
      busy = false;
      if (!unwatch && !timer) attach();
      return unwatch !== undefined;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      if (unwatch) drop();
    },
  };
}
