import { createJsonReader } from '../shared/json-reader.js';
import { defineJobKind } from '../queue/job-kind.js';
import type { JobQueue } from '../queue/job-queue.js';
import { ids } from '../store/ids.js';
import type { DigestConfig } from './digest-config.js';
import { nextOccurrence, type LocalDate } from './schedule.js';

/** One scheduled digest: a channel, the local day it is for, when it was due, and the config it was made for. */
export interface DigestJobPayload {
  workspaceId: string;
  channelId: string;
  localDate: LocalDate;
  runAt: Date;
  /** The config's `updated_at` (ms): a job made for an older config does nothing. */
  version: number;
}

export const digestJob = defineJobKind<DigestJobPayload>({
  name: 'digest',
  decode(p) {
    const r = createJsonReader(p);
    const runAt = new Date(r.string('run_at'));
    if (Number.isNaN(runAt.getTime())) throw new Error('run_at is not a time');
    return {
      workspaceId: r.string('team_id'),
      channelId: r.string('channel_id'),
      localDate: r.string('local_date'),
      runAt,
      version: r.integer('version'),
    };
  },
  encode: (p) => ({
    team_id: p.workspaceId,
    channel_id: p.channelId,
    local_date: p.localDate,
    run_at: p.runAt.toISOString(),
    version: p.version,
  }),
  describe: (p) => ({ team_id: p.workspaceId, channel: p.channelId, local_date: p.localDate }),
});

/**
 * Enqueues the digest's first occurrence after `after`. The key names the channel, the day and the config's version:
 * every instance (and every run) that schedules the same occurrence meets the same job, and a changed config makes
 * a new one (the old one then finds its version gone and does nothing).
 */
export async function scheduleDigest(input: { queue: JobQueue; config: DigestConfig; after: Date }): Promise<Date> {
  const { config } = input;
  const next = nextOccurrence(config, input.after);
  const payload: DigestJobPayload = {
    workspaceId: config.workspaceId,
    channelId: config.channelId,
    localDate: next.localDate,
    runAt: next.at,
    version: config.updatedAt.getTime(),
  };
  await input.queue.enqueue(digestJob, payload, {
    key: ids.digestJob(payload),
    keyMode: 'unique',
    runAt: next.at,
  });
  return next.at;
}
