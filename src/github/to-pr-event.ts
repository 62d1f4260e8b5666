import type { EmitterWebhookEventName } from '@octokit/webhooks';
import {
  PR_ACTIONS,
  PR_OPEN_STATES,
  REVIEW_ACTIONS,
  REVIEW_STATES,
  type GithubPerson,
  type GithubTeam,
  type PrEvent,
  type PrSnapshot,
  type ReviewRequestTarget,
} from '../pipeline/core/pr-event.js';
import { ownerOf } from '../domain/account-subscription.js';
import { cutText } from '../shared/cut-text.js';
import { createJsonReader, isOneOf, JsonShapeError, type JsonReader } from '../shared/json-reader.js';
import {
  GITHUB_LIMITS,
  readBounded,
  readLogin,
  readPositiveId,
  readRepoFullName,
  readWebUrl,
} from './github-limits.js';

export type MappedDelivery = { kind: 'event'; event: PrEvent } | { kind: 'ignored'; reason: string };

/** The webhook events the notifier reads (the GitHub App manifest and the set-up page subscribe to exactly these). */
export const USED_EVENTS: readonly EmitterWebhookEventName[] = ['pull_request', 'pull_request_review'];

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
    const pr = toSnapshot(r, true);
    const sender = r.has('sender.id') ? readPerson(r, 'sender') : undefined;
    const requested = action === 'review_requested' || action === 'review_request_removed' ? readTarget(r, pr) : null;
    if (requested === undefined) return { kind: 'ignored', reason: `pull_request.${action} without a reviewer` };
    return {
      kind: 'event',
      event: {
        kind: 'pull_request',
        action,
        pr,
        ...(sender ? { sender } : {}),
        ...(requested ? { requested } : {}),
      },
    };
  }
  if (!isOneOf(REVIEW_ACTIONS, action)) return { kind: 'ignored', reason: `pull_request_review.${action}` };
  const state = r.string('review.state').toLowerCase();
  if (!isOneOf(REVIEW_STATES, state)) return { kind: 'ignored', reason: `review state ${state}` };
  const review = {
    id: readPositiveId(r, 'review.id'),
    reviewerId: readPositiveId(r, 'review.user.id'),
    reviewerLogin: readLogin(r, 'review.user.login'),
    state: action === 'dismissed' ? ('dismissed' as const) : state,
    submittedAt: r.optionalString('review.submitted_at') ?? r.string('pull_request.updated_at'),
    ...readExcerpt(r),
  };
  return { kind: 'event', event: { kind: 'review', action, pr: toSnapshot(r, false), review } };
}

function toSnapshot(r: JsonReader, full: boolean): PrSnapshot {
  // Every id part is bounded by GitHub's own limits (github-limits.ts).
  const repoFullName = readRepoFullName(r, 'repository.full_name');
  const state = r.oneOf('pull_request.state', PR_OPEN_STATES);
  const updatedAt = r.string('pull_request.updated_at');
  if (Number.isNaN(Date.parse(updatedAt)))
    throw new JsonShapeError('field pull_request.updated_at should be a timestamp');
  const merged = r.optionalBoolean('pull_request.merged');
  // The short pull request inside review events has no size: leave it out rather than fold zeros.
  const hasSize =
    full && r.has('pull_request.additions') && r.has('pull_request.deletions') && r.has('pull_request.changed_files');
  return {
    repoFullName,
    // GitHub always sends it (`internal` repos say true); without it, fail closed: private.
    repoPrivate: r.optionalBoolean('repository.private') ?? true,
    number: readPositiveId(r, 'pull_request.number'),
    title: readBounded(r, 'pull_request.title', GITHUB_LIMITS.title),
    url: readWebUrl(r, 'pull_request.html_url'),
    authorLogin: readLogin(r, 'pull_request.user.login'),
    authorId: readPositiveId(r, 'pull_request.user.id'),
    authorIsBot: r.optionalString('pull_request.user.type') === 'Bot',
    ...readLabels(r),
    ...readRequested(r, repoFullName),
    baseRef: readBounded(r, 'pull_request.base.ref', GITHUB_LIMITS.ref),
    headRef: readBounded(r, 'pull_request.head.ref', GITHUB_LIMITS.ref),
    draft: r.optionalBoolean('pull_request.draft') ?? false,
    state,
    ...(merged === undefined ? {} : { merged }),
    updatedAt,
    ...(hasSize
      ? {
          size: {
            additions: r.integer('pull_request.additions'),
            deletions: r.integer('pull_request.deletions'),
            changedFiles: r.integer('pull_request.changed_files'),
          },
        }
      : {}),
  };
}

