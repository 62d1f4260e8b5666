import { isTopLevel, repliesTo } from '../fakes/fake-slack-threads.js';
import type { FakeChannel, FakeMessage, FakeSlackCall, FakeUser } from '../fakes/fake-slack-types.js';
import { parseMrkdwn, plainText, type Inline, type MentionNames } from './mrkdwn-view.js';

export type { Inline } from './mrkdwn-view.js';

/**
 * What the local Slack's channels show, as a model: the page renders it as HTML, the demo prints it as text.
 * Built from the fake Slack's world (its snapshot has this shape), never from the product's own records.
 */
export interface ChannelWorld {
  workspaces: Array<{
    workspaceId: string;
    teamName: string;
    channels: FakeChannel[];
    users: FakeUser[];
    /** Every message of the workspace, any channel, oldest first within a channel. */
    messages: Array<FakeMessage & { edited?: unknown }>;
  }>;
}

/** One Block Kit block as a reader sees it. */
export type BlockView =
  | { kind: 'section'; text: Inline[]; fields: Array<{ label: string; value: Inline[] }> }
  | { kind: 'context'; elements: Inline[][] }
  | { kind: 'header'; text: string }
  | { kind: 'divider' };

export interface MessageView {
  ts: string;
  /** The message as plain text, one entry per line (Block Kit when it has blocks, else its `text`). */
  lines: string[];
  blocks: BlockView[];
  /** The notification text (`text`), shown where blocks cannot be. */
  fallback: string;
  reactions: string[];
  edited: boolean;
  /** chat.update calls made on this message (refused ones included). */
  updateCalls: number;
  /** Set on a reply: the ts of its thread's parent. */
  threadTs?: string;
  /** The replies in this message's thread, oldest first (Slack shows them under it); [] for none. */
  replies: MessageView[];
}

export interface ChannelView {
  channelId: string;
  /** `general`, or `@name` for a direct message. */
  name: string;
  isDirect: boolean;
  isPrivate: boolean;
  archived: boolean;
  botIsMember: boolean;
  /** The channel's own messages, oldest first; a thread's replies are under their parent. */
  messages: MessageView[];
}

export interface WorkspaceView {
  workspaceId: string;
  teamName: string;
  channels: ChannelView[];
}

/**
 * Builds the views. `calls` (the fake Slack's call log) tells which messages were edited: a message is edited once
 * a `chat.update` carrying its current text was made on it (Slack shows "(edited)" then).
 */
export function viewChannels(world: ChannelWorld, options: { calls?: readonly FakeSlackCall[] } = {}): WorkspaceView[] {
  const updates = updatesByTs(options.calls ?? []);
  return world.workspaces.map((ws) => {
    const names = mentionNames(ws);
    const channels = ws.channels
      .filter((c) => !c.id.startsWith('D') || ws.messages.some((m) => m.channel === c.id))
      .map((c): ChannelView => {
        const isDirect = c.id.startsWith('D');
        const inChannel = ws.messages.filter((m) => m.channel === c.id);
        const view = (m: FakeMessage & { edited?: unknown }) => viewMessage(m, names, updates);
        return {
          channelId: c.id,
          name: isDirect ? `@${c.name}` : c.name,
          isDirect,
          isPrivate: c.isPrivate,
          archived: c.archived === true,
          botIsMember: c.botIsMember,
          messages: inChannel
            .filter(isTopLevel)
            .map((m) => ({ ...view(m), replies: repliesTo(inChannel, m.ts).map(view) })),
        };
      });
    return { workspaceId: ws.workspaceId, teamName: ws.teamName, channels };
  });
}

