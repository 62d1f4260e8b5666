import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';
import { formatChannels, viewChannels } from '../../dev/local/channel-view.js';
import { createQuietClient } from '../fakes/fake-slack-test-kit.js';

let slack: FakeSlack;
const token = 'xoxb-view-threads';
beforeAll(async () => {
  slack = await startFakeSlack();
  slack.addWorkspace({
    workspaceId: 'TVIEW',
    teamName: 'Acme',
    botToken: token,
    users: [{ id: 'UALICE', name: 'alice' }],
    channels: [{ id: 'CENG', name: 'eng', isPrivate: false, botIsMember: true }],
  });
});
afterAll(async () => slack?.close());

describe('the local page shows a thread’s replies under their parent', () => {
  it('nests the replies under the message they answer, and the demo prints them there', async () => {
    const client = createQuietClient(slack);
    const parent = await client.chat.postMessage({ token, channel: 'CENG', text: 'PR #42 opened' });
    await client.chat.postMessage({ token, channel: 'CENG', text: 'PR #7 opened' });
    await client.chat.postMessage({ token, channel: 'CENG', thread_ts: parent.ts ?? '', text: '<@UALICE> approved' });
    await client.chat.postMessage({ token, channel: 'CENG', thread_ts: parent.ts ?? '', text: 'merged' });
    const [acme] = viewChannels(slack.snapshot(), { calls: slack.calls });
    const eng = acme?.channels.find((c) => c.channelId === 'CENG');
    expect(eng?.messages.map((m) => m.lines)).toEqual([['PR #42 opened'], ['PR #7 opened']]);
    expect(eng?.messages[0]?.replies.map((r) => r.lines)).toEqual([['@alice approved'], ['merged']]);
    expect(eng?.messages[0]?.replies[0]?.threadTs).toBe(parent.ts);
    expect(eng?.messages[1]?.replies).toEqual([]);
    expect(formatChannels(acme ? [acme] : []).split('\n')).toEqual([
      'Acme (TVIEW)',
      '  #eng: 2 messages',
      '    - PR #42 opened',
      '      ↳ @alice approved',
      '      ↳ merged',
      '    - PR #7 opened',
    ]);
  });
});
