import type { LogPort } from '../shared/log-port.js';
import type { JobAdminStore } from './job-store.js';

/**
 * A log line every minute with the queue's depth and how long its most overdue job has waited: what an operator
 * watches (and alerts on). When the head watch says the queue is empty it costs no read at all. `claims_lost`: the
 * claims this instance lost to another since the last line (one failed conditional write each), the contention
 * between instances; `members`: the instances sharing the queue's shards, as this one knows them. Stopping logs the
 * claims lost since the last line (no read: the instance is shutting down).
 */
export function startQueueHealth(options: {
  admin: Pick<JobAdminStore, 'depth'>;
  head: () => Date | null | undefined;
  /** Claims this instance lost so far. */
  lostClaims: () => number;
  /** Instances sharing the queue now, as this one knows (itself included). */
  members: () => number;
  log: LogPort;
  now: () => Date;
  intervalMs?: number;
}): () => void {
  const { log } = options;
  let lostBefore = options.lostClaims();
  const timer = setInterval(() => {
    const lost = options.lostClaims();
    const claimsLost = lost - lostBefore;
    lostBefore = lost;
    const members = options.members();
    if (options.head() === null)
      return log.info(
        { pending: 0, running: 0, oldest_due_s: 0, claims_lost: claimsLost, members },
        'job queue health',
      );
    options.admin.depth(options.now()).then(
      (d) =>
        log.info(
          {
            pending: d.pending,
            running: d.running,
            oldest_due_s: Math.round(d.oldestDueMs / 1000),
            claims_lost: claimsLost,
            members,
          },
          'job queue health',
        ),
      (err: unknown) => log.warn({ err }, 'job queue health unknown: Firestore did not answer'),
    );
  }, options.intervalMs ?? 60_000);
  timer.unref();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    log.info({ claims_lost: options.lostClaims() - lostBefore }, 'job queue health at stop');
  };
}
