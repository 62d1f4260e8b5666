import type { Firestore } from '@google-cloud/firestore';
import { createJsonReader } from '../../../src/shared/json-reader.js';
import type { LogPort } from '../../../src/pipeline/ports.js';
import { createFirestoreQueue, type FirestoreQueue } from '../../../src/store/queue/firestore-queue.js';
import { defineJobKind } from '../../../src/queue/job-kind.js';
import type { JobOutcome } from '../../../src/queue/job-outcome.js';
import { defineTask, type JobRun } from '../../../src/queue/task.js';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../../../src/queue/worker.js';
import type { JobStore } from '../../../src/queue/job-store.js';

/** `store` with a head watch that said once the queue is empty and nothing since: one that lags, or missed a change. */
export function withSilentWatch(store: JobStore): JobStore {
  return { ...store, watchHead: ({ onHead }) => (onHead(null), () => undefined) };
}

/** A test clock: `now()` for the queue, moved by the test. */
export function createClock(start: Date) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    set: (d: Date) => {
      at = Math.max(at, d.getTime());
    },
    advance: (ms: number) => {
      at += ms;
    },
  };
}

/** Logs kept in memory, so a test can check what an operator would read. */
export function createMemoryLog(): LogPort & {
  lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  const make = (bindings: Record<string, unknown>): LogPort => ({
    info: (obj, msg = '') => void lines.push({ level: 'info', msg, obj: { ...bindings, ...obj } }),
    warn: (obj, msg = '') => void lines.push({ level: 'warn', msg, obj: { ...bindings, ...obj } }),
    error: (obj, msg = '') => void lines.push({ level: 'error', msg, obj: { ...bindings, ...obj } }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return Object.assign(make({}), { lines });
}

/** A job kind for queue tests: a name to route on, decoded strictly. */
export const probeJob = defineJobKind<{ name: string }>({
  name: 'probe',
  decode: (p) => ({ name: createJsonReader(p).string('name') }),
  encode: (p) => ({ name: p.name }),
  describe: (p) => ({ probe: p.name }),
});

/** A job kind sharded by repo and bounded per shard, as fan-outs are: one repo's jobs run one at a time. */
export const repoProbeJob = defineJobKind<{ repo: string }>({
  name: 'repo-probe',
  decode: (p) => ({ repo: createJsonReader(p).string('repo') }),
  encode: (p) => ({ repo: p.repo }),
  describe: (p) => ({ repo: p.repo }),
  shardKey: (p) => p.repo,
  inFlightPerShard: 1,
});

export type ProbeHandler = (run: JobRun<{ name: string }>) => Promise<JobOutcome>;

/** The Firestore queue with a runner whose probe jobs run `handle`. */
export function createQueueKit(db: Firestore, options: { now: () => Date }) {
  const parts: FirestoreQueue = createFirestoreQueue(db, { now: options.now });
  const log = createMemoryLog();
  const runner = (handle: ProbeHandler, more: Partial<JobRunnerOptions> = {}): JobRunner =>
    createJobRunner({
      store: parts.store,
      tasks: [defineTask(probeJob, handle)],
      enqueued: parts.enqueued,
      log,
      now: options.now,
      owner: `test-${Math.random().toString(36).slice(2, 8)}`,
      ...more,
    });
  const enqueue = (name: string, keyMode: 'unique' | 'coalesce' = 'coalesce', runAt?: Date) =>
    parts.queue.enqueue(probeJob, { name }, { key: `probe#${name}`, keyMode, ...(runAt ? { runAt } : {}) });
  const job = (name: string) => parts.store.get(`probe#${name}`);
  return { ...parts, runner, enqueue, job, log };
}
