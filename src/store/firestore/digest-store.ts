import type { Firestore, QuerySnapshot } from '@google-cloud/firestore';
import { toWeekday, type DigestConfig } from '../../digest/digest-config.js';
import type { DigestStore } from '../../digest/digest-ports.js';
import type { PrState } from '../../pipeline/core/pr-state.js';
import { isAlreadyExists } from '../already-exists.js';
import { COLLECTIONS, ids } from '../ids.js';
import { toPrState } from '../pipeline/pr-state-store.js';
import { recordInTransaction } from './audit-log.js';
import { readFields } from './decode.js';
import { buildQuery, type QuerySpec } from './queries.js';
import { createTransactionRunner } from './transactions.js';

/** Firestore's `in` takes at most 30 values. */
const IN_LIMIT = 30;
/** A day's claim is kept a month (TTL on `expire_at`), long after its day has passed. */
const RUN_RETENTION_MS = 30 * 86_400_000;

/**
 * The digest's queries, as data. Equality only (`in` and `==`), so single-field indexes serve them and no composite
 * index is needed (test/digest/digest-store.test.ts checks that with requiredIndex).
 */
export const DIGEST_QUERIES = {
  openPrsOfRepos: openPrsBy('repo_key'),
  openPrsOfAccounts: openPrsBy('repo_owner_key'),
} as const satisfies Record<string, QuerySpec>;

/** Open PRs whose `key` is one of a list (repos, or accounts). */
function openPrsBy(key: 'repo_key' | 'repo_owner_key'): QuerySpec {
  return {
    collection: COLLECTIONS.prStates,
    where: [
      { field: key, op: 'in' },
      { field: 'state', op: '==' },
    ],
    orderBy: [],
  };
}

const RUN_STATUSES = ['claimed', 'posting', 'posted'] as const;

const chunks = <T>(values: T[]): T[][] =>
  Array.from({ length: Math.ceil(values.length / IN_LIMIT) }, (_, i) => values.slice(i * IN_LIMIT, (i + 1) * IN_LIMIT));

/** `digests/{team}#{channel}` and `digest_runs/{team}#{channel}#{local date}`. */
export function createFirestoreDigestStore(db: Firestore): DigestStore {
  const transactions = createTransactionRunner(db);
  const configRef = (workspaceId: string, channelId: string) =>
    db.collection(COLLECTIONS.digests).doc(ids.digest(workspaceId, channelId));
  const runRef = (k: { workspaceId: string; channelId: string; localDate: string }) =>
    db.collection(COLLECTIONS.digestRuns).doc(ids.digestRun(k));

  const queryOpen = (spec: QuerySpec, keys: string[]): Promise<QuerySnapshot[]> =>
    Promise.all(chunks([...new Set(keys)]).map((chunk) => buildQuery(db, spec, [chunk, 'open']).get()));

  return {
    async get(workspaceId, channelId) {
      const snap = await configRef(workspaceId, channelId).get();
      if (!snap.exists) return null;
      const f = readFields(snap.ref.path, snap.data());
      return {
        workspaceId: f.string('slack_team_id'),
        channelId: f.string('channel_id'),
        enabled: f.boolean('enabled'),
        time: f.string('time'),
        timeZone: f.string('time_zone'),
        days: f.stringList('days').map((d) => {
          const day = toWeekday(d);
          if (day === undefined) throw new Error(`${snap.ref.path}: unknown day ${JSON.stringify(d)}`);
          return day;
        }),
        thresholdHours: f.integer('threshold_hours'),
        updatedBy: f.string('updated_by'),
        updatedAt: f.date('updated_at'),
      } satisfies DigestConfig;
    },

    async save(c) {
      const ref = configRef(c.workspaceId, c.channelId);
      await transactions.run(ref.path, async (tx) => {
        tx.set(ref, {
          slack_team_id: c.workspaceId,
          channel_id: c.channelId,
          enabled: c.enabled,
          time: c.time,
          time_zone: c.timeZone,
          days: c.days,
          threshold_hours: c.thresholdHours,
          updated_by: c.updatedBy,
          updated_at: c.updatedAt,
        });
        recordInTransaction(db, tx, {
          workspaceId: c.workspaceId,
          actor: c.updatedBy,
          action: c.enabled ? 'digest.set' : 'digest.off',
          target: c.channelId,
          at: c.updatedAt,
          details: c.enabled
            ? { time: c.time, time_zone: c.timeZone, days: c.days.join(','), threshold_hours: c.thresholdHours }
            : {},
        });
      });
    },

    async claimRun(input) {
      const ref = runRef(input);
      try {
        await ref.create({
          slack_team_id: input.workspaceId,
          channel_id: input.channelId,
          local_date: input.localDate,
          job_id: input.jobId,
          status: 'claimed',
          claimed_at: input.at,
          expire_at: new Date(input.at.getTime() + RUN_RETENTION_MS),
        });
        return { outcome: 'claimed' };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const snap = await ref.get();
      const f = readFields(ref.path, snap.data());
      return {
        outcome: 'taken',
        jobId: f.string('job_id'),
        status: f.oneOf('status', RUN_STATUSES),
        threadTs: f.stringOrNull('thread_ts'),
        partsDone: f.numberOrNull('parts_done') ?? 0,
      };
    },

    async recordProgress(input) {
      await runRef(input).update({
        status: input.status,
        thread_ts: input.threadTs,
        parts_done: input.partsDone,
        prs: input.prs,
        [input.status === 'posted' ? 'posted_at' : 'progress_at']: input.at,
      });
    },

    async releaseRun(input) {
      const ref = runRef(input);
      await transactions.run(ref.path, async (tx) => {
        const snap = await tx.get(ref);
        // Only our own claim, and only while nothing was posted under it.
        if (!snap.exists) return;
        const f = readFields(ref.path, snap.data());
        if (f.string('job_id') === input.jobId && f.string('status') === 'claimed') tx.delete(ref);
      });
    },

    async openPrs(input) {
      const snaps = [
        ...(await queryOpen(DIGEST_QUERIES.openPrsOfRepos, input.repoKeys)),
        ...(await queryOpen(DIGEST_QUERIES.openPrsOfAccounts, input.ownerKeys)),
      ];
      const byPath = new Map<string, PrState>();
      for (const snap of snaps)
        for (const doc of snap.docs) byPath.set(doc.ref.path, toPrState(doc.ref.path, doc.data()));
      return [...byPath.values()];
    },
  };
}
