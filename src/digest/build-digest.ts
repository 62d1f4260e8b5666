import type { UserRecord } from '../domain/user.js';
import { openPrsOfChannel, type ChannelPrsDeps } from './channel-prs.js';
import { renderDigest, type DigestPart } from './render-digest.js';
import { stuckPrs } from './stuck-prs.js';

export interface BuildDigestDeps extends ChannelPrsDeps {
  users: { findInWorkspaceByGithubId(workspaceId: string, githubUserId: number): Promise<UserRecord | null> };
}

/** A channel's digest now: its stuck PRs and the messages that show them (none when nothing is stuck). */
export async function buildDigest(
  deps: BuildDigestDeps,
  input: { workspaceId: string; channelId: string; thresholdHours: number; now: Date },
): Promise<{ prs: number; parts: DigestPart[] }> {
  const { workspaceId, thresholdHours, now } = input;
  const stuck = stuckPrs(await openPrsOfChannel(deps, input), { thresholdHours, now });
  if (stuck.length === 0) return { prs: 0, parts: [] };
  // One lookup per person, however many PRs wait on them.
  const githubIds = [
    ...new Set(stuck.flatMap((s) => s.waitingOn.flatMap((w) => (w.kind === 'team' ? [] : [w.githubId])))),
  ];
  const users = await Promise.all(githubIds.map((id) => deps.users.findInWorkspaceByGithubId(workspaceId, id)));
  const mentions = new Map<number, string>();
  users.forEach((user, i) => {
    if (user) mentions.set(githubIds[i]!, user.slackUserId);
  });
  return { prs: stuck.length, parts: renderDigest({ stuck, mentions, thresholdHours, now }) };
}
