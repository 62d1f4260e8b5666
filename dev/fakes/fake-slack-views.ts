import { toRecord } from '../../src/shared/json-reader.js';
import { teamOf, type MethodHandler } from './fake-slack-context.js';
import { validateBlocks } from './fake-slack-blocks.js';
import { stringArg } from './fake-slack-request.js';
import { slackError, slackOk } from './fake-slack-types.js';

/** Slack allows 100 blocks in a Home tab (50 in a message). */
const HOME_MAX_BLOCKS = 100;

/**
 * views.publish: a user's Home tab, checked as Slack does (`user_id` a user of the workspace when users are known,
 * `view` a JSON object of type `home` with valid blocks) and kept per workspace and user, the latest replacing the last.
 */
const publish: MethodHandler = (ctx) => {
  const ws = teamOf(ctx);
  const user = stringArg(ctx.request.args, 'user_id') ?? '';
  if (ws.users.size > 0 && !ws.users.has(user)) return slackError('user_not_found');
  const view = parseView(ctx.request.args['view']);
  if (view === null) return slackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] view'] } });
  if (view['type'] !== 'home')
    return slackError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] must be a home view [json-pointer:/view/type]'] },
    });
  const blocks = validateBlocks(view['blocks'], { maxBlocks: HOME_MAX_BLOCKS });
  if (!blocks.ok) return slackError(blocks.error, { response_metadata: { messages: blocks.messages } });
  ws.homeViews.set(user, structuredClone(view));
  return slackOk({ view: { id: `V${user}`, team_id: ws.workspaceId, type: 'home', blocks: blocks.blocks } });
};

/** The view as a JSON object (a form's `view` arrives decoded by parseApiRequest), or null. */
function parseView(raw: unknown): Record<string, unknown> | null {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? toRecord(raw) : null;
}

export const viewMethods: Record<string, MethodHandler> = { 'views.publish': publish };
