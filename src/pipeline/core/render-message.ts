import { createHash } from 'node:crypto';
import type { PrState } from './pr-state.js';
import { escapeMrkdwn, escapeMrkdwnWithin } from '../../shared/mrkdwn.js';

export type MrkdwnText = { type: 'mrkdwn'; text: string };
export type MessageBlock =
  { type: 'section'; text: MrkdwnText; fields?: MrkdwnText[] } | { type: 'context'; elements: MrkdwnText[] };

export interface RenderedMessage {
  text: string;
  blocks: MessageBlock[];
}

/** A link target may not carry `|` or angle brackets (they would end or split the link). */
export function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) return '';
  return url.replace(/&/g, '&amp;').replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
}

/**
 * A branch name as inline code. Git allows a backtick in a branch name and mrkdwn has no escape for one inside code: it
 * is shown as the look-alike ˋ (U+02CB), so the name cannot end the span and format what follows.
 */
const codeSpan = (branch: string) => `\`${escapeMrkdwnWithin(branch.replace(/`/g, 'ˋ'), 200)}\``;

function toStateLabel(pr: PrState): string {
  if (pr.state === 'closed') return pr.merged ? 'merged' : 'closed';
  return pr.draft ? 'draft' : 'open';
}

/** The PR message: title linked, repo, number, author, base ← head, size, state. Pure. */
export function renderPrMessage(options: { pr: PrState; authorMention: string | null }): RenderedMessage {
  const { pr } = options;
  const title = escapeMrkdwnWithin(pr.title, 250);
  const author = options.authorMention ?? escapeMrkdwn(pr.authorLogin);
  const url = safeUrl(pr.url);
  const heading = url ? `*<${url}|#${pr.number} ${title}>*` : `*#${pr.number} ${title}*`;
  const size = pr.size
    ? `+${pr.size.additions} / -${pr.size.deletions}, ${pr.size.changedFiles} ${pr.size.changedFiles === 1 ? 'file' : 'files'}`
    : 'unknown';
  const state = toStateLabel(pr);
  const fields: MrkdwnText[] = [
    { type: 'mrkdwn', text: `*Repository*\n${escapeMrkdwn(pr.repoFullName)}` },
    { type: 'mrkdwn', text: `*Author*\n${author}` },
    {
      type: 'mrkdwn',
      text: `*Branch*\n${codeSpan(pr.baseRef)} ← ${codeSpan(pr.headRef)}`,
    },
    { type: 'mrkdwn', text: `*Size*\n${size}` },
    { type: 'mrkdwn', text: `*State*\n${state}` },
  ];
  const text = `Pull request #${pr.number} in ${escapeMrkdwn(pr.repoFullName)}: ${title} by ${author} (${state})`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: heading }, fields }] };
}

/** A stable fingerprint of a rendering, so an unchanged message costs no `chat.update`. */
export function toRenderHash(message: RenderedMessage): string {
  return createHash('sha256').update(JSON.stringify(message)).digest('hex');
}

/** A message as rendered, and the hash of that rendering (what a message's record keeps to tell a change). */
export interface Rendering {
  rendered: RenderedMessage;
  hash: string;
}