/** GitHub allows at most 100 labels on an issue or PR: more entries than that is not a GitHub payload. */
const MAX_LABELS = 100;
/** GitHub caps label names at 50 characters; some slack for other hosts (GHES). */
const MAX_LABEL_LENGTH = 256;

/** `pull_request.labels[].name`; absent when the payload has no label list (then the PR state keeps what it knew). */
function readLabels(r: JsonReader): { labels?: string[] } {
  if (!r.has('pull_request.labels')) return {};
  const labels: string[] = [];
  for (let i = 0; r.has(`pull_request.labels.${i}`); i += 1) {
    if (i >= MAX_LABELS)
      throw new JsonShapeError(`field pull_request.labels should have at most ${MAX_LABELS} entries`);
    labels.push(readBounded(r, `pull_request.labels.${i}.name`, MAX_LABEL_LENGTH));
  }
  return { labels };
}

/** The start of a review's text shown in the thread: one paragraph's worth, on one line. */
export const MAX_EXCERPT = 200;

function readExcerpt(r: JsonReader): { excerpt?: string } {
  const body = r.optionalString('review.body') ?? '';
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length === 0) return {};
  return { excerpt: cutText(flat, MAX_EXCERPT) };
}

function readPerson(r: JsonReader, path: string): GithubPerson {
  return { id: readPositiveId(r, `${path}.id`), login: readLogin(r, `${path}.login`) };
}

/** Teams belong to the organization that owns the repo (GitHub allows no other). */
function readTeam(r: JsonReader, path: string, repoFullName: string): GithubTeam {
  return {
    org: ownerOf(repoFullName),
    slug: readBounded(r, `${path}.slug`, GITHUB_LIMITS.teamSlug),
    name: readBounded(r, `${path}.name`, GITHUB_LIMITS.title),
  };
}

/** GitHub allows at most 15 requested reviewers (people and teams) on a PR; some slack for other hosts. */
const MAX_REQUESTED = 100;

/** `requested_reviewers` / `requested_teams`: absent when the payload has no such lists. */
function readRequested(r: JsonReader, repoFullName: string): Pick<PrSnapshot, 'requestedReviewers' | 'requestedTeams'> {
  const list = <T>(path: string, read: (at: string) => T): T[] | undefined => {
    if (!r.has(path)) return undefined;
    const items: T[] = [];
    for (let i = 0; r.has(`${path}.${i}`); i += 1) {
      if (i >= MAX_REQUESTED) throw new JsonShapeError(`field ${path} should have at most ${MAX_REQUESTED} entries`);
      items.push(read(`${path}.${i}`));
    }
    return items;
  };
  const people = list('pull_request.requested_reviewers', (at) => readPerson(r, at));
  const teams = list('pull_request.requested_teams', (at) => readTeam(r, at, repoFullName));
  return { ...(people ? { requestedReviewers: people } : {}), ...(teams ? { requestedTeams: teams } : {}) };
}

/** A review request names a person or a team; undefined when it names neither (not a payload we can use). */
function readTarget(r: JsonReader, pr: PrSnapshot): ReviewRequestTarget | undefined {
  if (r.has('requested_reviewer.id')) return { reviewer: readPerson(r, 'requested_reviewer') };
  if (r.has('requested_team.slug')) return { team: readTeam(r, 'requested_team', pr.repoFullName) };
  return undefined;
}
