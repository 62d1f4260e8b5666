import { randomUUID } from 'node:crypto';
import type { LogPort } from '../shared/log-port.js';
import { fairPick, groupOfJobId, type JobGroup } from './fair-pick.js';
import type { ClaimedJob, DueJob, JobStore } from './job-store.js';
import type { LocalSignal, LocalTaker } from './local-signal.js';
import { DEFAULT_RETRY_BUDGET, type RetryBudget } from './retry-budget.js';
import { runJob } from './run-job.js';
import type { Task } from './task.js';
import { handBackPatch } from './transitions.js';
import { createWakeUp } from './wake-up.js';
import { createIdleWatch, type IdleWatch } from './idle-watch.js';
import { MEMBERS_FRESH_MS, type QueueMembership } from './queue-membership.js';

export interface JobRunnerOptions {
  store: JobStore;
  tasks: readonly Task[];
  log: LogPort;
  now: () => Date;
  /** Lease owner id of this process; each run's lease token is `owner:leaseId`. */
  owner: string;
  /** Local enqueues wake the runner at once. */
  enqueued?: LocalSignal;
  /**
   * Jobs in flight at most, but for `localHeadroom` (default 128). A job mostly waits on Slack and Firestore, so this is
   * sized by memory and sockets, not by cores: a fan-out to a hundred workspaces runs in one round.
   */
  concurrency?: number;
  /**
   * Jobs created in this process (a delivery accepted here, a fan-out's reconciles) start at once even past
   * `concurrency`, up to this many more (default half of it): work begun here is carried on before more is claimed
   * from the queue, so a backlog's first posts are not queued behind the rest of the backlog.
   */
  localHeadroom?: number;
  /**
   * Jobs of one group (a workspace) in flight at most, so one backlog never takes every slot (default 1/8 of it). A
   * kind with `inFlightPerShard` is grouped by shard instead, with that bound.
   */
  perGroup?: number;
  /** The group of a job id (default: a reconcile job's workspace, from `kind#workspace#…`). */
  groupOf?: (id: string) => string;
  /** A lease is renewed every third of this while its job runs; a crashed instance's jobs are free after it. */
  leaseMs?: number;
  /**
   * A run not ended after this long is given up: recorded as a failure (retried within the budget), its slot freed, and
   * the next run told it may overlap it. Default 30 minutes (every Slack, GitHub and Firestore call has its own timeout).
   */
  runDeadlineMs?: number;
  budget?: RetryBudget;
  keepDoneMs?: number;
  keepDeadMs?: number;
  /** stop(): how long in-flight jobs may finish before they are handed back. */
  stopGraceMs?: number;
  /** stop(): the most time handing back may take (Firestore may not answer). */
  handBackMs?: number;
  /** Poll interval while the store's head watch is not live (while jobs run, and after the watch failed). */
  pollMs?: number;
  /** Looks for due jobs this often even when the head watch says nothing is due. */
  safetyMs?: number;
  /**
   * This instance's share of the queue's shards: a look claims due jobs of its own shards, and the others' only once
   * they have been due for `takeOverAfterMs` (their owner crashed, or is saturated). Without it, every shard is its own.
   */
  membership?: QueueMembership;
  /** Default 5 s. */
  takeOverAfterMs?: number;
  /**
   * Called on stop() after in-flight jobs were handed back, with their lease tokens: release what their runs hold
   * (post claims), so the next run does not wait for them.
   */
  onHandBack?: (input: { owner: string; leaseTokens: string[] }) => Promise<void>;
}

export interface JobRunner {
  start(): void;
  /** Look for due jobs now, and claim the jobs this process set to wait whose time has come (a test moved its clock). */
  wake(): void;
  /** Jobs just enqueued by this process: claimed at once where there is room, without a query for due jobs first. */
  offer(ids: readonly string[]): void;
  /** Takes jobs as they are created (written already leased to this runner), while it runs and has room. */
  taker: LocalTaker;
  /** The earliest runAt of all jobs as the head watch last said: null when the queue is empty, undefined if unknown. */
  head(): Date | null | undefined;
  /** Stops claiming, lets in-flight jobs finish for the grace period, then hands the rest back. Bounded in time. */
  stop(): Promise<{ handedBack: number }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Pages of due jobs one look reads at most, when the head is one group's backlog (see findDuePastBacklogs). */
const PAGES_MAX = 3;
/** How often a look may read past the first page: each page costs its reads. */
const PAGE_PAST_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);

