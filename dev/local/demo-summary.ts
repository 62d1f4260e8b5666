import type { FakeSlackCall } from '../fakes/fake-slack-types.js';
import type { ChannelView, MessageView } from './channel-view.js';

/** The PR state a message shows (its `State` field), or null when it is not a PR message. */
export function prStateOf(message: MessageView): string | null {
  for (const block of message.blocks) {
    if (block.kind !== 'section') continue;
    const state = block.fields.find((f) => f.label === 'State');
    if (state) return state.value.map((p) => ('text' in p ? p.text : '')).join('');
  }
  return null;
}

/**
 * One line per channel that followed the PR: how many messages it has about the PR and their state, reactions,
 * and how many posts, thread replies and updates Slack got. `refusedAfter` counts update calls made after the given point of the
 * call log (the archive) as refused.
 */
export function summaryLine(c: {
  workspace: string;
  channel: ChannelView;
  prNumber: number;
  calls: readonly FakeSlackCall[];
  refusedAfter?: number;
}): string {
  const about = c.channel.messages.filter((m) => m.lines[0]?.startsWith(`#${c.prNumber} `));
  const states = about.map((m) => prStateOf(m) ?? '?');
  const head = `${c.workspace} #${c.channel.name}${c.channel.archived ? ' [archived]' : ''}`;
  if (about.length === 0) return `${head}: no message about PR #${c.prNumber}`;
  const message =
    about.length === 1
      ? `1 message, PR #${c.prNumber} ${states.join('')}`
      : `${about.length} messages (${states.join(', ')})`;
  const reactions = about.flatMap((m) => m.reactions.map((r) => `:${r}:`));
  const sent = c.calls.filter(
    (call) => call.method === 'chat.postMessage' && call.args['channel'] === c.channel.channelId,
  );
  // A reply in a PR message's thread is a post too, counted apart: the channel still shows one message.
  const posts = sent.filter((call) => call.args['thread_ts'] === undefined);
  const replies = sent.length - posts.length;
  const tsSet = new Set(about.map((m) => m.ts));
  const updateIndexes = c.calls.flatMap((call, i) =>
    call.method === 'chat.update' && tsSet.has(String(call.args['ts'])) ? [i] : [],
  );
  const refused = c.refusedAfter === undefined ? 0 : updateIndexes.filter((i) => i >= (c.refusedAfter ?? 0)).length;
  const updates = `${updateIndexes.length - refused} ${updateIndexes.length - refused === 1 ? 'update' : 'updates'}`;
  return [
    `${head}: ${message}`,
    `reactions ${reactions.length > 0 ? reactions.join(' ') : 'none'}`,
    `${posts.length} ${posts.length === 1 ? 'post' : 'posts'}, ${replies} thread ${replies === 1 ? 'reply' : 'replies'}, ${updates}${refused > 0 ? ` (${refused} refused: channel archived)` : ''}`,
  ].join(' · ');
}
