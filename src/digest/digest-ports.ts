import type { PrState } from '../pipeline/core/pr-state.js';
import type { DigestConfig } from './digest-config.js';
import type { LocalDate } from './schedule.js';

/** One day's digest of one channel. */
export interface DigestRunKey {
  workspaceId: string;
  channelId: string;
  localDate: LocalDate;
}

export interface DigestRunTaken {
  outcome: 'taken';
  jobId: string;
  /** `claimed`: nothing recorded as posted yet (it may or may not be in Slack). */
  status: 'claimed' | 'posting' | 'posted';
  threadTs: string | null;
  partsDone: number;
}

/** `digests` (each channel's config) and `digest_runs` (the claim of each day's digest). */
export interface DigestStore {
  get(workspaceId: string, channelId: string): Promise<DigestConfig | null>;
  /** Writes the config and its audit entry (`digest.set` or `digest.off`) together. */
  save(config: DigestConfig): Promise<void>;
  /**
   * Claims the day's digest for one job, before anything is posted: `claimed` once; `taken` for every later claim
   * (another instance, another job, or this job run again), with how far the holder got.
   */
  claimRun(input: DigestRunKey & { jobId: string; at: Date }): Promise<{ outcome: 'claimed' } | DigestRunTaken>;
  /** Records how far the posting got (`posting`: the first parts are in Slack) or that it is finished. */
  recordProgress(
    input: DigestRunKey & {
      status: 'posting' | 'posted';
      threadTs: string | null;
      partsDone: number;
      prs: number;
      at: Date;
    },
  ): Promise<void>;
  /** Gives this job's claim back while nothing was posted under it (Slack refused before posting). */
  releaseRun(input: DigestRunKey & { jobId: string }): Promise<void>;
  /** Open PRs of these repos (lowercase `owner/repo`) and of every repo of these accounts (lowercase owners). */
  openPrs(input: { repoKeys: string[]; ownerKeys: string[] }): Promise<PrState[]>;
}