/**
 * Claims due jobs (any instance may; leases decide), runs up to `concurrency` at once (and jobs created here up to
 * `localHeadroom` more), and records their outcomes.
 * A slow, failing or waiting job occupies nothing while it waits, so one workspace never delays another.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, now, owner } = options;
  const concurrency = options.concurrency ?? 128;
  const localHeadroom = options.localHeadroom ?? Math.floor(concurrency / 2);
  const perGroup = options.perGroup ?? Math.max(1, Math.ceil(concurrency / 8));
  const groupOfId = options.groupOf ?? groupOfJobId;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const membership = options.membership;
  const takeOverAfterMs = options.takeOverAfterMs ?? 5_000;
  // The caller's logger names the component; a second `component` key would be a duplicate.
  const log = options.log.child({ owner });
  const tasks = new Map(options.tasks.map((t) => [t.name, t]));
  const runOptions = {
    store,
    owner,
    tasks,
    now,
    leaseMs,
    log,
    budget: options.budget ?? DEFAULT_RETRY_BUDGET,
    keepDoneMs: options.keepDoneMs ?? 7 * DAY_MS,
    keepDeadMs: options.keepDeadMs ?? 30 * DAY_MS,
    runDeadlineMs: options.runDeadlineMs ?? 30 * 60_000,
  };
  const inFlight = new Map<string, { token: string; done: Promise<void> }>();
  /** Of those, jobs created here that started past `concurrency`: the rest are bounded by it. */
  let inHeadroom = 0;
  /** When the last run ended (or the runner started), while none runs. */
  let idleSince: number | null = Date.now();
  /** Free slots of `concurrency`, where claimed jobs run (and created ones, first). */
  const free = () => concurrency - (inFlight.size - inHeadroom);
  /** Slots a job may start in now: the free ones, and for a job created here the headroom's as well. */
  const room = (created: boolean) => free() + (created ? localHeadroom - inHeadroom : 0);
  const groups = new Map<string, number>();
  /** Kind and shard of the due jobs the last query found: their group, for the ones that are grouped by shard. */
  let foundJobs = new Map<string, Pick<DueJob, 'kind' | 'shard'>>();
  const perShardBound = (kind: string | null) => (kind === null ? undefined : tasks.get(kind)?.inFlightPerShard);
  function groupOf(id: string, job = foundJobs.get(id)): JobGroup {
    const perShard = perShardBound(job?.kind ?? null);
    if (job && perShard !== undefined) return { name: `${job.kind}@${job.shard}`, most: perShard };
    return { name: groupOfId(id), most: perGroup };
  }
  /**
   * Enqueued here since the last look, or let through by the end of a run of the group that held them back: tried
   * first, before (or instead of) a query.
   */
  const offered = new Set<string>();
  /**
   * Due jobs the last query found that their group's bound held back, by group: when a run of the group ends, the
   * next is claimed without a query (a repo's backlog would otherwise read the queue's head again at every run's end).
   */
  let heldBack = new Map<string, string[]>();
  /**
   * Jobs this process set to wait whose time has come, earliest first: claimed before anything else, and kept until
   * there is room (bounded by the wake-up's reminders). Their time was chosen (a channel's posting slot): one left to
   * a query would be found only after the head start it gave itself over the other instances.
   */
  const returning = new Set<string>();
  /** Of those, the ones their group's bound held back, by group: next in line (before `heldBack`) as its runs end. */
  const returningHeld = new Map<string, string[]>();
  /**
   * When the last query found due jobs and none this instance may claim (another's, held back by their owner or not
   * yet to be taken over): the head's next changes are then most likely that owner claiming them, and a look at each
   * would read the same jobs again. Until a poll interval has passed, a look the head asks for waits for it.
   */
  let foundOnlyOthersAt: number | null = null;
  /** When a look last read past the first page of due jobs, and where the next such look goes on from (null: behind the head). */
  let pagedPastAt = 0;
  let pastFrom: Date | null = null;
  /** Looks and hand-backs under way: stop() waits for them (within its deadline). */
  const tracked = new Set<Promise<unknown>>();
  let running = false;
  /** The queue's head while the head watch is live; undefined while not watching (busy, or the watch failed). */
  let head: Date | null | undefined;
  let watch: IdleWatch | undefined;
  const nextPoll = () => new Date(now().getTime() + pollMs);
  let unsubscribe: (() => void) | undefined;
  const wake = createWakeUp({
    now,
    look,
    safetyMs: options.safetyMs ?? 5 * 60_000,
    // Instances with a share of the shards claim different jobs: nothing to spread, and a random wait would only delay
    // a backlog's first posts (by the largest of the instances' waits). Without shares they would race for the same.
    spreadMs: membership ? 0 : 100,
    // A job this instance set to wait is claimed again at its time by its id (no query), ahead of other work.
    reminded: (ids) => {
      ids.forEach((id) => returning.add(id));
      wake.request(true);
    },
  });

  /** A look in progress is tracked, so stop() can wait for claims that are landing. */
  function look(force: boolean): Promise<void> {
    const looking = lookOnce(force);
    tracked.add(looking);
    return looking.finally(() => tracked.delete(looking));
  }

  async function lookOnce(force: boolean): Promise<void> {
    const known = returning.size + offered.size > 0;
    if (!running || free() <= 0 || (!force && !known && !wake.mayBeDue())) return;
    const othersWait = foundOnlyOthersAt === null ? 0 : foundOnlyOthersAt + pollMs - Date.now();
    if (!force && !known && othersWait > 0) {
      wake.lookAt(new Date(now().getTime() + othersWait));
      return;
    }
    try {
      const slots = free();
      const taken = [...returning].slice(0, slots);
      taken.forEach((id) => returning.delete(id));
      // Within their groups' bounds like any due job (one workspace's jobs all come back together from Slack's
      // Retry-After); the ones over it are next in line as their group's runs end.
      const backPick = fairPick({
        due: taken.filter((id) => !inFlight.has(id)),
        free: slots,
        groupOf,
        inFlight: groups,
      });
      const back = backPick.picked;
      for (const [group, ids] of byGroup(backPick.heldBack, (id) => groupOf(id).name))
        returningHeld.set(group, [...(returningHeld.get(group) ?? []), ...ids]);
      const withBack = new Map(groups);
      for (const id of back) withBack.set(groupOf(id).name, (withBack.get(groupOf(id).name) ?? 0) + 1);
      const fresh = [...offered].filter((id) => !back.includes(id));
      offered.clear();
      // Jobs enqueued here are claimed without a query first (the next look queries for the rest). A query asks for
      // more than the free slots: some may be claimed by another instance meanwhile, some skipped for fairness.
      // Idle for a while: the members may have changed since they were read, and a backlog is best split from the start.
      // Read beside the query: only the split of what it finds needs them.
      const idleLong = !known && idleSince !== null && Date.now() - idleSince >= MEMBERS_FRESH_MS;
      const [queried] = await Promise.all([
        known ? [] : findDuePastBacklogs(slots),
        idleLong ? membership?.recent() : undefined,
      ]);
      if (!known) foundJobs = new Map(queried.map((j) => [j.id, j]));
      const claimable = ours(queried);
      if (!known) foundOnlyOthersAt = queried.length > 0 && claimable.length === 0 ? Date.now() : null;
      const due = [...new Set([...fresh, ...claimable])].filter((id) => !inFlight.has(id));
      const pick = fairPick({ due, free: slots - back.length, groupOf, inFlight: withBack });
      if (!known) heldBack = byGroup(pick.heldBack, (id) => groupOf(id).name);
      const picked = [...back, ...pick.picked];
      // About to be busy: the watch goes before the claims are written, so they cost no listener anything.
      if (picked.length > 0) watch?.busy();
      // Claims in parallel; each job starts as soon as its own claim lands.
      const started = await Promise.all(
        picked.map(async (id) => {
          const job = await claim(id);
          if (!job) return 0;
          // One job start per turn of the event loop: requests (ingress) are served between them.
          await new Promise<void>((resolve) => setImmediate(resolve));
          return start(job, { created: false });
        }),
      );
      // More may be due than one look could claim; a lost claim may hide a job that is still due (changed, not taken).
      const count = started.reduce((a, b) => a + b, 0);
      if (inFlight.size === 0) watch?.idle();
      // Lost most of its claims: other instances are taking the same jobs. Looking again at once would mostly race
      // them for the rest (a query and a failed write each, while they work); its next poll finds what is still due.
      const outrun = count * 2 < picked.length;
      if (head === undefined && !known) {
        // Not watching (busy): what this query found stands in for the head until the next one. Jobs held back by
        // their group's bound are not waiting for a look: the end of a run of their group lets the next through.
        wake.setHead(count < due.length - pick.heldBack.length && !outrun ? now() : nextPoll());
      }
      if (!outrun && (count > 0 || count < picked.length) && free() > 0) wake.request(false);
    } catch (err) {
      log.error({ err }, 'looking for due jobs failed');
      if (head === undefined) wake.setHead(nextPoll());
    }
  }

  /**
   * Due jobs for a look: a page of the queue's head (more than the free slots: some may be claimed by another instance
   * meanwhile, some held back by their group's bound). When one group's backlog fills the whole page and its bound
   * leaves slots free, also pages further into the queue (at most every PAGE_PAST_MS), each pass going on from where
   * the last one stopped: else other groups' jobs would wait hidden behind that backlog until it drained.
   */
  async function findDuePastBacklogs(slots: number): Promise<DueJob[]> {
    const limit = Math.min(500, slots * 3);
    const found = await store.findDue({ now: now(), limit });
    if (found.length < limit || Date.now() - pagedPastAt < PAGE_PAST_MS || runnable(found, slots) >= slots)
      return found;
    pagedPastAt = Date.now();
    const headEnd = found.at(-1)!.dueAt;
    // Jobs due at the very time a page ended are skipped by the next (`after` is exclusive): the head reaches them.
    let from: Date | null = pastFrom !== null && pastFrom > headEnd ? pastFrom : headEnd;
    for (let pages = 1; pages < PAGES_MAX && from !== null && runnable(found, slots) < slots; pages += 1) {
      const page = await store.findDue({ now: now(), limit, after: from });
      found.push(...page);
      from = page.length < limit ? null : page.at(-1)!.dueAt;
    }
    pastFrom = from;
    return found;
  }

  /** How many of the found jobs could start now: this instance's, within their groups' bounds (as a look picks). */
  function runnable(found: readonly DueJob[], slots: number): number {
    const overdue = now().getTime() - takeOverAfterMs;
    const mine = new Map(found.filter((j) => !inFlight.has(j.id) && isMine(j, overdue)).map((j) => [j.id, j]));
    const groupOfFound = (id: string) => groupOf(id, mine.get(id));
    return fairPick({ due: [...mine.keys()], free: slots, groupOf: groupOfFound, inFlight: groups }).picked.length;
  }

  const takeable = (j: DueJob) => perShardBound(j.kind) === undefined;
  /** This instance's to claim: of its own shards, or another's due since before `overdue` (and not bounded per shard). */
  const isMine = (j: DueJob, overdue: number) =>
    !membership || membership.owns(j.shard) || (takeable(j) && j.dueAt.getTime() <= overdue);

  /**
   * The found jobs this instance claims: those of its own shards, and any other's due for `takeOverAfterMs`. For
   * the rest it looks again when they would be taken over, in case their owner has not claimed them by then.
   * A kind bounded per shard is not taken over: its owner holds it back on purpose, and it changes hands only with
   * its shard (when its owner stops or its lease lapses).
   */
  function ours(found: readonly DueJob[]): string[] {
    const overdue = now().getTime() - takeOverAfterMs;
    const mine = (j: DueJob) => isMine(j, overdue);
    const left = found.filter((j) => !mine(j));
    const later = left.filter(takeable);
    if (later.length > 0) wake.lookAt(new Date(Math.min(...later.map((j) => j.dueAt.getTime())) + takeOverAfterMs));
    if (membership && left.length > 0) {
      // Their owner may have just stopped (it handed them back): the members say so at once.
      void membership.refresh().then((changed) => changed && wake.request(true));
    }
    return found.filter(mine).map((j) => j.id);
  }

  async function claim(id: string): Promise<ClaimedJob | null> {
    const leaseToken = `${owner}:${randomUUID()}`;
    return store.claim({ id, owner, leaseToken, now: now(), leaseMs }).catch(async (err: unknown) => {
      log.error({ err, job_id: id }, 'claiming a job failed');
      // The claim may have landed all the same (an answer lost, or the emulator's `UNKNOWN` under lock contention):
      // handed back if it did, so the job is not left to wait for its lease to run out.
      await store
        .settle({ id, leaseToken, change: (job) => handBackPatch({ job, now: now(), unfinished: false }) })
        .catch(() => false);
      return null;
    });
  }

  /** Starts a job claimed or created leased to this runner, where there is room for it. */
  function start(claimed: ClaimedJob, o: { created: boolean }): number {
    const { id, leaseToken } = claimed.job;
    if (!running || room(o.created) <= 0 || leaseToken === null) {
      // Not started: hand it back at once, as if never claimed.
      const handBack = store
        .settle({
          id,
          leaseToken: leaseToken ?? '',
          change: (job) => handBackPatch({ job, now: now(), unfinished: false }),
        })
        .catch(() => false);
      tracked.add(handBack);
      void handBack.finally(() => tracked.delete(handBack));
      return 0;
    }
    const group = groupOf(id, claimed.job).name;
    groups.set(group, (groups.get(group) ?? 0) + 1);
    const headroom = free() <= 0;
    if (headroom) inHeadroom += 1;
    if (inFlight.size === 0) watch?.busy();
    idleSince = null;
    const done = runJob(claimed, runOptions)
      .then((nextRun) => {
        if (nextRun) wake.remind(nextRun, id);
      })
      .finally(() => {
        inFlight.delete(id);
        if (inFlight.size === 0) idleSince = Date.now();
        if (headroom) inHeadroom -= 1;
        const left = (groups.get(group) ?? 1) - 1;
        if (left > 0) groups.set(group, left);
        else groups.delete(group);
        const held = returningHeld.get(group);
        const next = held?.shift() ?? heldBack.get(group)?.shift();
        if (held?.length === 0) returningHeld.delete(group);
        if (next !== undefined) offered.add(next);
        // Idle again: the watch's first answer says whether anything is due (a look now would be a query).
        else if (inFlight.size === 0 && watch?.idle()) return;
        wake.request(false);
      });
    inFlight.set(id, { token: leaseToken, done });
    return 1;
  }

  function offer(ids: readonly string[]): void {
    // Past the free slots an offer is only a wake-up: the rest are found by the query like any due job.
    for (const id of ids) if (offered.size < concurrency) offered.add(id);
    wake.request(true);
  }

  const taker: LocalTaker = {
    reserve: () => {
      const limit = room(true);
      if (!running || limit <= 0) return null;
      return { owner, leaseMs, limit, leaseToken: () => `${owner}:${randomUUID()}` };
    },
    // Started like claimed ones (handed back at once if there is no room after all, or the runner stopped).
    start: (jobs) => jobs.forEach((job) => start(job, { created: true })),
  };

  return {
    taker,
    start() {
      if (running) return;
      running = true;
      membership?.start();
      const unsubscribeIds = options.enqueued?.subscribe((ids) => offer(ids));
      const detach = options.enqueued?.attachTaker(taker);
      unsubscribe = () => {
        unsubscribeIds?.();
        detach?.();
      };
      watch = createIdleWatch({
        store,
        onHead(runAt) {
          head = runAt;
          // Not watching: nothing is known to be due before the next poll (a query's answer may say otherwise).
          wake.setHead(runAt === undefined ? nextPoll() : runAt);
        },
        log,
        retryMs: 30_000,
      });
      wake.request(true);
    },
    wake() {
      wake.remindDue();
      wake.request(true);
    },
    offer,
    head: () => head,
    async stop() {
      if (!running) return { handedBack: 0 };
      running = false;
      wake.stop();
      watch?.stop();
      unsubscribe?.();
      await within(
        Promise.allSettled([...tracked, ...[...inFlight.values()].map((r) => r.done)]),
        options.stopGraceMs ?? 3_000,
      );
      const unfinished = [...inFlight.entries()];
      const leaseTokens = unfinished.map(([, r]) => r.token);
      const handBack = Promise.allSettled(
        unfinished.map(([id, r]) =>
          store.settle({
            id,
            leaseToken: r.token,
            change: (job) => handBackPatch({ job, now: now(), unfinished: true }),
          }),
        ),
      );
      // Post claims and leases in parallel: the job is ours until handed back, so no other run can meet its claims.
      const released = options
        .onHandBack?.({ owner, leaseTokens })
        .catch((err: unknown) => log.error({ err }, 'releasing claims at shutdown failed'));
      // Its shards go to the other instances at once, with the jobs just handed back.
      const left = membership?.stop();
      const inTime = await within(Promise.all([handBack, released, left, ...tracked]), options.handBackMs ?? 1_500);
      if (unfinished.length > 0 || !inTime) {
        log.warn({ handed_back: unfinished.length, in_time: inTime }, 'stopped with jobs in flight; handed back');
      }
      return { handedBack: unfinished.length };
    },
  };
}

function byGroup(ids: readonly string[], groupOf: (id: string) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const group = groupOf(id);
    const held = groups.get(group);
    if (held) held.push(id);
    else groups.set(group, [id]);
  }
  return groups;
}
