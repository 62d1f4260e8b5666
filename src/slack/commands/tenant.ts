/**
 * Who is asking, taken from Bolt's verified request (never from command text). `workspaceId` is the key of
 * this workspace's data: the team id, or the enterprise id for an org-wide install (like `workspaces`).
 */
export interface Tenant {
  workspaceId: string;
  userId: string;
  /** The channel the command was typed in. */
  channelId: string;
  botToken: string;
  botUserId: string | null;
}
