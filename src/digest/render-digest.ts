import { safeUrl, type MessageBlock } from '../pipeline/core/render-message.js';
import { escapeMrkdwn, escapeMrkdwnWithin, SECTION_TEXT_MAX } from '../shared/mrkdwn.js';
import { packLines } from '../shared/pack-lines.js';
import { describeThreshold } from './digest-config.js';
import { groupByRepo, type StuckPr, type Waiter } from './stuck-prs.js';

/** The one kind of block a digest uses, as the Slack port takes it. */
export type SectionBlock = Extract<MessageBlock, { type: 'section' }>;

/** One message of a digest: the first goes in the channel, the others in its thread. */
export interface DigestPart {
  text: string;
  blocks: SectionBlock[];
}

/** Slack's limits on a message: 50 blocks and 40,000 characters (a section's, SECTION_TEXT_MAX, is in mrkdwn.ts). */
export const BLOCKS_MAX = 50;
export const MESSAGE_MAX = 40_000;
/** People named on one PR's line; more are counted, not left out silently. */
const WAITERS_SHOWN = 10;
/**
 * A PR's line fits a section with room to spare: its title gives up its end first. Each name is cut to NAME_MAX
 * and at most WAITERS_SHOWN are named, so the rest of the line stays under about 1,100 characters and the title
 * keeps at least TITLE_MIN.
 */
const LINE_MAX = 2_000;
const NAME_MAX = 100;
const TITLE_MIN = 200;
const URL_MAX = 500;

/**
 * The digest as Slack messages, never cut: every stuck PR is on some line, in order (grouped by repo, oldest first).
 * Long lists are folded into several sections and, past one message, continuation messages for the thread.
 */
export function renderDigest(input: {
  stuck: readonly StuckPr[];
  /** Slack user ids of GitHub users linked in the workspace. */
  mentions: ReadonlyMap<number, string>;
  thresholdHours: number;
  now: Date;
}): DigestPart[] {
  const { stuck, mentions, now } = input;
  const lines: Array<{ text: string; repoHeader: string }> = [];
  for (const group of groupByRepo(stuck)) {
    const header = `*${escapeMrkdwn(group.repoFullName)}*`;
    lines.push({ text: `${header} (${group.prs.length})`, repoHeader: '' });
    for (const s of group.prs) lines.push({ text: prLine(s, mentions, now), repoHeader: header });
  }
  const sections = packSections(lines);
  const messages = packMessages(sections);
  const total = messages.length;
  const threshold = describeThreshold(input.thresholdHours);
  const summary = `${stuck.length} pull request${stuck.length === 1 ? '' : 's'} waiting more than ${threshold} for review, oldest first`;
  return messages.map((texts, i) => {
    const lead =
      i === 0
        ? `:hourglass: *Stuck pull requests:* ${summary}.${total > 1 ? ` The list goes on in the thread (${total} parts).` : ''}`
        : `_Stuck pull requests, continued (${i + 1}/${total})_`;
    return {
      text: i === 0 ? `Stuck pull requests: ${summary}.` : `Stuck pull requests, continued (${i + 1}/${total})`,
      blocks: [lead, ...texts].map(section),
    };
  });
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

function prLine(s: StuckPr, mentions: ReadonlyMap<number, string>, now: Date): string {
  const { pr } = s;
  const waited = formatDuration(now.getTime() - s.waitingSince.getTime());
  const rest = ` · waiting ${waited} · ${waitingOn(s.waitingOn, mentions)}`;
  const url = safeUrl(pr.url);
  // GitHub's PR URLs are short; a long one is left out rather than crowding out the title.
  const [open, close] = url === '' || url.length > URL_MAX ? ['• ', ''] : [`• <${url}|`, '>'];
  const label = `#${pr.number} `;
  const titleRoom = Math.max(TITLE_MIN, LINE_MAX - open.length - label.length - close.length - rest.length);
  return `${open}${label}${escapeMrkdwnWithin(pr.title, titleRoom)}${close}${rest}`;
}

function waitingOn(waiters: readonly Waiter[], mentions: ReadonlyMap<number, string>): string {
  if (waiters.length === 0) return 'no reviewer requested';
  const name = (w: Waiter): string => {
    if (w.kind === 'team') return `team ${escapeMrkdwnWithin(w.name, NAME_MAX)}`;
    const slackId = mentions.get(w.githubId);
    const who = slackId ? `<@${slackId}>` : escapeMrkdwnWithin(w.login, NAME_MAX);
    return w.kind === 'author' ? `the author ${who} (changes requested)` : who;
  };
  const shown = waiters.slice(0, WAITERS_SHOWN).map(name);
  const more = waiters.length - shown.length;
  return `waits on ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** `3d 4h`, `5h 10m`, `45m`. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  const mins = minutes % 60;
  if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
  return `${mins}m`;
}

/** Lines into section texts of at most SECTION_TEXT_MAX; a repo cut across sections names itself again. */
function packSections(lines: Array<{ text: string; repoHeader: string }>): string[] {
  return packLines(
    lines.map((l) => l.text),
    SECTION_TEXT_MAX,
    (i) => (lines[i]!.repoHeader === '' ? null : `${lines[i]!.repoHeader} (continued)`),
  );
}

/** Sections into messages, each keeping one block and some characters for its lead line. */
function packMessages(sections: string[]): string[][] {
  const messages: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  const room = MESSAGE_MAX - 1_000;
  for (const text of sections) {
    if (current.length > 0 && (current.length + 1 >= BLOCKS_MAX || chars + text.length > room)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(text);
    chars += text.length;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
