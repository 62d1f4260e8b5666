/**
 * A channel as typed after `/notify channel` or `subscribe … #channel`. Picked from Slack's autocomplete it
 * arrives escaped as `<#C123|name>` (or `<#C123>`) and carries the id; a typed `#name` carries only a name,
 * which the channel service resolves by listing the channels the bot can see.
 */
export type ChannelRef = { id: string; name: string | null } | { id: null; name: string };

export type ParsedChannel = { ok: true; channel: ChannelRef } | { ok: false; reason: string };

const ESCAPED = /^<#([CG][A-Z0-9]{2,})(?:\|([^>]*))?>$/;
const NAME = /^#?([a-z0-9][a-z0-9._-]{0,79})$/;

export function parseChannel(input: string): ParsedChannel {
  const text = input.trim();
  const escaped = ESCAPED.exec(text);
  if (escaped) return { ok: true, channel: { id: escaped[1]!, name: escaped[2] ? escaped[2] : null } };
  const named = NAME.exec(text.toLowerCase());
  if (named) return { ok: true, channel: { id: null, name: named[1]! } };
  return { ok: false, reason: `\`${text}\` is not a channel: pick one from the autocomplete after typing \`#\`.` };
}
