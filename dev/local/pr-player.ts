import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toRecord } from '../../src/shared/json-reader.js';
import { writeFileAtomic } from './atomic-file.js';
import { prStory, type PrStory, type StoryDelivery } from './github-deliveries.js';
import { LOCAL_PEOPLE, LOCAL_REPOS } from './local-world.js';

/** What the page's buttons do to a pull request on the local GitHub. */
export const PR_ACTIONS = [
  'open',
  'open_draft',
  'ready',
  'to_draft',
  'approve',
  'request_changes',
  'edit_title',
  'merge',
  'close',
  'reopen',
] as const;
export type PrAction = (typeof PR_ACTIONS)[number];

/** A pull request of the local GitHub, as the page lists it (kept on disk so numbers go on after a restart). */
export interface LocalPr {
  repo: string;
  number: number;
  author: { login: string; id: number };
  title: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  /** The last delivery's time: a restarted story goes on after it, so the product never sees time go back. */
  lastAt: string;
  /** What happened so far, oldest first. */
  history: string[];
}

export interface PlayInput {
  action: PrAction;
  repo: string;
  /** Omitted for `open` / `open_draft` (a new number is taken). */
  number?: number;
  /** For `open`: the author's GitHub login; for reviews: the reviewer's. */
  login?: string;
  /** For `edit_title` (and optionally `open`). */
  title?: string;
}

export class PlayError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PrPlayer {
  list(): LocalPr[];
  play(input: PlayInput): Promise<{ pr: LocalPr; label: string; status: number }>;
}

const FILE = 'pull-requests.json';
const STEP_MS = 60_000;

export function createPrPlayer(options: {
  dataDir: string;
  send(event: string, payload: unknown): Promise<{ status: number }>;
}): PrPlayer {
  const path = join(options.dataDir, FILE);
  const prs: LocalPr[] = existsSync(path) ? decodePrs(JSON.parse(readFileSync(path, 'utf8'))) : [];
  const stories = new Map<string, PrStory>();
  const keyOf = (repo: string, number: number) => `${repo}#${number}`;

  const storyOf = (pr: LocalPr): PrStory => {
    const existing = stories.get(keyOf(pr.repo, pr.number));
    if (existing) return existing;
    const story = prStory({
      repo: pr.repo,
      number: pr.number,
      author: pr.author,
      title: pr.title,
      repoPrivate: isPrivate(pr.repo),
      startAt: new Date(Math.max(Date.now(), Date.parse(pr.lastAt) + STEP_MS)),
    });
    // A story restored after a restart starts as a ready PR; this sets its draft flag (the delivery is not sent).
    if (pr.draft) story.convertedToDraft();
    stories.set(keyOf(pr.repo, pr.number), story);
    return story;
  };

  const next = (pr: LocalPr, input: PlayInput): StoryDelivery => {
    const story = storyOf(pr);
    const open = pr.state === 'open';
    const need = (ok: boolean, why: string) => {
      if (!ok) throw new PlayError(409, `#${pr.number} ${why}`);
    };
    switch (input.action) {
      case 'open':
        return story.opened();
      case 'open_draft':
        return story.openedAsDraft();
      case 'ready':
        need(open && pr.draft, 'is not an open draft');
        return story.readyForReview();
      case 'to_draft':
        need(open && !pr.draft, 'is not open and ready');
        return story.convertedToDraft();
      case 'approve':
      case 'request_changes': {
        need(open, 'is not open');
        const reviewer = person(input.login);
        return input.action === 'approve' ? story.approved(reviewer) : story.changesRequested(reviewer);
      }
      case 'edit_title': {
        const title = input.title?.trim();
        if (!title) throw new PlayError(400, 'a new title is needed');
        return story.edited(title.slice(0, 200));
      }
      case 'merge':
        need(open && !pr.draft, 'is not open and ready (a draft cannot be merged)');
        return story.merged();
      case 'close':
        need(open, 'is not open');
        return story.closed();
      case 'reopen':
        need(!open && !pr.merged, 'is not closed without merging');
        return story.reopened();
    }
  };

  return {
    list: () => structuredClone(prs),
    async play(input) {
      if (!LOCAL_REPOS.some((r) => r.fullName === input.repo)) throw new PlayError(400, 'unknown repository');
      let pr: LocalPr;
      if (input.action === 'open' || input.action === 'open_draft') {
        const number = Math.max(0, ...prs.filter((p) => p.repo === input.repo).map((p) => p.number)) + 1;
        pr = {
          repo: input.repo,
          number,
          author: person(input.login),
          title: input.title?.trim().slice(0, 200) || `Local change #${number}`,
          draft: false,
          state: 'open',
          merged: false,
          lastAt: new Date(0).toISOString(),
          history: [],
        };
        prs.push(pr);
      } else {
        const found = prs.find((p) => p.repo === input.repo && p.number === input.number);
        if (!found) throw new PlayError(404, 'no such pull request');
        pr = found;
      }
      const delivery = next(pr, input);
      const fields = toRecord(toRecord(delivery.payload)['pull_request']);
      pr.title = typeof fields['title'] === 'string' ? fields['title'] : pr.title;
      pr.draft = fields['draft'] === true;
      pr.state = fields['state'] === 'closed' ? 'closed' : 'open';
      pr.merged = fields['merged'] === true;
      pr.lastAt = delivery.at;
      pr.history.push(delivery.label);
      writeFileAtomic(path, JSON.stringify(prs, null, 2));
      const { status } = await options.send(delivery.event, delivery.payload);
      return { pr: structuredClone(pr), label: delivery.label, status };
    },
  };
}

function person(login: string | undefined): { login: string; id: number } {
  const found = LOCAL_PEOPLE.find((p) => p.github.login === login) ?? LOCAL_PEOPLE[0];
  if (!found) throw new PlayError(500, 'no local GitHub accounts');
  return found.github;
}

function isPrivate(repo: string): boolean {
  return LOCAL_REPOS.find((r) => r.fullName === repo)?.private === true;
}

function decodePrs(json: unknown): LocalPr[] {
  if (!Array.isArray(json)) throw new Error(`${FILE} should hold a list`);
  return json.map((item) => {
    const r = toRecord(item);
    const author = toRecord(r['author']);
    const history = Array.isArray(r['history']) ? r['history'].filter((h) => typeof h === 'string') : [];
    if (
      typeof r['repo'] !== 'string' ||
      typeof r['number'] !== 'number' ||
      typeof author['login'] !== 'string' ||
      typeof author['id'] !== 'number' ||
      typeof r['title'] !== 'string' ||
      typeof r['lastAt'] !== 'string'
    )
      throw new Error(`${FILE} holds a malformed pull request`);
    return {
      repo: r['repo'],
      number: r['number'],
      author: { login: author['login'], id: author['id'] },
      title: r['title'],
      draft: r['draft'] === true,
      state: r['state'] === 'closed' ? 'closed' : 'open',
      merged: r['merged'] === true,
      lastAt: r['lastAt'],
      history,
    };
  });
}
