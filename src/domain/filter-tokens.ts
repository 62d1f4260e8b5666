/**
 * The tokenizer of routing filters: words separated by whitespace, where a double-quoted part keeps its spaces
 * (and commas), a backslash escapes a quote or itself inside quotes, and Slack's curly quotes count as straight ones.
 */
export interface FilterToken {
  /** The word as the user typed it (for error messages). */
  raw: string;
  /** The word with quotes removed and escapes resolved. */
  text: string;
}

export type TokenizeResult = { ok: true; tokens: FilterToken[] } | { ok: false; token: string; expected: string };

const OPENING_QUOTES = new Set(['"', '\u201c', '\u201d']);
const CLOSING_QUOTES = new Set(['"', '\u201d', '\u201c']);
/** After a backslash inside quotes: any quote character, or the backslash itself. */
const ESCAPABLE = new Set(['"', '\u201c', '\u201d', '\\']);

export function tokenizeFilters(input: string): TokenizeResult {
  const tokens: FilterToken[] = [];
  const chars = [...input];
  let i = 0;
  while (i < chars.length) {
    if (/\s/u.test(chars[i]!)) {
      i += 1;
      continue;
    }
    const start = i;
    let text = '';
    while (i < chars.length && !/\s/u.test(chars[i]!)) {
      if (!OPENING_QUOTES.has(chars[i]!)) {
        text += chars[i];
        i += 1;
        continue;
      }
      i += 1;
      let closed = false;
      while (i < chars.length) {
        const c = chars[i]!;
        if (c === '\\' && i + 1 < chars.length && ESCAPABLE.has(chars[i + 1]!)) {
          text += chars[i + 1];
          i += 2;
        } else if (CLOSING_QUOTES.has(c)) {
          closed = true;
          i += 1;
          break;
        } else {
          text += c;
          i += 1;
        }
      }
      if (!closed) return { ok: false, token: chars.slice(start).join(''), expected: 'a closing quote (")' };
    }
    tokens.push({ raw: chars.slice(start, i).join(''), text });
  }
  return { ok: true, tokens };
}
