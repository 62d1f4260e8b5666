/**
 * Block Kit limits Slack enforces on chat.postMessage / chat.update. A message that Slack would refuse with
 * `invalid_blocks` is refused here too, with Slack's style of `[ERROR] ... [json-pointer:...]` messages.
 * Only the block types and limits this app can plausibly hit are modelled; unknown types are refused.
 */
export type BlocksVerdict =
  | { ok: true; blocks: unknown[] }
  | { ok: false; error: 'invalid_blocks' | 'invalid_blocks_format'; messages: string[] };

const MAX_BLOCKS = 50;
const KNOWN_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'image',
  'rich_text',
  'input',
  'file',
  'video',
  'markdown',
]);

/** `maxBlocks`: 50 in a message (the default), 100 in a Home tab or modal. */
export function validateBlocks(raw: unknown, options: { maxBlocks?: number } = {}): BlocksVerdict {
  const maxBlocks = options.maxBlocks ?? MAX_BLOCKS;
  if (raw === undefined) return { ok: true, blocks: [] };
  if (!Array.isArray(raw)) {
    return {
      ok: false,
      error: 'invalid_blocks_format',
      messages: ['[ERROR] must provide an array [json-pointer:/blocks]'],
    };
  }
  const messages: string[] = [];
  if (raw.length > maxBlocks) messages.push(`[ERROR] no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  raw.forEach((block, i) => checkBlock({ block, pointer: `/blocks/${i}`, messages, blockIds }));
  return messages.length === 0 ? { ok: true, blocks: raw } : { ok: false, error: 'invalid_blocks', messages };
}

function checkBlock(c: { block: unknown; pointer: string; messages: string[]; blockIds: Set<string> }): void {
  const { block, pointer, messages } = c;
  if (!isObject(block) || typeof block['type'] !== 'string') {
    messages.push(`[ERROR] missing required field: type [json-pointer:${pointer}]`);
    return;
  }
  const type = block['type'];
  if (!KNOWN_TYPES.has(type)) messages.push(`[ERROR] unsupported type: ${type} [json-pointer:${pointer}/type]`);
  const blockId = block['block_id'];
  if (typeof blockId === 'string') {
    if (blockId.length > 255)
      messages.push(`[ERROR] must be less than 256 characters [json-pointer:${pointer}/block_id]`);
    if (c.blockIds.has(blockId)) messages.push(`[ERROR] duplicate block_id [json-pointer:${pointer}/block_id]`);
    c.blockIds.add(blockId);
  }
  if (type === 'section') checkSection(block, pointer, messages);
  if (type === 'header')
    checkText({ value: block['text'], pointer: `${pointer}/text`, max: 150, plainOnly: true, messages });
  if (type === 'context') checkCount(block['elements'], 10, `${pointer}/elements`, messages);
  if (type === 'actions') checkCount(block['elements'], 25, `${pointer}/elements`, messages);
  if (type === 'image') {
    if (typeof block['image_url'] !== 'string' && !isObject(block['slack_file'])) {
      messages.push(`[ERROR] missing required field: image_url [json-pointer:${pointer}]`);
    }
    if (typeof block['alt_text'] !== 'string')
      messages.push(`[ERROR] missing required field: alt_text [json-pointer:${pointer}]`);
  }
}

function checkSection(block: Record<string, unknown>, pointer: string, messages: string[]): void {
  const fields = block['fields'];
  if (block['text'] === undefined && fields === undefined) {
    messages.push(`[ERROR] must provide either text or fields [json-pointer:${pointer}]`);
  }
  if (block['text'] !== undefined)
    checkText({ value: block['text'], pointer: `${pointer}/text`, max: 3000, plainOnly: false, messages });
  if (fields !== undefined) {
    checkCount(fields, 10, `${pointer}/fields`, messages);
    if (Array.isArray(fields)) {
      fields.forEach((f, i) =>
        checkText({ value: f, pointer: `${pointer}/fields/${i}`, max: 2000, plainOnly: false, messages }),
      );
    }
  }
}

function checkText(c: { value: unknown; pointer: string; max: number; plainOnly: boolean; messages: string[] }): void {
  const { value, pointer, max, messages } = c;
  if (!isObject(value)) {
    messages.push(`[ERROR] missing required field: text [json-pointer:${pointer}]`);
    return;
  }
  const type = value['type'];
  const allowed = c.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof type !== 'string' || !allowed.includes(type)) {
    messages.push(`[ERROR] must be one of ${allowed.join(', ')} [json-pointer:${pointer}/type]`);
  }
  const text = value['text'];
  if (typeof text !== 'string' || text.length === 0) {
    messages.push(`[ERROR] must be more than 0 characters [json-pointer:${pointer}/text]`);
  } else if (text.length > max) {
    messages.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
  }
}

function checkCount(value: unknown, max: number, pointer: string, messages: string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    messages.push(`[ERROR] must provide a non-empty array [json-pointer:${pointer}]`);
  } else if (value.length > max) {
    messages.push(`[ERROR] no more than ${max} items allowed [json-pointer:${pointer}]`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
