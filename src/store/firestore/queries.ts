import type { Firestore, Query, WhereFilterOp } from '@google-cloud/firestore';
import { COLLECTIONS, type CollectionName } from '../ids.js';

/**
 * Every query the store makes, as data. The code builds its queries from these specs, and
 * test/store/firestore-indexes.test.ts checks that each one needing a composite index has it in
 * firestore.indexes.json (the emulator does not enforce indexes, real Firestore does).
 */
export interface QuerySpec {
  collection: CollectionName;
  where: readonly { field: string; op: WhereFilterOp }[];
  orderBy: readonly { field: string; direction: 'asc' | 'desc' }[];
}

export const QUERIES = {
  /** Auto-registration: verified users with a GitHub id, across workspaces. */
  usersByGithubId: { collection: COLLECTIONS.users, where: [{ field: 'github_user_id', op: 'in' }], orderBy: [] },
  reposForWorkspace: { collection: COLLECTIONS.repos, where: [{ field: 'slack_team_id', op: '==' }], orderBy: [] },
  /** Fan-out reads only the mapping index: the repo's own key and its account's (`owner/*`), in one query. */
  mappingsForRepo: {
    collection: COLLECTIONS.repoWorkspaceMappings,
    where: [{ field: 'repo_key', op: 'in' }],
    orderBy: [],
  },
  /** `/notify list`: the repos a workspace opted out of (shown under its account subscriptions). */
  optOutsForWorkspace: {
    collection: COLLECTIONS.repoOptOuts,
    where: [{ field: 'slack_team_id', op: '==' }],
    orderBy: [],
  },
  auditForWorkspace: {
    collection: COLLECTIONS.auditLog,
    where: [{ field: 'slack_team_id', op: '==' }],
    orderBy: [{ field: 'at', direction: 'desc' }],
  },
  /** The job queue: pending jobs whose time came and running ones whose lease ran out (both keep `run_at`). */
  dueJobs: {
    collection: COLLECTIONS.jobs,
    where: [{ field: 'run_at', op: '<=' }],
    orderBy: [{ field: 'run_at', direction: 'asc' }],
  },
  /** The job queue past its head: due jobs due since after a time (a look reading past one group's backlog). */
  dueJobsAfter: {
    collection: COLLECTIONS.jobs,
    where: [
      { field: 'run_at', op: '>' },
      { field: 'run_at', op: '<=' },
    ],
    orderBy: [{ field: 'run_at', direction: 'asc' }],
  },
  /** The job queue's head watch: the job with the earliest `run_at` (finished jobs have none). */
  jobsHead: { collection: COLLECTIONS.jobs, where: [], orderBy: [{ field: 'run_at', direction: 'asc' }] },
  /** Operator counts and lists: jobs by status, pending jobs by how they stand (ready, retry, wait). */
  jobsByStatus: { collection: COLLECTIONS.jobs, where: [{ field: 'status', op: '==' }], orderBy: [] },
  jobsByPendingKind: { collection: COLLECTIONS.jobs, where: [{ field: 'pending_kind', op: '==' }], orderBy: [] },
  /** Shutdown: the post claims this instance still holds, to hand them back. */
  postClaimsOfInstance: {
    collection: COLLECTIONS.trackedMessages,
    where: [{ field: 'post_instance', op: '==' }],
    orderBy: [],
  },
} as const satisfies Record<string, QuerySpec>;

type Value = string | number | boolean | Date | readonly (string | number)[];

/** Builds a query from its spec; `values` match `spec.where` in order. */
export function buildQuery(db: Firestore, spec: QuerySpec, values: readonly Value[], limit?: number): Query {
  if (values.length !== spec.where.length) {
    throw new Error(`query on ${spec.collection} needs ${spec.where.length} values, got ${values.length}`);
  }
  let query: Query = db.collection(spec.collection);
  spec.where.forEach((w, i) => {
    query = query.where(w.field, w.op, values[i]);
  });
  for (const o of spec.orderBy) query = query.orderBy(o.field, o.direction);
  return limit === undefined ? query : query.limit(limit);
}
