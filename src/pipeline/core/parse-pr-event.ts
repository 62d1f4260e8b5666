import { createJsonReader, isOneOf, JsonShapeError, type JsonReader } from '../../shared/json-reader.js';
import { PR_ACTIONS, REVIEW_ACTIONS, REVIEW_STATES, type PrEvent, type PrSnapshot } from './pr-event.js';

/** Validates a PrEvent read back from storage (a job payload), so a stale or hand-edited job fails clearly. */
export function parsePrEvent(value: unknown): PrEvent {
  const r = createJsonReader(value);
  const kind = r.string('kind');
  const action = r.string('action');
  const pr = parseSnapshot(r);
  if (kind === 'pull_request' && isOneOf(PR_ACTIONS, action)) return { kind, action, pr };
  if (kind === 'review' && isOneOf(REVIEW_ACTIONS, action)) {
    const state = r.string('review.state');
    if (!isOneOf(REVIEW_STATES, state)) throw new JsonShapeError(`field review.state should be a review state`);
    const review = {
      id: r.integer('review.id'),
      reviewerId: r.integer('review.reviewerId'),
      reviewerLogin: r.string('review.reviewerLogin'),
      state,
      submittedAt: r.string('review.submittedAt'),
    };
    return { kind, action, pr, review };
  }
  throw new JsonShapeError(`unknown PR event ${kind}.${action}`);
}

function parseSnapshot(r: JsonReader): PrSnapshot {
  const state = r.string('pr.state');
  if (state !== 'open' && state !== 'closed') throw new JsonShapeError('field pr.state should be open or closed');
  const merged = r.optionalBoolean('pr.merged');
  return {
    repoFullName: r.string('pr.repoFullName'),
    // Absent only in jobs queued before the field existed, whose events the old rules accepted as they were.
    repoPrivate: r.optionalBoolean('pr.repoPrivate') ?? false,
    number: r.integer('pr.number'),
    title: r.string('pr.title'),
    url: r.string('pr.url'),
    authorLogin: r.string('pr.authorLogin'),
    authorId: r.integer('pr.authorId'),
    baseRef: r.string('pr.baseRef'),
    headRef: r.string('pr.headRef'),
    draft: r.boolean('pr.draft'),
    state,
    ...(merged === undefined ? {} : { merged }),
    updatedAt: r.string('pr.updatedAt'),
    ...(r.has('pr.size')
      ? {
          size: {
            additions: r.integer('pr.size.additions'),
            deletions: r.integer('pr.size.deletions'),
            changedFiles: r.integer('pr.size.changedFiles'),
          },
        }
      : {}),
  };
}
