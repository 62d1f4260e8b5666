import type { MessageKey, MessageTag } from '../ports.js';

/** Slack message metadata `event_type` of a PR message (past tense, as Slack's metadata guidelines suggest). */
export const PR_MESSAGE_EVENT_TYPE = 'pr_notifier_message_posted';

/**
 * The tag a PR message carries in Slack: the key of its tracked message (workspace, channel, repo, PR, and which
 * follow-up for a thread reply or a DM), so a
 * message posted by a run that died before recording it can be recognised and adopted instead of posted twice.
 */
export function toMessageTag(key: MessageKey): MessageTag {
  return {
    eventType: PR_MESSAGE_EVENT_TYPE,
    payload: {
      team_id: key.workspaceId,
      channel_id: key.channelId,
      repo: key.repoFullName.toLowerCase(),
      pr_number: key.prNumber,
      ...(key.followUpId === undefined ? {} : { follow_up: key.followUpId }),
    },
  };
}
