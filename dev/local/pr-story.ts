import { prPayload, reviewPayload } from './pr-payloads.js';

/** One webhook delivery's event name and body, ready for LocalGitHub.send. */
export interface StoryDelivery {
  event: 'pull_request' | 'pull_request_review';
  payload: Record<string, unknown>;
  /** What happened, in a few words (for printed output and the local page). */
  label: string;
  /** `pull_request.updated_at` of this delivery. */
  at: string;
}

/** A GitHub account as given to prStory: a login (its id derived from it) or both. */
export type StoryAccount = string | { login: string; id: number };

export interface PrStoryOptions {
  repo: string;
  number: number;
  author: StoryAccount;
  title: string;
  repoPrivate?: boolean;
  /** The first delivery's time; default now. Each delivery built after it is one minute later. */
  startAt?: Date;
}

/**
 * The deliveries of one pull request's life, built in the order they happen. Each builder advances the story's
 * clock and remembers the PR's title and draft state, so later deliveries carry them; building a delivery does not
 * send it, so a caller can send them late, twice or out of order.
 */
export interface PrStory {
  readonly repo: string;
  readonly number: number;
  opened(): StoryDelivery;
  openedAsDraft(): StoryDelivery;
  readyForReview(): StoryDelivery;
  convertedToDraft(): StoryDelivery;
  approved(reviewer: StoryAccount): StoryDelivery;
  changesRequested(reviewer: StoryAccount): StoryDelivery;
  edited(newTitle: string): StoryDelivery;
  merged(): StoryDelivery;
  closed(): StoryDelivery;
  reopened(): StoryDelivery;
}

const STEP_MS = 60_000;

export function prStory(options: PrStoryOptions): PrStory {
  const author = toAccount(options.author);
  const base = { repo: options.repo, number: options.number, repoPrivate: options.repoPrivate ?? false };
  let title = options.title;
  let draft = false;
  let nextAt = (options.startAt ?? new Date()).getTime();
  let nextReviewId = options.number * 1000 + 1;
  const tick = () => {
    const at = new Date(nextAt).toISOString();
    nextAt += STEP_MS;
    return at;
  };

  const pr = (c: {
    action: string;
    label: string;
    state?: 'open' | 'closed';
    merged?: boolean;
    extra?: Record<string, unknown>;
  }): StoryDelivery => {
    const at = tick();
    const payload = prPayload({
      ...base,
      action: c.action,
      title,
      draft,
      author,
      updatedAt: at,
      ...(c.state ? { state: c.state } : {}),
      ...(c.merged !== undefined ? { merged: c.merged } : {}),
    });
    return { event: 'pull_request', payload: { ...payload, ...c.extra }, label: c.label, at };
  };

  const review = (state: 'approved' | 'changes_requested', reviewer: StoryAccount): StoryDelivery => {
    const at = tick();
    const who = toAccount(reviewer);
    const payload = reviewPayload({
      ...base,
      action: 'submitted',
      state,
      reviewer: who,
      reviewId: nextReviewId++,
      submittedAt: at,
      prUpdatedAt: at,
      title,
      author,
      draft,
    });
    const label = state === 'approved' ? `approved by ${who.login}` : `changes requested by ${who.login}`;
    return { event: 'pull_request_review', payload, label, at };
  };

  return {
    repo: options.repo,
    number: options.number,
    opened: () => {
      draft = false;
      return pr({ action: 'opened', label: 'opened' });
    },
    openedAsDraft: () => {
      draft = true;
      return pr({ action: 'opened', label: 'opened as draft' });
    },
    readyForReview: () => {
      draft = false;
      return pr({ action: 'ready_for_review', label: 'ready for review' });
    },
    convertedToDraft: () => {
      draft = true;
      return pr({ action: 'converted_to_draft', label: 'converted to draft' });
    },
    approved: (reviewer) => review('approved', reviewer),
    changesRequested: (reviewer) => review('changes_requested', reviewer),
    edited: (newTitle) => {
      const from = title;
      title = newTitle;
      return pr({ action: 'edited', label: `title edited`, extra: { changes: { title: { from } } } });
    },
    merged: () => pr({ action: 'closed', label: 'merged', state: 'closed', merged: true }),
    closed: () => pr({ action: 'closed', label: 'closed without merging', state: 'closed', merged: false }),
    reopened: () => pr({ action: 'reopened', label: 'reopened', state: 'open', merged: false }),
  };
}

/** A login alone gets a stable made-up numeric id, so the same login is the same GitHub account everywhere. */
export function toAccount(account: StoryAccount): { login: string; id: number } {
  if (typeof account !== 'string') return account;
  let hash = 0;
  for (const ch of account) hash = (hash * 31 + ch.charCodeAt(0)) % 9_000_000;
  return { login: account, id: 1_000_000 + hash };
}
