import type { types } from '@slack/bolt';

/** Slack's limit on a section's text. */
const MAX_SECTION_TEXT = 3_000;

export type Block = types.KnownBlock;

export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text: clip(text) });

export const section = (text: string, accessory?: types.SectionBlockAccessory): types.SectionBlock => ({
  type: 'section',
  text: mrkdwn(text),
  ...(accessory ? { accessory } : {}),
});

export const button = (o: {
  text: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
}): types.Button => ({
  type: 'button',
  text: { type: 'plain_text', text: o.text },
  action_id: o.actionId,
  ...(o.value ? { value: o.value } : {}),
  ...(o.style ? { style: o.style } : {}),
});

function clip(text: string): string {
  return text.length <= MAX_SECTION_TEXT ? text : `${text.slice(0, MAX_SECTION_TEXT - 1)}…`;
}
