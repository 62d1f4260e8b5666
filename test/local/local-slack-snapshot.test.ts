import { afterEach, describe, expect, it } from 'vitest';
import { decodeFakeSlackSnapshot } from '../../dev/fakes/fake-slack-snapshot.js';
import { startFakeSlack, type FakeSlack } from '../../dev/fakes/fake-slack.js';

const fakes: FakeSlack[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function start(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  fakes.push(fake);
  return fake;
}

async function call(fake: FakeSlack, method: string, token: string, body: Record<string, unknown>) {
  const res = await fetch(fake.apiUrl + method, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as unknown;
}

describe("the local Slack's world on disk", () => {
  it('comes back from its JSON the same: channels, messages with reactions, and tokens that still work', async () => {
    const before = await start();
    before.addWorkspace({
      workspaceId: 'T1',
      teamName: 'One',
      botToken: 'xoxb-one',
      users: [{ id: 'U1', name: 'ann' }],
      channels: [{ id: 'C1', name: 'prs', isPrivate: false, botIsMember: true }],
    });
    await call(before, 'chat.postMessage', 'xoxb-one', { channel: 'C1', text: '*hello* <https://example.com|there>' });
    const [posted] = before.messages('T1', 'C1');
    await call(before, 'reactions.add', 'xoxb-one', { channel: 'C1', timestamp: posted?.ts, name: 'tada' });
    before.revokeToken('xoxb-old');

    const after = await start();
    after.restore(decodeFakeSlackSnapshot(JSON.parse(JSON.stringify(before.snapshot()))));
    expect(after.messages('T1', 'C1')).toEqual(before.messages('T1', 'C1'));
    expect(after.messages('T1', 'C1')[0]?.reactions).toEqual(['tada']);
    expect(after.channel('T1', 'C1')).toEqual(before.channel('T1', 'C1'));
    expect(await call(after, 'chat.postMessage', 'xoxb-one', { channel: 'C1', text: 'again' })).toMatchObject({
      ok: true,
    });
    expect(await call(after, 'auth.test', 'xoxb-old', {})).toMatchObject({ ok: false, error: 'token_revoked' });
  });

  it('refuses a damaged file with the reason instead of starting empty', () => {
    expect(() =>
      decodeFakeSlackSnapshot({ version: 1, workspaces: [{ workspaceId: 7 }], tokens: [], revoked: [] }),
    ).toThrow(/workspaceId should be a string/);
    expect(() => decodeFakeSlackSnapshot({ version: 2 })).toThrow(/unknown version/);
  });
});
