import type { Firestore } from '@google-cloud/firestore';
import { POST_INTERVAL_MS } from '../src/pipeline/core/pacing.js';
import { MEMBERS_FRESH_MS } from '../src/queue/queue-membership.js';
import { COLLECTIONS } from '../src/store/ids.js';
import { mayHaveLanded } from '../src/store/firestore/write-race.js';
import { githubDeliveryRequest } from '../dev/local/github-deliveries.js';
import { installSubscriptions } from '../test/faults/support/fault-teams.js';
import { startFaultCluster, type FaultCluster } from '../test/faults/support/fault-cluster.js';
import { startBacklogIngress, type BacklogIngress } from './backlog-ingress.js';
import { openedDelivery } from './deliveries.js';
import type { BenchEmulator } from './emulator.js';
import { describeMachine } from './machine.js';
import { peakRssMiB } from './peak-rss.js';
import { cpuSecondsOf, ownCpuSeconds } from './process-cpu.js';
import { round } from './stats.js';
import { whenTrue } from './when-true.js';

export interface ScaleOutRow {
  instances: number;
  deliveries: number;
  channels: number;
  /** First delivery sent → the last acknowledged: the backlog stored, not yet due. */
  storeSeconds: number;
  /** The stored backlog made due → every message in Slack (null: not within the timeout). */
  drainSeconds: number | null;
  /**
   * The backlog made due → every channel's first message in Slack (null: not all within the timeout): the part of the
   * drain the instances' work decides; after it, each channel's pacing does.
   */
  firstPostsSeconds: number | null;
  /** Cores busy on average (emulator, servers and bench together) until every channel had its first message. */
  firstPostsCoresBusy: number | null;
  /** CPU seconds each used until then (null: not all within the timeout): whose work the first posts waited on. */
  firstPostsCpu: CpuSeconds | null;
  /** Pacing floor: a channel's posts one per posting interval from the moment the backlog is due. */
  floorSeconds: number;
  posted: number;
  failedDeliveries: number;
  /** Lock-timeout lines the emulator logged during the run (null: not our emulator). */
  contention: number | null;
  /**
   * Claims the instances lost to one another (a failed conditional write each: another instance took the job first),
   * from the `job queue health` lines each logs, the last as it stops; null where an instance's were not found.
   */
  claimsLost: number | null;
  /** Jobs the backlog made: each delivery's fan-out job and one reconcile job (each repo has one subscriber). */
  jobs: number;
  /** The largest peak RSS of the run's server processes. */
  peakRssMiB: number | null;
  /**
   * CPU seconds used from the first delivery sent until drained, by the emulator, the server processes together and
   * the bench process (which sends the backlog and plays Slack); null where not readable.
   */
  cpu: CpuSeconds;
  /** Cores busy on average over the drain (all three together), of `cores` on this machine. */
  coresBusy: number | null;
  cores: number;
}

const PACING_S = POST_INTERVAL_MS / 1000;

const sumOrNull = (values: ReadonlyArray<number | null>) =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
const since = (before: number | null, after: number | null, digits: number) =>
  before === null || after === null ? null : round(after - before, digits);
const SENDERS = 8;
/** The warm-up's PR numbers start here, clear of the measured backlog's. */
const WARM_UP_PRS = 10_000;
/** How far ahead the backlog is stored: far past the time storing it takes. */
const STORED_AHEAD_MS = 60 * 60 * 1000;

/**
 * A backlog of `deliveries` new PRs spread round-robin over `channels` repos (one channel each), stored through the
 * product's webhook route in the bench process, not yet due, while `instances` real server processes (dist/main.js)
 * run on the same emulator project; then made due at once: how long until every message is in Slack.
 */
