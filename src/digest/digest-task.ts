import { SlackCallError, type SlackMessenger } from '../pipeline/ports.js';
import { toWaitRequest } from '../pipeline/core/waits.js';
import { jobDone, jobWait, type JobOutcome } from '../queue/job-outcome.js';
import type { JobQueue } from '../queue/job-queue.js';
import { defineTask, type JobRun, type Task } from '../queue/task.js';
import { buildDigest, type BuildDigestDeps } from './build-digest.js';
import type { DigestRunKey, DigestStore } from './digest-ports.js';
import { digestJob, scheduleDigest, type DigestJobPayload } from './digest-job.js';
import { postDigestParts, surelyNotPosted } from './send-digest.js';

export interface DigestTaskDeps extends BuildDigestDeps {
  digests: DigestStore;
  queue: JobQueue;
  slack: Pick<SlackMessenger, 'postMessage'>;
  botToken(workspaceId: string): Promise<string | null>;
  now: () => Date;
}

/**
 * Sends a channel's digest at its time, at most once per channel and local day across instances: the job's key
 * makes one job per occurrence, and a claim (`digest_runs`) is taken before anything is posted. The next occurrence
 * is enqueued first, so a failure today never ends the schedule.
 *
 * A run that stopped between its claim and recording its first post (a crash, a timeout whose outcome is unknown)
 * leaves the claim: that day's digest is then skipped (logged), never sent twice. Once the first part is recorded,
 * a retry goes on with the parts not yet posted, in the same thread.
 */
export function createDigestTask(deps: DigestTaskDeps): Task {
  return defineTask(digestJob, async (run) => {
    const p = run.payload;
    const config = await deps.digests.get(p.workspaceId, p.channelId);
    if (!config?.enabled || config.updatedAt.getTime() !== p.version) {
      run.log.info({}, 'digest turned off or changed since it was scheduled; nothing to do');
      return jobDone();
    }
    const now = deps.now();
    await scheduleDigest({ queue: deps.queue, config, after: now > p.runAt ? now : p.runAt });
    const token = await deps.botToken(p.workspaceId);
    if (!token) {
      run.log.info({}, 'workspace not installed; digest skipped');
      return jobDone();
    }
    return sendOnce(deps, run, { token, thresholdHours: config.thresholdHours });
  });
}

async function sendOnce(
  deps: DigestTaskDeps,
  run: JobRun<DigestJobPayload>,
  input: { token: string; thresholdHours: number },
): Promise<JobOutcome> {
  const p = run.payload;
  const key: DigestRunKey = { workspaceId: p.workspaceId, channelId: p.channelId, localDate: p.localDate };
  const claim = await deps.digests.claimRun({ ...key, jobId: run.id, at: deps.now() });
  let from = 0;
  let threadTs: string | null = null;
  if (claim.outcome === 'taken') {
    if (claim.jobId !== run.id || claim.status === 'posted') {
      run.log.info({ held_by: claim.jobId }, 'this day’s digest is sent or being sent already');
      return jobDone();
    }
    if (claim.status === 'claimed') {
      run.log.warn({}, 'an earlier run claimed this digest and may have posted it unrecorded: skipped (never twice)');
      return jobDone();
    }
    from = claim.partsDone;
    threadTs = claim.threadTs;
  }
  const fresh = claim.outcome === 'claimed';
  const release = () => (fresh ? deps.digests.releaseRun({ ...key, jobId: run.id }) : Promise.resolve());

  let digest;
  try {
    digest = await buildDigest(deps, { ...key, thresholdHours: input.thresholdHours, now: deps.now() });
  } catch (err) {
    await release();
    throw err;
  }
  const record = (status: 'posting' | 'posted', progress: { threadTs: string | null; partsDone: number }) =>
    deps.digests.recordProgress({ ...key, status, ...progress, prs: digest.prs, at: deps.now() });
  let progress = { threadTs, partsDone: from };
  try {
    progress = await postDigestParts({
      slack: deps.slack,
      token: input.token,
      channelId: p.channelId,
      parts: digest.parts,
      from,
      ...(threadTs ? { threadTs } : {}),
      onPosted: async (done) => {
        progress = done;
        await record('posting', done);
      },
    });
  } catch (err) {
    return failed({ deps, run, err, postedBefore: progress.partsDone > 0, release });
  }
  await record('posted', progress);
  run.log.info({ prs: digest.prs, parts: progress.partsDone }, digest.prs === 0 ? 'nothing stuck' : 'digest sent');
  return jobDone();
}

async function failed(input: {
  deps: DigestTaskDeps;
  run: JobRun<DigestJobPayload>;
  err: unknown;
  postedBefore: boolean;
  release: () => Promise<void>;
}): Promise<JobOutcome> {
  const { deps, run, err, postedBefore, release } = input;
  // Parts are in Slack and recorded: a retry goes on from there.
  if (postedBefore) throw err;
  if (!surelyNotPosted(err) || !(err instanceof SlackCallError)) {
    run.log.error({ err }, 'digest post failed with an unknown outcome: not retried, so it is never sent twice');
    return jobDone();
  }
  await release();
  const wait = toWaitRequest(err, deps.now());
  if (wait) return jobWait(wait.wait.until, wait.wait.reason);
  if (err.kind === 'channel' || err.kind === 'token') {
    run.log.warn({ code: err.code }, 'Slack refused the digest for good; skipped');
    return jobDone();
  }
  throw err;
}
