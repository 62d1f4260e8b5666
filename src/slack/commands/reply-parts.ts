import { cutText } from '../../shared/cut-text.js';

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
  const parts: string[] = [];
  let current = '';
  const lines = text.split('\n').map((line) => cutText(line, max));
  for (const [i, line] of lines.entries()) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length <= max) {
      current = next;
      continue;
    }
    if (parts.length === REPLY_PARTS_MAX - 1) {
      const left = lines.length - i;
      return [
        ...parts,
        `${current}\n…and ${left} more line${left === 1 ? '' : 's'}: a reply to one command holds only so much.`,
      ];
    }
    parts.push(current);
    current = line;
  }
  return [...parts, current];
}
