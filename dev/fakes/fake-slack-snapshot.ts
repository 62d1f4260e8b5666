import { toRecord } from '../../src/shared/json-reader.js';
import type { FakeSlackState, StoredMessage, WorkspaceState } from './fake-slack-state.js';
import type { FakeChannel, FakeMessageMetadata, FakeUser } from './fake-slack-types.js';

/**
 * The fake Slack's world as plain JSON, so local mode can keep it across restarts: workspaces with their channels,
 * users, messages (reactions, metadata) and ephemerals, and which token opens which workspace. Scripted failures,
 * hooks, pending OAuth codes and sign-in sessions are moments of a run, not part of the world, and are left out.
 */
export interface FakeSlackSnapshot {
  version: 1;
  workspaces: WorkspaceSnapshot[];
  tokens: Array<[token: string, workspaceId: string]>;
  revoked: string[];
}

export interface WorkspaceSnapshot {
  workspaceId: string;
  teamName: string;
  botUserId: string;
  botId: string;
  enterpriseId: string | null;
  channels: FakeChannel[];
  users: FakeUser[];
  messages: StoredMessage[];
  ephemerals: WorkspaceState['ephemerals'];
  scopes: string[] | null;
}

/** Ephemerals only matter as "what did my last command say": the newest few are kept. */
const EPHEMERALS_KEPT = 50;

export function snapshotFakeSlack(state: FakeSlackState): FakeSlackSnapshot {
  return structuredClone({
    version: 1,
    workspaces: [...state.workspaces.values()].map((ws) => ({
      workspaceId: ws.workspaceId,
      teamName: ws.teamName,
      botUserId: ws.botUserId,
      botId: ws.botId,
      enterpriseId: ws.enterpriseId,
      channels: [...ws.channels.values()],
      users: [...ws.users.values()],
      messages: [...ws.messages.values()].flat(),
      ephemerals: ws.ephemerals.slice(-EPHEMERALS_KEPT),
      scopes: ws.scopes ? [...ws.scopes] : null,
    })),
    tokens: [...state.tokens.entries()],
    revoked: [...state.revoked],
  });
}

/** Replaces the state's world with the snapshot's. */
export function restoreFakeSlack(state: FakeSlackState, snapshot: FakeSlackSnapshot): void {
  state.clear();
  for (const w of structuredClone(snapshot.workspaces)) {
    const messages = new Map<string, StoredMessage[]>();
    for (const m of w.messages) messages.set(m.channel, [...(messages.get(m.channel) ?? []), m]);
    state.workspaces.set(w.workspaceId, {
      workspaceId: w.workspaceId,
      teamName: w.teamName,
      botUserId: w.botUserId,
      botId: w.botId,
      enterpriseId: w.enterpriseId,
      channels: new Map(w.channels.map((c) => [c.id, c])),
      users: new Map(w.users.map((u) => [u.id, u])),
      messages,
      ephemerals: w.ephemerals,
      // Home tabs are published again whenever a person opens them: not worth keeping across restarts.
      homeViews: new Map(),
      scopes: w.scopes ? new Set(w.scopes) : null,
    });
  }
  for (const [token, workspaceId] of snapshot.tokens) state.tokens.set(token, workspaceId);
  for (const token of snapshot.revoked) state.revoked.add(token);
}

/** Reads a snapshot back from parsed JSON (a file on disk): anything malformed is an error naming what. */
export function decodeFakeSlackSnapshot(json: unknown): FakeSlackSnapshot {
  const root = toRecord(json);
  if (root['version'] !== 1) throw new Error('fake Slack snapshot: unknown version');
  return {
    version: 1,
    workspaces: arrayOf(root['workspaces'], 'workspaces').map(decodeWorkspace),
    tokens: arrayOf(root['tokens'], 'tokens').map((pair) => {
      const [token, workspaceId] = Array.isArray(pair) ? pair : [];
      return [str(token, 'tokens[].token'), str(workspaceId, 'tokens[].workspaceId')];
    }),
    revoked: arrayOf(root['revoked'], 'revoked').map((t) => str(t, 'revoked[]')),
  };
}

function decodeWorkspace(json: unknown): WorkspaceSnapshot {
  const w = toRecord(json);
  const enterpriseId = w['enterpriseId'];
  const scopes = w['scopes'];
  return {
    workspaceId: str(w['workspaceId'], 'workspaceId'),
    teamName: str(w['teamName'], 'teamName'),
    botUserId: str(w['botUserId'], 'botUserId'),
    botId: str(w['botId'], 'botId'),
    enterpriseId: enterpriseId === null ? null : str(enterpriseId, 'enterpriseId'),
    channels: arrayOf(w['channels'], 'channels').map(decodeChannel),
    users: arrayOf(w['users'], 'users').map((u) => {
      const user = toRecord(u);
      return { id: str(user['id'], 'users[].id'), name: str(user['name'], 'users[].name') };
    }),
    messages: arrayOf(w['messages'], 'messages').map(decodeMessage),
    ephemerals: arrayOf(w['ephemerals'], 'ephemerals').map((e) => {
      const eph = toRecord(e);
      return {
        channel: str(eph['channel'], 'ephemerals[].channel'),
        user: str(eph['user'], 'ephemerals[].user'),
        text: str(eph['text'], 'ephemerals[].text'),
        blocks: arrayOf(eph['blocks'], 'ephemerals[].blocks'),
      };
    }),
    scopes: scopes === null ? null : arrayOf(scopes, 'scopes').map((s) => str(s, 'scopes[]')),
  };
}

function decodeChannel(json: unknown): FakeChannel {
  const c = toRecord(json);
  return {
    id: str(c['id'], 'channels[].id'),
    name: str(c['name'], 'channels[].name'),
    isPrivate: bool(c['isPrivate'], 'channels[].isPrivate'),
    botIsMember: bool(c['botIsMember'], 'channels[].botIsMember'),
    ...(c['archived'] === true ? { archived: true } : {}),
  };
}

function decodeMessage(json: unknown): StoredMessage {
  const m = toRecord(json);
  const metadata = decodeMetadata(m['metadata']);
  const threadTs = m['thread_ts'];
  return {
    channel: str(m['channel'], 'messages[].channel'),
    ts: str(m['ts'], 'messages[].ts'),
    text: str(m['text'], 'messages[].text'),
    blocks: arrayOf(m['blocks'], 'messages[].blocks'),
    reactions: arrayOf(m['reactions'], 'messages[].reactions').map((r) => str(r, 'messages[].reactions[]')),
    postedBy: str(m['postedBy'], 'messages[].postedBy'),
    ...(threadTs !== undefined ? { thread_ts: str(threadTs, 'messages[].thread_ts') } : {}),
    ...(metadata ? { metadata } : {}),
  };
}

function decodeMetadata(json: unknown): FakeMessageMetadata | undefined {
  if (json === undefined) return undefined;
  const md = toRecord(json);
  return { event_type: str(md['event_type'], 'metadata.event_type'), event_payload: toRecord(md['event_payload']) };
}

function arrayOf(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`fake Slack snapshot: ${what} should be an array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`fake Slack snapshot: ${what} should be a string`);
  return v;
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`fake Slack snapshot: ${what} should be a boolean`);
  return v;
}
