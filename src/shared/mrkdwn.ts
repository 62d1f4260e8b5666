/** Slack's limit on the text of one section block (longer is refused with `invalid_blocks`). */
export const SECTION_TEXT_MAX = 3_000;

/** Slack mrkdwn control characters: escaping them keeps `<!channel>` or a fake link in a title inert. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `text` escaped, cut (between characters, ending in "…") so that the escaped form has at most `max` characters:
 * an escape counts for the length Slack sees (`&` is five), so cutting before escaping is not enough.
 */
export function escapeMrkdwnWithin(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const c of text) {
    const piece = escapeMrkdwn(c);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/**
 * Names joined with ", " in at most `max` characters (the first name always goes in); the ones that do not fit are
 * counted ("and 12 more"), never cut in half (a half mention would show as raw text).
 */
export function joinWithin(names: readonly string[], max: number): string {
  let out = '';
  for (const [i, name] of names.entries()) {
    const next = out === '' ? name : `${out}, ${name}`;
    const left = names.length - i - 1;
    const tail = left > 0 ? ` and ${left} more` : '';
    // The first name always goes in (callers bound each name); a later one only if the count after it still fits.
    if (out !== '' && next.length + tail.length > max) return `${out} and ${names.length - i} more`;
    out = next;
  }
  return out;
}
