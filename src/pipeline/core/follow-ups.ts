import type { UserRecord } from '../../domain/user.js';
import type { ActivityEntry } from './pr-activity.js';
import type { GithubPerson, GithubTeam } from './pr-event.js';
import type { PrState } from './pr-state.js';
import { createPoster } from './post-once.js';
import type { RecordBook } from './record-book.js';
import { toWaitRequest } from './waits.js';
import {
  plainName,
  renderAuthorNewsDm,
  renderReviewRequestDm,
  renderThreadReply,
  type AuthorNews,
  type NameOf,
  type TeamNames,
} from './render-follow-up.js';
import { toRenderHash, type RenderedMessage } from './render-message.js';
import {
  SlackCallError,
  type LogPort,
  type MessageKey,
  type PipelinePorts,
  type ReconcileKey,
  type TrackedMessage,
  type WaitRequest,
} from '../ports.js';

/** A PR message that is in its channel now (posted, not deleted): the parent of its thread. */
export interface PostedMessage {
  channelId: string;
  message: TrackedMessage;
}

/**
 * News older than this is not sent by DM (a workspace that subscribes late, a backlog after an outage): a DM about
 * yesterday's approval helps nobody. Thread replies are history and are always posted.
 */
const DM_FRESH_MS = 24 * 60 * 60 * 1000;

/** The follow-up id under which an entry's DMs are recorded (its thread replies use the entry's id). */
const dmsOf = (entry: ActivityEntry) => `dm-${entry.id}`;

type ReviewAsk = Extract<ActivityEntry, { kind: 'review_requested' | 'ready_for_review' }>;

const isAuthorNews = (entry: ActivityEntry): entry is AuthorNews =>
  entry.kind === 'merged' ||
  (entry.kind === 'review' && (entry.verdict === 'approved' || entry.verdict === 'changes_requested'));

/**
 * What a PR's activity sends besides its message, exactly once each (under the same post claims as the message):
 * - a reply in each channel's thread per activity entry, where the channel has threads on (off: the entry is noted
 *   as done, so turning threads on later does not replay the past);
 * - DMs per workspace: a requested reviewer who chose DMs, or chose the thread while no channel here shows threads;
 *   the author (unless they turned their news off) when their PR is approved, gets changes requested, or is merged.
 * What is done is recorded on the parent messages (`followUps`): the workspace's DMs on the first one.
 */
export function createFollowUps(ports: PipelinePorts, options: { owner: string }) {
  const poster = createPoster(ports, options);

  async function send(input: {
    key: ReconcileKey;
    pr: PrState;
    token: string;
    posted: PostedMessage[];
    leaseToken: string;
    log: LogPort;
    /** Where the run notes the follow-ups done (recorded on their parent messages when the run ends). */
    records: RecordBook;
  }): Promise<'changed' | 'in_sync' | WaitRequest> {
    const { key, pr, token, log } = input;
    const posted = [...input.posted].sort((a, b) => (a.channelId < b.channelId ? -1 : 1));
    const ledger = posted[0];
    if (!ledger) return 'in_sync';
    const replies = posted.map((p) => ({ p, entries: pr.activity.filter((e) => !p.message.followUps.includes(e.id)) }));
    const dms = pr.activity.filter((e) => !ledger.message.followUps.includes(dmsOf(e)));
    if (dms.length === 0 && replies.every((r) => r.entries.length === 0)) return 'in_sync';

    const settings = await ports.channelSettings.get(
      key.workspaceId,
      posted.map((p) => p.channelId),
    );
    const threadsIn = (channelId: string) => settings.get(channelId)?.threads !== false;
    const people = createPeople(ports, key.workspaceId);
    const done = new Map<PostedMessage, string[]>();
    const note = (p: PostedMessage, id: string) => done.set(p, [...(done.get(p) ?? []), id]);
    const messageKey = (channelId: string, followUpId: string): MessageKey => ({ ...key, channelId, followUpId });
    const post = (k: MessageKey, rendered: RenderedMessage, threadTs?: string) =>
      poster.post({
        key: k,
        token,
        log,
        rendering: Promise.resolve({ rendered, hash: toRenderHash(rendered) }),
        leaseToken: input.leaseToken,
        ...(threadTs ? { threadTs } : {}),
      });
    let changed = false;
    try {
      for (const { p, entries } of replies) {
        const ts = p.message.ts;
        for (const entry of entries) {
          if (threadsIn(p.channelId) && ts !== null) {
            const rendered = renderThreadReply({
              entry,
              nameOf: await people.namer(entry),
              teams: await people.teamsOf(entry),
            });
            changed = (await post(messageKey(p.channelId, entry.id), rendered, ts)).posted || changed;
          }
          note(p, entry.id);
        }
      }
      const threadsHere = posted.some((p) => threadsIn(p.channelId));
      let permalink: Promise<string | null> | null = null;
      const linkToThread = () =>
        (permalink ??= ports.slack.getPermalink({ token, channel: ledger.channelId, ts: ledger.message.ts ?? '' }));
      for (const entry of dms) {
        const fresh = ports.now().getTime() - (Date.parse(entry.at) || 0) <= DM_FRESH_MS;
        for (const { user, rendered } of fresh ? await dmsFor({ entry, pr, people, threadsHere, linkToThread }) : []) {
          try {
            changed = (await post(messageKey(user.slackUserId, dmsOf(entry)), rendered)).posted || changed;
          } catch (err) {
            // A person Slack will not let us write to (deactivated, DMs closed): the others still get theirs.
            if (!(err instanceof SlackCallError) || (err.kind !== 'channel' && err.kind !== 'message_gone')) throw err;
            log.warn({ code: err.code, slack_user: user.slackUserId }, 'could not send a DM; skipped');
          }
        }
        note(ledger, dmsOf(entry));
      }
    } catch (err) {
      const wait = toWaitRequest(err, ports.now());
      if (wait) return wait;
      throw err;
    } finally {
      for (const [p, followUpIds] of done) input.records.note({ ...key, channelId: p.channelId }, { followUpIds });
    }
    return changed ? 'changed' : 'in_sync';
  }

  return { send };
}

