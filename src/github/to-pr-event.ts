import type { EmitterWebhookEventName } from '@octokit/webhooks';
import { PR_ACTIONS, REVIEW_ACTIONS, REVIEW_STATES, type PrEvent, type PrSnapshot } from '../core/pr-event.js';
import { createJsonReader, isOneOf, JsonShapeError, type JsonReader } from '../core/json-reader.js';

export type MappedDelivery = { kind: 'event'; event: PrEvent } | { kind: 'ignored'; reason: string };

const USED_EVENTS: readonly EmitterWebhookEventName[] = ['pull_request', 'pull_request_review'];
const REPO_NAME = /^[\w.-]+\/[\w.-]+$/;

/**
 * Maps a GitHub delivery (event name + parsed JSON body) to our PrEvent, validating every field read.
 * Events and actions the notifier does not use are `ignored`; a used one with a bad field throws JsonShapeError.
 */
export function toPrEvent(options: { name: string; payload: unknown }): MappedDelivery {
  const { name, payload } = options;
  if (!isOneOf(USED_EVENTS, name)) return { kind: 'ignored', reason: `event ${name}` };
  const r = createJsonReader(payload);
  const action = r.string('action');
  if (name === 'pull_request') {
    if (!isOneOf(PR_ACTIONS, action)) return { kind: 'ignored', reason: `pull_request.${action}` };
    return { kind: 'event', event: { kind: 'pull_request', action, pr: toSnapshot(r, true) } };
  }
  if (!isOneOf(REVIEW_ACTIONS, action)) return { kind: 'ignored', reason: `pull_request_review.${action}` };
  const state = r.string('review.state').toLowerCase();
  if (!isOneOf(REVIEW_STATES, state)) return { kind: 'ignored', reason: `review state ${state}` };
  const review = {
    id: r.integer('review.id'),
    reviewerId: r.integer('review.user.id'),
    reviewerLogin: r.string('review.user.login'),
    state: action === 'dismissed' ? ('dismissed' as const) : state,
    submittedAt: r.optionalString('review.submitted_at') ?? r.string('pull_request.updated_at'),
  };
  return { kind: 'event', event: { kind: 'review', action, pr: toSnapshot(r, false), review } };
}

function toSnapshot(r: JsonReader, full: boolean): PrSnapshot {
  const repoFullName = r.string('repository.full_name');
  if (!REPO_NAME.test(repoFullName)) throw new JsonShapeError('field repository.full_name should be owner/repo');
  const state = r.string('pull_request.state');
  if (state !== 'open' && state !== 'closed') throw new JsonShapeError('field pull_request.state should be open or closed');
  const updatedAt = r.string('pull_request.updated_at');
  if (Number.isNaN(Date.parse(updatedAt))) throw new JsonShapeError('field pull_request.updated_at should be a timestamp');
  const merged = r.optionalBoolean('pull_request.merged');
  // The short pull request inside review events has no size: leave it out rather than fold zeros.
  const hasSize = full && r.has('pull_request.additions') && r.has('pull_request.deletions') && r.has('pull_request.changed_files');
  return {
    repoFullName,
    number: r.integer('pull_request.number'),
    title: r.string('pull_request.title'),
    url: r.string('pull_request.html_url'),
    authorLogin: r.string('pull_request.user.login'),
    authorId: r.integer('pull_request.user.id'),
    baseRef: r.string('pull_request.base.ref'),
    headRef: r.string('pull_request.head.ref'),
    draft: r.optionalBoolean('pull_request.draft') ?? false,
    state,
    ...(merged === undefined ? {} : { merged }),
    updatedAt,
    ...(hasSize
      ? { size: { additions: r.integer('pull_request.additions'), deletions: r.integer('pull_request.deletions'), changedFiles: r.integer('pull_request.changed_files') } }
      : {}),
  };
}
