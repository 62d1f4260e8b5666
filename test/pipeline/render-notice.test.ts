import { describe, expect, it } from 'vitest';
import { renderSuspensionNotice } from '../../src/pipeline/core/subscriber-notice.js';

const notice = (reason: string) =>
  renderSuspensionNotice({ repoFullName: 'octo-org/hello-world', channelId: 'C42', reason });

describe('the DM telling a subscriber their subscription stopped', () => {
  it.each([
    ['channel_not_found', 'no longer exists'],
    ['is_archived', 'was archived'],
    ['not_in_channel', 'no longer a member'],
    ['repo_private', 'the repository is private now'],
  ])('names the repo, the channel, why (%s) and the command that fixes it', (reason, why) => {
    const { text, blocks } = notice(reason);
    expect(text).toContain('*octo-org/hello-world*');
    expect(text).toContain('<#C42>');
    expect(text).toContain(why);
    expect(text).toContain('`/notify subscribe octo-org/hello-world #channel`');
    expect(blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text } }]);
  });

  it('shows an unexpected reason as code, with control characters made inert', () => {
    expect(notice('<!channel>').text).toContain('Slack answered `&lt;!channel&gt;`');
  });
});