function viewMessage(
  m: FakeMessage & { edited?: unknown },
  names: MentionNames,
  updates: Map<string, string[]>,
): MessageView {
  const blocks = m.blocks.map((b) => viewBlock(b, names)).filter((b): b is BlockView => b !== null);
  const texts = updates.get(m.ts) ?? [];
  return {
    ts: m.ts,
    lines: blocks.length > 0 ? blocks.flatMap(blockLines) : [plainText(parseMrkdwn(m.text, names))],
    blocks,
    fallback: plainText(parseMrkdwn(m.text, names)),
    reactions: [...m.reactions],
    edited: m.edited !== undefined || texts.includes(m.text),
    updateCalls: texts.length,
    ...(m.thread_ts !== undefined && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
    replies: [],
  };
}

function updatesByTs(calls: readonly FakeSlackCall[]): Map<string, string[]> {
  const byTs = new Map<string, string[]>();
  for (const call of calls) {
    if (call.method !== 'chat.update') continue;
    const { ts, text } = call.args;
    if (typeof ts !== 'string') continue;
    byTs.set(ts, [...(byTs.get(ts) ?? []), typeof text === 'string' ? text : '']);
  }
  return byTs;
}

function mentionNames(ws: ChannelWorld['workspaces'][number]): MentionNames {
  return {
    user: (id) => ws.users.find((u) => u.id === id)?.name ?? id,
    channel: (id) => ws.channels.find((c) => c.id === id)?.name ?? id,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string => (isRecord(v) && typeof v['text'] === 'string' ? v['text'] : '');

function viewBlock(block: unknown, names: MentionNames): BlockView | null {
  if (!isRecord(block)) return null;
  switch (block['type']) {
    case 'section': {
      const fields = Array.isArray(block['fields']) ? block['fields'] : [];
      return {
        kind: 'section',
        text: parseMrkdwn(textOf(block['text']), names),
        fields: fields.map((f) => field(f, names)),
      };
    }
    case 'context': {
      const elements = Array.isArray(block['elements']) ? block['elements'] : [];
      return { kind: 'context', elements: elements.map((e) => parseMrkdwn(textOf(e), names)) };
    }
    case 'header':
      return { kind: 'header', text: textOf(block['text']) };
    case 'divider':
      return { kind: 'divider' };
    default:
      return null;
  }
}

/** A field written `*Label*\nvalue` (as the product writes them) splits into its label and value. */
function field(f: unknown, names: MentionNames): { label: string; value: Inline[] } {
  const text = textOf(f);
  const labelled = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(text);
  if (labelled) return { label: labelled[1] ?? '', value: parseMrkdwn(labelled[2] ?? '', names) };
  return { label: '', value: parseMrkdwn(text, names) };
}

function blockLines(block: BlockView): string[] {
  switch (block.kind) {
    case 'section': {
      const fields = block.fields.map((f) => (f.label ? `${f.label}: ${plainText(f.value)}` : plainText(f.value)));
      return [plainText(block.text), ...(fields.length > 0 ? [fields.join(' · ')] : [])].filter((l) => l !== '');
    }
    case 'context':
      return [block.elements.map(plainText).join(' · ')];
    case 'header':
      return [block.text];
    case 'divider':
      return ['---'];
  }
}

/** Every channel of every workspace, a few readable lines each (the demo's output). */
export function formatChannels(workspaces: WorkspaceView[], options: { indent?: string } = {}): string {
  const indent = options.indent ?? '';
  const out: string[] = [];
  for (const ws of workspaces) {
    out.push(`${indent}${ws.teamName} (${ws.workspaceId})`);
    if (ws.channels.length === 0) out.push(`${indent}  (no channels)`);
    for (const c of ws.channels) {
      const flags = [c.archived ? 'archived' : '', c.isPrivate && !c.isDirect ? 'private' : ''].filter(Boolean);
      const head = `${c.isDirect ? c.name : `#${c.name}`}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`;
      out.push(`${indent}  ${head}: ${c.messages.length === 0 ? 'no messages' : count(c.messages.length, 'message')}`);
      for (const m of c.messages) {
        const [first = '', ...rest] = m.lines;
        out.push(`${indent}    - ${first}`);
        for (const line of rest) out.push(`${indent}      ${line}`);
        const notes = [
          m.reactions.length > 0 ? `reactions: ${m.reactions.map((r) => `:${r}:`).join(' ')}` : '',
          m.edited ? '(edited)' : '',
        ].filter(Boolean);
        if (notes.length > 0) out.push(`${indent}      ${notes.join(' ')}`);
        for (const r of m.replies) out.push(`${indent}      ↳ ${r.lines.join(' · ')}`);
      }
    }
  }
  return out.join('\n');
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