/** The DMs one entry causes in a workspace, each with its linked recipient. */
async function dmsFor(input: {
  entry: ActivityEntry;
  pr: PrState;
  people: People;
  threadsHere: boolean;
  linkToThread: () => Promise<string | null>;
}): Promise<Array<{ user: UserRecord; rendered: RenderedMessage }>> {
  const { entry, pr, people, threadsHere } = input;
  if (entry.kind === 'review_requested' || entry.kind === 'ready_for_review') {
    const asked = await people.askedBy(entry);
    // `thread` means "in the thread": with no thread here, that is a DM too.
    const wanted = asked.filter((u) => u.reviewRequests === 'dm' || (u.reviewRequests === 'thread' && !threadsHere));
    if (wanted.length === 0) return [];
    const rendered = renderReviewRequestDm({ entry, pr, permalink: await input.linkToThread() });
    return wanted.map((user) => ({ user, rendered }));
  }
  if (!isAuthorNews(entry)) return [];
  // Nobody needs news of what they did themselves.
  const actor = entry.kind === 'review' ? entry.reviewer : entry.by;
  if (actor?.id === pr.authorId) return [];
  const author = await people.linked({ id: pr.authorId, login: pr.authorLogin });
  if (!author?.authorNews) return [];
  return [{ user: author, rendered: renderAuthorNewsDm({ entry, pr, permalink: await input.linkToThread() }) }];
}

type People = ReturnType<typeof createPeople>;

/** The workspace's linked users behind GitHub people and teams, looked up once per run. */
function createPeople(ports: PipelinePorts, workspaceId: string) {
  const users = new Map<number, Promise<UserRecord | null>>();
  const members = new Map<string, Promise<GithubPerson[]>>();
  const linked = (person: GithubPerson) => {
    let found = users.get(person.id);
    if (!found) users.set(person.id, (found = ports.users.findInWorkspaceByGithubId(workspaceId, person.id)));
    return found;
  };
  const membersOf = (team: GithubTeam) => {
    const id = `${team.org.toLowerCase()}/${team.slug}`;
    let found = members.get(id);
    if (!found)
      members.set(id, (found = ports.githubTeams.members({ org: team.org, teamSlug: team.slug }).then((m) => m ?? [])));
    return found;
  };
  const askedOf = (entry: ReviewAsk): { people: GithubPerson[]; teams: GithubTeam[] } =>
    entry.kind === 'ready_for_review'
      ? { people: entry.reviewers, teams: entry.teams }
      : 'reviewer' in entry.target
        ? { people: [entry.target.reviewer], teams: [] }
        : { people: [], teams: [entry.target.team] };

  /** Everyone linked here whose review the entry asks for: the people, and the teams' members. */
  async function askedBy(entry: ReviewAsk): Promise<UserRecord[]> {
    const { people, teams } = askedOf(entry);
    const teamMembers = (await Promise.all(teams.map(membersOf))).flat();
    const found = await Promise.all([...people, ...teamMembers].map(linked));
    const unique = new Map(found.filter((u): u is UserRecord => u !== null).map((u) => [u.slackUserId, u]));
    return [...unique.values()];
  }

  /** Mentions for the people an entry asks, where they chose the thread; everyone else by login. */
  async function namer(entry: ActivityEntry): Promise<NameOf> {
    if (entry.kind !== 'review_requested' && entry.kind !== 'ready_for_review') return plainName;
    const { people } = askedOf(entry);
    const found = new Map(await Promise.all(people.map(async (p) => [p.id, await linked(p)] as const)));
    return (person) => {
      const user = found.get(person.id);
      return user?.reviewRequests === 'thread' ? `<@${user.slackUserId}>` : plainName(person);
    };
  }

  /** A team's linked members who chose the thread, as mentions. */
  async function teamsOf(entry: ActivityEntry): Promise<(team: GithubTeam) => TeamNames> {
    const teams = entry.kind === 'review_requested' || entry.kind === 'ready_for_review' ? askedOf(entry).teams : [];
    const named = new Map<GithubTeam, string[]>();
    for (const team of teams) {
      const users = await Promise.all((await membersOf(team)).map(linked));
      named.set(
        team,
        users.filter((u): u is UserRecord => u?.reviewRequests === 'thread').map((u) => `<@${u.slackUserId}>`),
      );
    }
    return (team) => ({ team, members: named.get(team) ?? [] });
  }

  return { linked, askedBy, namer, teamsOf };
}
