import { cutText } from '../../shared/cut-text.js';

/** Slack cuts a message past 40,000 characters; a reply part stays well under it. */
export const REPLY_PART_MAX = 38_000;
/** A slash command's response_url takes five messages. */
export const REPLY_PARTS_MAX = 5;

/**
 * A reply as the ephemeral messages that carry it: split between lines, in order, each within REPLY_PART_MAX. Past
 * REPLY_PARTS_MAX messages, the last one says how many lines were left out rather than letting Slack cut silently.
 */
export function replyParts(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  const lines = text.split('\n').map((line) => cutText(line, REPLY_PART_MAX));
  for (const [i, line] of lines.entries()) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length <= REPLY_PART_MAX) {
      current = next;
      continue;
    }
    if (parts.length === REPLY_PARTS_MAX - 1) return [...parts, withLeftOut(current, lines.length - i)];
    parts.push(current);
    current = line;
  }
  return [...parts, current];
}

function withLeftOut(part: string, leftOut: number): string {
  const note = (n: number) => `\n…and ${n} more line${n === 1 ? '' : 's'}: a reply to one command holds only so much.`;
  let lines = part.split('\n');
  let dropped = 0;
  while (`${lines.join('\n')}${note(leftOut + dropped)}`.length > REPLY_PART_MAX && lines.length > 1) {
    lines = lines.slice(0, -1);
    dropped += 1;
  }
  return `${lines.join('\n')}${note(leftOut + dropped)}`;
}
