import { describe, expect, it } from 'vitest';
import { formatChannels, viewChannels, type ChannelWorld } from '../../dev/local/channel-view.js';
import { prStory } from '../../dev/local/github-deliveries.js';
import { toPrEvent } from '../../src/github/to-pr-event.js';
import { foldPrEvent, type PrState } from '../../src/pipeline/core/pr-state.js';
import { renderPrMessage } from '../../src/pipeline/core/render-message.js';

/** The product's own rendering of a PR, as it would post it (so the view is checked against real blocks). */
function renderedPr(title: string, merged: boolean): { text: string; blocks: unknown[] } {
  const s = prStory({ repo: 'octo-org/web', number: 42, author: 'alice-gh', title });
  const deliveries = merged ? [s.opened(), s.merged()] : [s.opened()];
  const state = deliveries.reduce<PrState | null>((acc, d) => {
    const m = toPrEvent({ name: d.event, payload: d.payload });
    return m.kind === 'event' ? foldPrEvent(acc, m.event) : acc;
  }, null);
  if (!state) throw new Error('no state');
  return renderPrMessage({ pr: state, authorMention: '<@UALICE>' });
}

const world = (): ChannelWorld => {
  const open = renderedPr('Add <dark> mode & more', false);
  return {
    workspaces: [
      {
        workspaceId: 'TACME',
        teamName: 'Acme',
        users: [{ id: 'UALICE', name: 'alice' }],
        channels: [
          { id: 'CENG', name: 'eng', isPrivate: false, botIsMember: true },
          { id: 'COLD', name: 'old', isPrivate: false, botIsMember: true, archived: true },
          { id: 'DUALICE', name: 'alice', isPrivate: true, botIsMember: true },
          { id: 'DUBOB', name: 'bob', isPrivate: true, botIsMember: true },
        ],
        messages: [
          { channel: 'CENG', ts: '1.000001', ...open, reactions: ['white_check_mark', 'tada'] },
          { channel: 'COLD', ts: '1.000002', ...open, reactions: [] },
          {
            channel: 'DUALICE',
            ts: '1.000003',
            text: 'Hi <@UALICE>, see <#CENG> and <https://x.test/a?b=1&amp;c=2>',
            blocks: [],
            reactions: [],
          },
        ],
      },
    ],
  };
};

describe('what a channel shows (the model the local page and the demo print)', () => {
  it('reads Block Kit as a person does: the linked title, labelled fields, mentions by name, reactions', () => {
    const [acme] = viewChannels(world());
    const eng = acme?.channels.find((c) => c.channelId === 'CENG');
    expect(eng?.messages).toHaveLength(1);
    const [message] = eng?.messages ?? [];
    expect(message?.lines).toEqual([
      '#42 Add <dark> mode & more <https://github.com/octo-org/web/pull/42>',
      'Repository: octo-org/web · Author: @alice · Branch: `master` ← `changes` · Size: +10 / -2, 3 files · State: open',
    ]);
    expect(message?.reactions).toEqual(['white_check_mark', 'tada']);
    expect(message?.blocks[0]).toMatchObject({
      kind: 'section',
      text: [
        {
          kind: 'link',
          url: 'https://github.com/octo-org/web/pull/42',
          text: '#42 Add <dark> mode & more',
          bold: true,
        },
      ],
    });
    const dm = acme?.channels.find((c) => c.channelId === 'DUALICE');
    expect(dm).toMatchObject({ name: '@alice', isDirect: true });
    expect(dm?.messages[0]?.lines).toEqual(['Hi @alice, see #eng and <https://x.test/a?b=1&c=2>']);
    // A direct message channel with nothing in it is not shown.
    expect(acme?.channels.map((c) => c.channelId)).toEqual(['CENG', 'COLD', 'DUALICE']);
  });

  it('marks a message edited once an update carrying its current text was made, not for a refused one', () => {
    const merged = renderedPr('Add <dark> mode & more', true);
    const w = world();
    const eng = w.workspaces[0]?.messages[0];
    if (eng) Object.assign(eng, merged);
    const calls = [
      { method: 'chat.update', token: 'x', args: { channel: 'CENG', ts: '1.000001', text: merged.text } },
      // Refused (the channel is archived): the message still shows its old text.
      { method: 'chat.update', token: 'x', args: { channel: 'COLD', ts: '1.000002', text: merged.text } },
    ];
    const [acme] = viewChannels(w, { calls });
    const byId = (id: string) => acme?.channels.find((c) => c.channelId === id)?.messages[0];
    expect(byId('CENG')).toMatchObject({ edited: true, updateCalls: 1 });
    expect(byId('COLD')).toMatchObject({ edited: false, updateCalls: 1 });
    expect(byId('CENG')?.lines[1]).toContain('State: merged');
  });

  it('prints every channel in a few lines, with archived channels and edits marked', () => {
    const text = formatChannels(viewChannels(world()));
    expect(text.split('\n')).toEqual([
      'Acme (TACME)',
      '  #eng: 1 message',
      '    - #42 Add <dark> mode & more <https://github.com/octo-org/web/pull/42>',
      '      Repository: octo-org/web · Author: @alice · Branch: `master` ← `changes` · Size: +10 / -2, 3 files · State: open',
      '      reactions: :white_check_mark: :tada:',
      '  #old [archived]: 1 message',
      '    - #42 Add <dark> mode & more <https://github.com/octo-org/web/pull/42>',
      '      Repository: octo-org/web · Author: @alice · Branch: `master` ← `changes` · Size: +10 / -2, 3 files · State: open',
      '  @alice: 1 message',
      '    - Hi @alice, see #eng and <https://x.test/a?b=1&c=2>',
    ]);
  });
});
