/**
 * Slack's mrkdwn as a reader sees it: plain runs (bold, italic, code), links, user and channel mentions. Enough
 * for what the product writes (section text, fields, context); the local page renders these pieces as HTML and
 * the demo prints them as plain text.
 */
export type Inline =
  | { kind: 'text'; text: string; bold?: boolean; italic?: boolean; code?: boolean }
  | { kind: 'link'; url: string; text: string; bold?: boolean }
  | { kind: 'user'; userId: string; name: string }
  | { kind: 'channel'; channelId: string; name: string }
  | { kind: 'special'; name: string };

/** Display names for mentions: user id → name, channel id → name. */
export interface MentionNames {
  user(id: string): string;
  channel(id: string): string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Splits mrkdwn into inline pieces; `*bold*`, `_italic_` and `` `code` `` set flags on the text around them. */
export function parseMrkdwn(source: string, names: MentionNames): Inline[] {
  const out: Inline[] = [];
  const style = { bold: false, italic: false, code: false };
  const pushText = (text: string) => {
    if (text === '') return;
    out.push({
      kind: 'text',
      text: unescape(text),
      ...(style.bold ? { bold: true } : {}),
      ...(style.italic ? { italic: true } : {}),
      ...(style.code ? { code: true } : {}),
    });
  };
  // Angle-bracket entities, and the style markers (at a word edge, as Slack reads them).
  const token = /<([^>]*)>|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)|(?<=\S)_(?!\w)|`/g;
  let last = 0;
  for (const match of source.matchAll(token)) {
    pushText(source.slice(last, match.index));
    last = match.index + match[0].length;
    const entity = match[1];
    if (entity === undefined) {
      if (match[0] === '*') style.bold = !style.bold;
      else if (match[0] === '_') style.italic = !style.italic;
      else style.code = !style.code;
      continue;
    }
    out.push(toEntity(entity, names, style.bold));
  }
  pushText(source.slice(last));
  return out;
}

function toEntity(entity: string, names: MentionNames, bold: boolean): Inline {
  const [target = '', label] = entity.split('|', 2);
  if (target.startsWith('@')) return { kind: 'user', userId: target.slice(1), name: names.user(target.slice(1)) };
  if (target.startsWith('#')) {
    const channelId = target.slice(1);
    return { kind: 'channel', channelId, name: label ?? names.channel(channelId) };
  }
  if (target.startsWith('!')) return { kind: 'special', name: target.slice(1).split('^')[0] ?? '' };
  const url = unescape(target);
  return { kind: 'link', url, text: unescape(label ?? url), ...(bold ? { bold: true } : {}) };
}

/** Plain text: styles dropped, a link as `text <url>` (just `<url>` when it has no other text), mentions with @/#. */
export function plainText(pieces: Inline[]): string {
  return pieces
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.code ? `\`${p.text}\`` : p.text;
        case 'link':
          return p.text === p.url ? `<${p.url}>` : `${p.text} <${p.url}>`;
        case 'user':
          return `@${p.name}`;
        case 'channel':
          return `#${p.name}`;
        case 'special':
          return `@${p.name}`;
      }
    })
    .join('');
}
