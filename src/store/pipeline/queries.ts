import type { Firestore, Query } from '@google-cloud/firestore';
import { COLLECTIONS } from '../ids.js';

/**
 * Every query the pipeline makes (besides reads by document id). Each uses one field only, so Firestore's
 * automatic single-field indexes serve it and firestore.indexes.json needs no composite index for it.
 */
export const PIPELINE_QUERIES = {
  /** Due jobs: pending ones whose time came and running ones whose lease ran out (both keep `run_at`). */
  dueJobs: (db: Firestore, now: Date, limit: number): Query =>
    db.collection(COLLECTIONS.jobs).where('run_at', '<=', now).orderBy('run_at', 'asc').limit(limit),
} as const;