export async function measureScaleOut(o: {
  emulator: BenchEmulator;
  instances: number;
  deliveries: number;
  channels: number;
  /**
   * Deliveries drained before the measured backlog, not measured: a fresh process pays its code's first compilation,
   * its connections and its caches once, which three fresh processes on one machine would pay three times over.
   */
  warmUpDeliveries: number;
  latencyMs: number;
  timeoutMs: number;
}): Promise<ScaleOutRow> {
  const cluster = await startFaultCluster({
    emulatorHost: o.emulator.host,
    projectPrefix: 'bench-scale',
    // Info: the instances' `job queue health` lines carry the claims they lost.
    logLevel: 'info',
    // As deployed (see server-build.ts): the stage builds it first.
    entry: 'built',
  });
  const ingress = await startBacklogIngress({
    db: cluster.db,
    webhookSecret: cluster.env['GITHUB_WEBHOOK_SECRET'] ?? '',
    // Stored not yet due: every instance count then starts on the same whole backlog, at the same moment.
    now: () => new Date(Date.now() + STORED_AHEAD_MS),
  });
  try {
    cluster.slack.setLatency(o.latencyMs);
    const names = Array.from({ length: o.instances }, (_, i) => `i${i}`);
    await Promise.all(names.map((name) => cluster.spawn(name)));
    const subs = await installSubscriptions(
      cluster,
      Array.from({ length: o.channels }, (_, i) => ({
        workspaceId: `TSCALE${i}`,
        channelId: `CSCALE${i}`,
        repo: `bench-org/scale-${i}`,
      })),
    );
    const postedIn = (s: (typeof subs)[number]) => cluster.slack.messages(s.workspaceId, s.channelId);
    // Polled while the instances work: a count, not copies of the messages, so the bench (which also plays Slack, and
    // whose late timers would stamp late posts) keeps its own work and garbage out of what it measures.
    const countIn = (s: (typeof subs)[number]) => cluster.slack.messageCount(s.workspaceId, s.channelId);
    await send({ cluster, ingress, deliveries: o.warmUpDeliveries, channels: o.channels, firstPr: WARM_UP_PRS });
    await membersSettled(cluster.db, o.instances, o.timeoutMs);
    await makeDue(cluster.db);
    const warm = () => subs.reduce((n, s) => n + countIn(s), 0) >= o.warmUpDeliveries;
    if ((await whenTrue(warm, o.timeoutMs, 100)) === null) throw new Error('the warm-up backlog was not drained');
    // Every channel's posting slot free again before the measured backlog is due.
    await new Promise((resolve) => setTimeout(resolve, 2 * POST_INTERVAL_MS));
    const before = subs.map(countIn);
    const measured = (s: (typeof subs)[number], i: number) => postedIn(s).slice(before[i] ?? 0);
    const contentionBefore = o.emulator.contentionLines();
    const sendStarted = performance.now();
    const failed = await send({ cluster, ingress, deliveries: o.deliveries, channels: o.channels, firstPr: 1 });
    const storeSeconds = round((performance.now() - sendStarted) / 1000);
    const pids = cluster.live().map((i) => i.server.child.pid);
    const cpuBefore = cpuNow(o.emulator, pids);
    const started = performance.now();
    await makeDue(cluster.db);
    const postedSince = (s: (typeof subs)[number], i: number) => countIn(s) - (before[i] ?? 0);
    const posted = () => subs.reduce((n, s, i) => n + postedSince(s, i), 0);
    const firstsDone = await whenTrue(() => subs.every((s, i) => postedSince(s, i) > 0), o.timeoutMs, 20);
    const cpuAtFirsts = cpuSince(cpuBefore, cpuNow(o.emulator, pids), 2);
    const done = await whenTrue(() => posted() >= o.deliveries, o.timeoutMs, 100);
    const contentionAfter = o.emulator.contentionLines();
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSince(cpuBefore, cpuNow(o.emulator, pids));
    const rss = cluster.live().map((i) => peakRssMiB(i.server.child.pid));
    const claimsLost = await stopCountingLostClaims(cluster);
    // Slack's ts of a message is the fake's wall clock (ms) when it took the post: the drain and the first posts are
    // timed by it, to the hundredth (not by when this loop looked, every 100 ms).
    const sinceStarted = (ts: string | undefined) =>
      (Number(ts ?? Number.NaN) * 1000 - (performance.timeOrigin + started)) / 1000;
    const lastFirst = Math.max(...subs.map((s, i) => sinceStarted(measured(s, i)[0]?.ts)));
    const lastPost = Math.max(...subs.flatMap((s, i) => measured(s, i).map((m) => sinceStarted(m.ts))));
    const firstPostsSeconds = firstsDone === null ? null : round(lastFirst, 2);
    return {
      instances: o.instances,
      deliveries: o.deliveries,
      channels: o.channels,
      storeSeconds,
      drainSeconds: done === null ? null : round(lastPost, 2),
      firstPostsSeconds,
      firstPostsCoresBusy: firstsDone === null ? null : coresBusy(totalOf(cpuAtFirsts), (firstsDone - started) / 1000),
      firstPostsCpu: firstsDone === null ? null : cpuAtFirsts,
      floorSeconds: round((Math.ceil(o.deliveries / o.channels) - 1) * PACING_S),
      posted: posted(),
      failedDeliveries: failed,
      jobs: o.deliveries * 2,
      claimsLost,
      contention: contentionBefore === null || contentionAfter === null ? null : contentionAfter - contentionBefore,
      peakRssMiB: rss.every((r) => r === null) ? null : Math.max(...rss.map((r) => r ?? 0)),
      cpu,
      coresBusy: coresBusy(totalOf(cpu), seconds),
      cores: describeMachine().cores,
    };
  } finally {
    await ingress.close();
    await cluster.close();
  }
}

export interface CpuSeconds {
  emulator: number | null;
  servers: number | null;
  bench: number;
}

