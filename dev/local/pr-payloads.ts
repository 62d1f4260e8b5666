import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';

// The package's main is a JSON file: load it the CommonJS way.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];

/** Real GitHub payloads from @octokit/webhooks-examples, adjusted per test (GitHub has no `edited` or merged `closed` example). */
type Json = Record<string, unknown>;

const definition = (name: string) => {
  const found = examples.find((d) => d.name === name);
  if (!found) throw new Error(`no examples for ${name}`);
  return found;
};

export function exampleDeliveries(): Array<{ event: string; payload: Json }> {
  return ['pull_request', 'pull_request_review'].flatMap((name) =>
    (definition(name).examples as unknown as Json[]).map((payload) => ({ event: name, payload })),
  );
}

const clone = <T>(v: T): T => structuredClone(v);

export interface PrOptions {
  action: string;
  repo?: string;
  number?: number;
  title?: string;
  draft?: boolean;
  state?: 'open' | 'closed';
  merged?: boolean;
  updatedAt: string;
  author?: { login: string; id: number };
  additions?: number;
  deletions?: number;
  changedFiles?: number;
  /** `repository.private` (and `visibility`) as GitHub sends them; default public, as in the examples. */
  repoPrivate?: boolean;
  /** `pull_request.requested_reviewers` / `requested_teams`; none by default. */
  requestedReviewers?: Array<{ login: string; id: number }>;
  requestedTeams?: Array<{ slug: string; name: string }>;
  /** Who acted (`sender`); default the author. */
  sender?: { login: string; id: number };
}

export const AUTHOR = { login: 'octo-author', id: 5001 };

const visibility = (repoPrivate = false) => ({ private: repoPrivate, visibility: repoPrivate ? 'private' : 'public' });

/** A pull_request payload derived from the `opened` example. */
export function prPayload(o: PrOptions): Json {
  const base = (definition('pull_request').examples as unknown as Json[]).find((e) => e['action'] === 'opened');
  const p = clone(base) as Json & { pull_request: Json; repository: Json };
  const repo = o.repo ?? 'octo-org/hello-world';
  const number = o.number ?? 7;
  p['action'] = o.action;
  p['number'] = number;
  p.repository = { ...p.repository, full_name: repo, name: repo.split('/')[1], ...visibility(o.repoPrivate) };
  Object.assign(p.pull_request, {
    number,
    title: o.title ?? 'Add a greeting',
    draft: o.draft ?? false,
    state: o.state ?? 'open',
    merged: o.merged ?? false,
    updated_at: o.updatedAt,
    html_url: `https://github.com/${repo}/pull/${number}`,
    user: { ...(p.pull_request['user'] as Json), ...(o.author ?? AUTHOR) },
    additions: o.additions ?? 10,
    deletions: o.deletions ?? 2,
    changed_files: o.changedFiles ?? 3,
    requested_reviewers: (o.requestedReviewers ?? []).map((r) => ({ ...userShape(p), ...r })),
    requested_teams: (o.requestedTeams ?? []).map((t) => ({ id: t.name.length, ...t })),
  });
  p['sender'] = { ...(p['sender'] as Json), ...(o.sender ?? o.author ?? AUTHOR) };
  return p;
}

const userShape = (p: { pull_request: Json }) => ({ ...(p.pull_request['user'] as Json), type: 'User' });

/**
 * A pull_request `review_requested` (or `review_request_removed`) payload: the `opened` shape with the reviewer (or
 * team) named at the top, as GitHub sends it, and listed among the PR's requested reviewers while requested.
 */
export function reviewRequestPayload(
  o: Omit<PrOptions, 'action'> & {
    action?: 'review_requested' | 'review_request_removed';
  } & ({ reviewer: { login: string; id: number } } | { team: { slug: string; name: string } }),
): Json {
  const action = o.action ?? 'review_requested';
  const requested = action === 'review_requested';
  const people = o.requestedReviewers ?? ('reviewer' in o && requested ? [o.reviewer] : []);
  const teams = o.requestedTeams ?? ('team' in o && requested ? [o.team] : []);
  const p = prPayload({ ...o, action, requestedReviewers: people, requestedTeams: teams });
  if ('reviewer' in o) p['requested_reviewer'] = { ...userShape(p as { pull_request: Json }), ...o.reviewer };
  else p['requested_team'] = { id: o.team.name.length, ...o.team };
  return p;
}

export interface ReviewOptions {
  action: 'submitted' | 'dismissed';
  state: 'approved' | 'changes_requested' | 'commented' | 'dismissed';
  reviewer: { login: string; id: number };
  reviewId: number;
  submittedAt: string;
  prUpdatedAt: string;
  repo?: string;
  number?: number;
  title?: string;
  repoPrivate?: boolean;
  /** The PR's author; default AUTHOR. */
  author?: { login: string; id: number };
  /** `pull_request.draft`; left as the example has it when omitted. */
  draft?: boolean;
  /** The review's text; none by default. */
  body?: string;
}

/** A pull_request_review payload derived from the `submitted` example (its PR is the short form, no size). */
export function reviewPayload(o: ReviewOptions): Json {
  const base = (definition('pull_request_review').examples as unknown as Json[]).find(
    (e) => e['action'] === 'submitted',
  );
  const p = clone(base) as Json & { pull_request: Json; repository: Json; review: Json };
  const repo = o.repo ?? 'octo-org/hello-world';
  const number = o.number ?? 7;
  p['action'] = o.action;
  p.repository = { ...p.repository, full_name: repo, ...visibility(o.repoPrivate) };
  Object.assign(p.pull_request, {
    number,
    title: o.title ?? 'Add a greeting',
    state: 'open',
    updated_at: o.prUpdatedAt,
    html_url: `https://github.com/${repo}/pull/${number}`,
    user: { ...(p.pull_request['user'] as Json), ...(o.author ?? AUTHOR) },
    ...(o.draft !== undefined ? { draft: o.draft } : {}),
  });
  Object.assign(p.review, {
    id: o.reviewId,
    state: o.state,
    submitted_at: o.submittedAt,
    user: { ...(p.review['user'] as Json), ...o.reviewer },
    body: o.body ?? null,
  });
  return p;
}
