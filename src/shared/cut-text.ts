/**
 * `text` if it has at most `max` UTF-16 units (how Slack counts its limits), else its start and "…" in `max` units.
 * Cut between characters: never inside a surrogate pair, whose half would corrupt the text sent to Slack.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