/** CPU seconds used so far by the emulator, the server processes together and the bench process (null: not readable). */
function cpuNow(emulator: BenchEmulator, pids: ReadonlyArray<number | undefined>): CpuSeconds {
  return { emulator: emulator.cpuSeconds(), servers: sumOrNull(pids.map(cpuSecondsOf)), bench: ownCpuSeconds() };
}

/** `digits`: 2 for a window of a fraction of a second (/proc counts in 10 ms ticks), 1 for a whole drain. */
function cpuSince(before: CpuSeconds, after: CpuSeconds, digits = 1): CpuSeconds {
  return {
    emulator: since(before.emulator, after.emulator, digits),
    servers: since(before.servers, after.servers, digits),
    bench: round(after.bench - before.bench, digits),
  };
}

const totalOf = (cpu: CpuSeconds) => sumOrNull([cpu.emulator, cpu.servers, cpu.bench]);
/** Cores busy on average: CPU seconds over wall seconds. */
const coresBusy = (cpuSeconds: number | null, wallSeconds: number) =>
  cpuSeconds === null ? null : round(cpuSeconds / wallSeconds);

/** Stops every instance (SIGTERM: its last health line) and adds up the claims their health lines say they lost. */
async function stopCountingLostClaims(cluster: FaultCluster): Promise<number | null> {
  const counts = await Promise.all(
    cluster.live().map(async (instance) => {
      await instance.sigterm();
      const lines = instance.server
        .output()
        .split('\n')
        .filter((line) => line.includes('"job queue health'))
        .map((line) => JSON.parse(line) as { message?: string; claims_lost?: unknown });
      if (!lines.some((l) => l.message === 'job queue health at stop')) return null;
      return lines.reduce((n, l) => n + (typeof l.claims_lost === 'number' ? l.claims_lost : 0), 0);
    }),
  );
  return sumOrNull(counts);
}

/**
 * Sends the backlog, SENDERS at a time, to the bench's own ingress (see backlog-ingress.ts): the instances only
 * drain it. Answers how many deliveries were not 202.
 */
async function send(o: {
  cluster: FaultCluster;
  ingress: BacklogIngress;
  deliveries: number;
  channels: number;
  /** The PR number of each channel's first delivery. */
  firstPr: number;
}): Promise<number> {
  const secret = o.cluster.env['GITHUB_WEBHOOK_SECRET'] ?? '';
  let next = 0;
  let failed = 0;
  const sender = async () => {
    for (let i = next++; i < o.deliveries; i = next++) {
      const d = openedDelivery(`bench-org/scale-${i % o.channels}`, Math.floor(i / o.channels) + o.firstPr);
      const request = await githubDeliveryRequest({ ...d, secret });
      const res = await fetch(`${o.ingress.baseUrl}/github/webhooks`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      if (res?.status !== 202) failed++;
      await res?.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return failed;
}

/**
 * Instances started together each read the queue's members right after joining, so the first to join knows only the
 * members registered before it until it reads them again: a second after joining, or at a look after an idle second
 * (QueueMembership). The warm-up waits for both: every instance registered, then a second. Started sooner, it could
 * run on differing splits: instances would post in each other's channels, and the measured drain would pay for their
 * stale versions of those channels' slots.
 */
async function membersSettled(db: Firestore, instances: number, timeoutMs: number): Promise<void> {
  const members = db.collection(COLLECTIONS.queueMembers);
  const joined = async () => (await members.count().get()).data().count >= instances;
  if ((await whenTrue(joined, timeoutMs, 50)) === null) throw new Error('the instances did not all join the queue');
  await new Promise((resolve) => setTimeout(resolve, MEMBERS_FRESH_MS + 200));
}

/**
 * Makes every stored job due now, in batched writes of its `run_at` (see src/store/queue/job-docs.ts): the instances
 * learn it from their watch of the queue's head and drain the whole backlog from here.
 */
async function makeDue(db: Firestore): Promise<void> {
  const at = new Date();
  // The emulator may answer UNKNOWN to a batch that landed (lock contention): what is still not due is made due again.
  for (let attempt = 1; ; attempt++) {
    try {
      // Their ids only (no fields): the payloads would be decoded here, inside the measured time, for nothing.
      const later = await db
        .collection(COLLECTIONS.jobs)
        .where('status', '==', 'pending')
        .where('run_at', '>', at)
        .select()
        .get();
      for (let i = 0; i < later.docs.length; i += 250) {
        const batch = db.batch();
        for (const doc of later.docs.slice(i, i + 250)) batch.update(doc.ref, { run_at: at, updated_at: at });
        await batch.commit();
      }
      return;
    } catch (err) {
      if (attempt >= 3 || !mayHaveLanded(err)) throw err;
    }
  }
}
