import { cutText } from '../../shared/cut-text.js';
import { packLines } from '../../shared/pack-lines.js';

/** Slack cuts a message past 40,000 characters; a reply part stays well under it. */
export const REPLY_PART_MAX = 38_000;
/** A slash command's response_url takes five messages. */
export const REPLY_PARTS_MAX = 5;

/** Room kept in each part for the note on lines left out, so that it always fits. */
const NOTE_ROOM = 100;

/**
 * A reply as the ephemeral messages that carry it: split between lines, in order, each within REPLY_PART_MAX. Past
 * REPLY_PARTS_MAX messages, the last one says how many lines were left out rather than letting Slack cut silently.
 */
export function replyParts(text: string): string[] {
  const max = REPLY_PART_MAX - NOTE_ROOM;
  const lines = text.split('\n').map((line) => cutText(line, max));
  const parts = packLines(lines, max);
  if (parts.length <= REPLY_PARTS_MAX) return parts.length > 0 ? parts : [text];
  const kept = parts.slice(0, REPLY_PARTS_MAX);
  const left = lines.length - kept.reduce((n, part) => n + part.split('\n').length, 0);
  const note = `…and ${left} more line${left === 1 ? '' : 's'}: a reply to one command holds only so much.`;
  return [...kept.slice(0, -1), `${kept.at(-1)!}\n${note}`];
}
