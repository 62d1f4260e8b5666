import type { FakeChannel, FakeMessage, FakeUser, FakeWorkspaceInput } from './fake-slack-types.js';

/** One message as stored: what tests see plus who posted it (for cant_update_message). */
export interface StoredMessage extends FakeMessage {
  postedBy: string;
}

export interface WorkspaceState {
  workspaceId: string;
  teamName: string;
  botUserId: string;
  botId: string;
  enterpriseId: string | null;
  channels: Map<string, FakeChannel>;
  users: Map<string, FakeUser>;
  messages: Map<string, StoredMessage[]>;
  ephemerals: Array<{ channel: string; user: string; text: string; blocks: unknown[] }>;
  /** Each user's Home tab as last published (views.publish). */
  homeViews: Map<string, Record<string, unknown>>;
  /** The bot token's scopes; null: every scope. */
  scopes: Set<string> | null;
}

/** The fake's world: workspaces, which token opens which one, and message timestamps. */
/** The app's direct message with a person: the same id chat.postMessage to that person's user id lands in. */
export const dmChannelId = (userId: string): string => `D${userId}`;

export class FakeSlackState {
  readonly workspaces = new Map<string, WorkspaceState>();
  readonly tokens = new Map<string, string>();
  readonly revoked = new Set<string>();
  private lastTsMicros = 0;

  upsertWorkspace(w: Omit<FakeWorkspaceInput, 'botToken'> & { botToken?: string }): WorkspaceState {
    let ws = this.workspaces.get(w.workspaceId);
    if (!ws) {
      const suffix = w.workspaceId.replace(/^T/, '');
      ws = {
        workspaceId: w.workspaceId,
        teamName: w.teamName ?? `team-${w.workspaceId.toLowerCase()}`,
        botUserId: w.botUserId ?? `UBOT${suffix}`,
        botId: `BBOT${suffix}`,
        enterpriseId: w.enterpriseId ?? null,
        channels: new Map(),
        users: new Map(),
        messages: new Map(),
        ephemerals: [],
        homeViews: new Map(),
        scopes: null,
      };
      this.workspaces.set(w.workspaceId, ws);
    }
    if (w.teamName !== undefined) ws.teamName = w.teamName;
    if (w.botUserId !== undefined) ws.botUserId = w.botUserId;
    if (w.enterpriseId !== undefined) ws.enterpriseId = w.enterpriseId;
    if (w.scopes !== undefined) ws.scopes = new Set(w.scopes);
    for (const c of w.channels ?? []) ws.channels.set(c.id, { ...c });
    for (const u of w.users ?? []) ws.users.set(u.id, { ...u });
    if (w.botToken !== undefined) this.activateToken(w.botToken, w.workspaceId);
    return ws;
  }

  activateToken(token: string, workspaceId: string): void {
    this.tokens.set(token, workspaceId);
    this.revoked.delete(token);
  }

  workspace(workspaceId: string): WorkspaceState {
    const ws = this.workspaces.get(workspaceId);
    if (!ws) throw new Error(`fake Slack: no workspace ${workspaceId} (call addWorkspace first)`);
    return ws;
  }

  /**
   * Slack timestamps are the posting time (seconds, six decimals), unique per channel and increasing; here unique
   * everywhere. Real time, so conversations.history's `oldest` / `latest` filter them as Slack would.
   */
  nextTs(): string {
    this.lastTsMicros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  /** Channel by id, or by name (`general` / `#general`), as chat.postMessage accepts; a user id opens the DM. */
  findChannel(ws: WorkspaceState, ref: string): FakeChannel | null {
    const byId = ws.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    for (const c of ws.channels.values()) if (c.name === name) return c;
    const user = ws.users.get(ref);
    if (user) {
      const open = ws.channels.get(dmChannelId(user.id));
      if (open) return open;
      const dm: FakeChannel = { id: dmChannelId(user.id), name: user.name, isPrivate: true, botIsMember: true };
      ws.channels.set(dm.id, dm);
      return dm;
    }
    return null;
  }

  channelMessages(ws: WorkspaceState, channelId: string): StoredMessage[] {
    let list = ws.messages.get(channelId);
    if (!list) {
      list = [];
      ws.messages.set(channelId, list);
    }
    return list;
  }

  clear(): void {
    this.workspaces.clear();
    this.tokens.clear();
    this.revoked.clear();
  }
}
