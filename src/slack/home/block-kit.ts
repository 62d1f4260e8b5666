import type { types } from '@slack/bolt';
import { cutText } from '../../shared/cut-text.js';
import { SECTION_TEXT_MAX } from '../../shared/mrkdwn.js';

export type Block = types.KnownBlock;

export const mrkdwn = (text: string): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: cutText(text, SECTION_TEXT_MAX),
});

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
