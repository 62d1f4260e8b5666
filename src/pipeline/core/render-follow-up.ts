import { cutText } from '../../shared/cut-text.js';
import { escapeMrkdwn, escapeMrkdwnWithin, joinWithin, SECTION_TEXT_MAX } from '../../shared/mrkdwn.js';
import type { ActivityEntry } from './pr-activity.js';
import type { GithubPerson, GithubTeam } from './pr-event.js';
import type { PrState } from './pr-state.js';
import { safeUrl, type RenderedMessage } from './render-message.js';

/**
 * How a person is named in a follow-up: a Slack mention (it notifies them) or, when they are not linked in the
 * workspace or chose not to be pinged, their GitHub login in bold.
 */
export type NameOf = (person: GithubPerson) => string;

const bold = (name: string) => `*${escapeMrkdwnWithin(name, NAME_MAX)}*`;
export const plainName: NameOf = (person) => bold(person.login);

const VERDICTS: Record<'approved' | 'changes_requested' | 'commented' | 'dismissed', string> = {
  approved: ':white_check_mark: {who} approved',
  changes_requested: ':arrows_counterclockwise: {who} requested changes',
  commented: ':speech_balloon: {who} commented',
  dismissed: ":no_entry_sign: {who}'s review was dismissed",
};

/**
 * Slack refuses a section over 3,000 characters, and a refused reply would hold up every later one of its PR. Each
 * part is bounded (names NAME_MAX, lists PEOPLE_MAX, titles TITLE_MAX); the cut here is only the last guard.
 */
const NAME_MAX = 100;
const PEOPLE_MAX = 2_400;
const TITLE_MAX = 200;

const message = (text: string): RenderedMessage => {
  const fitted = cutText(text, SECTION_TEXT_MAX);
  return { text: fitted, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: fitted } }] };
};

const quote = (excerpt: string | undefined) => (excerpt ? `\n>${escapeMrkdwn(excerpt)}` : '');
const by = (person: GithubPerson | undefined) => (person ? ` by ${bold(person.login)}` : '');

/** A team, and its linked members (as `nameOf` names them) when GitHub told us who they are. */
export interface TeamNames {
  team: GithubTeam;
  members: string[];
}

function teamText({ team, members }: TeamNames): string {
  return `team ${bold(team.name)}${members.length > 0 ? ` (${joinWithin(members, PEOPLE_MAX)})` : ''}`;
}

/** The reply in the PR message's thread for one activity entry. Pure. */
export function renderThreadReply(input: {
  entry: ActivityEntry;
  nameOf: NameOf;
  teams: (team: GithubTeam) => TeamNames;
}): RenderedMessage {
  const { entry, nameOf, teams } = input;
  switch (entry.kind) {
    case 'review':
      return message(VERDICTS[entry.verdict].replace('{who}', plainName(entry.reviewer)) + quote(entry.excerpt));
    case 'review_requested': {
      const whom = 'reviewer' in entry.target ? nameOf(entry.target.reviewer) : teamText(teams(entry.target.team));
      return message(`:eyes: Review requested from ${whom}${by(entry.by)}`);
    }
    case 'ready_for_review': {
      const waiting = [...entry.reviewers.map(nameOf), ...entry.teams.map((t) => teamText(teams(t)))];
      return message(
        `:large_green_circle: Ready for review again${waiting.length > 0 ? `, waiting on ${joinWithin(waiting, PEOPLE_MAX)}` : ''}`,
      );
    }
    case 'merged':
      return message(`:tada: Merged${by(entry.by)}`);
    case 'closed':
      return message(`:x: Closed${by(entry.by)}`);
    case 'reopened':
      return message(`:recycle: Reopened${by(entry.by)}`);
  }
}

function prLink(pr: PrState): string {
  const label = `${escapeMrkdwn(pr.repoFullName)}#${pr.number} ${escapeMrkdwnWithin(pr.title, TITLE_MAX)}`;
  const url = safeUrl(pr.url);
  return url ? `<${url}|${label}>` : label;
}

const threadLink = (permalink: string | null) => {
  const url = permalink ? safeUrl(permalink) : '';
  return url ? ` <${url}|Open the thread>` : '';
};

/** The DM to a person whose review is asked for (a review request to them or their team, or ready again). Pure. */
export function renderReviewRequestDm(input: {
  entry: Extract<ActivityEntry, { kind: 'review_requested' | 'ready_for_review' }>;
  pr: PrState;
  permalink: string | null;
}): RenderedMessage {
  const { entry, pr, permalink } = input;
  if (entry.kind === 'ready_for_review')
    return message(
      `:large_green_circle: ${prLink(pr)} is ready for review again and waits on you.${threadLink(permalink)}`,
    );
  const who = entry.by ? bold(entry.by.login) : 'Someone';
  const whom = 'reviewer' in entry.target ? 'your review' : `a review from your team ${bold(entry.target.team.name)}`;
  return message(`:eyes: ${who} requested ${whom} on ${prLink(pr)}.${threadLink(permalink)}`);
}

/** What the author hears of by DM: an approval or a change request, or the merge. */
export type AuthorNews =
  | (Extract<ActivityEntry, { kind: 'review' }> & { verdict: 'approved' | 'changes_requested' })
  | (Extract<ActivityEntry, { kind: 'merged' | 'closed' | 'reopened' }> & { kind: 'merged' });

/** The DM to a PR's author: approved, changes requested, or merged. Pure. */
export function renderAuthorNewsDm(input: {
  entry: AuthorNews;
  pr: PrState;
  permalink: string | null;
}): RenderedMessage {
  const { entry, pr, permalink } = input;
  const link = threadLink(permalink);
  if (entry.kind === 'merged')
    return message(`:tada: Your pull request ${prLink(pr)} was merged${by(entry.by)}.${link}`);
  const verdict =
    entry.verdict === 'approved'
      ? ':white_check_mark: {who} approved'
      : ':arrows_counterclockwise: {who} requested changes on';
  return message(
    `${verdict.replace('{who}', plainName(entry.reviewer))} your pull request ${prLink(pr)}.${link}${quote(entry.excerpt)}`,
  );
}
