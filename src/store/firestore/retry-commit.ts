import type { WriteResult } from '@google-cloud/firestore';
import { toRecord } from '../../shared/json-reader.js';
import { isAlreadyExists } from '../already-exists.js';
import { mayHaveLanded } from './write-race.js';

/**
 * ABORTED: Firestore refused the commit for contention ("too much contention on these documents"); nothing landed.
 * With the codes of mayHaveLanded, what the SDK gives up on at once (it retries UNAVAILABLE and RESOURCE_EXHAUSTED).
 */
const NOT_APPLIED: ReadonlySet<unknown> = new Set([10]);

const ATTEMPTS = 3;
const BACKOFF_MS = 100;

/**
 * Commits a batch of `create()`s, trying again (a fresh batch each time, from `commit`) when Firestore answers with
 * contention or an error that leaves the outcome unknown: a caller with a deadline (GitHub's 10 s) gets a few quick
 * tries instead of failing on the first. A retry that meets ALREADY_EXISTS after an answer was lost asks `landed`
 * whether the documents are the ones this caller wrote; only then is that `'landed-earlier'`, otherwise the
 * ALREADY_EXISTS is thrown as it is (the caller's duplicate).
 */
export async function commitCreatesWithRetry(
  commit: () => Promise<WriteResult[]>,
  landed: () => Promise<boolean>,
): Promise<WriteResult[] | 'landed-earlier'> {
  let someLanded = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await commit();
    } catch (err) {
      if (someLanded && isAlreadyExists(err) && (await landed())) return 'landed-earlier';
      const retryable = NOT_APPLIED.has(toRecord(err)['code']) || mayHaveLanded(err);
      if (!retryable || attempt >= ATTEMPTS) throw err;
      someLanded ||= mayHaveLanded(err);
      // Jittered, so that the writers that contended do not meet again at the same instant.
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * attempt * (0.5 + Math.random())));
    }
  }
}
