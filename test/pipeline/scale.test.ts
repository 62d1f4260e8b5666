import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';

const WORKSPACES = 40;
let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: Array.from({ length: WORKSPACES }, (_, i) => `TS${i}`) });
}, 60_000);
afterAll(async () => w?.t.close());

describe(`fan-out to ${WORKSPACES} workspaces`, () => {
  it("answers well within GitHub's 10 s delivery timeout and reaches every workspace once", async () => {
    const started = performance.now();
    const res = await w.t.sendDelivery({
      event: 'pull_request',
      payload: prPayload({ action: 'opened', number: 1, updatedAt: at(1) }),
    });
    const ackMs = performance.now() - started;
    expect(res.status).toBe(202);
    // The figures against a floor are npm run bench's; this is the promise GitHub needs (it gives up after 10 s).
    expect(ackMs).toBeLessThan(5_000);
    await eventually(() => expect(w.t.slack.callsTo('chat.postMessage')).toHaveLength(WORKSPACES), 20_000);
    const allPostedMs = performance.now() - started;
    for (const team of w.teams) expect(w.t.slack.messages(team.workspaceId, team.channelId)).toHaveLength(1);
    console.info(
      `[measure] ${WORKSPACES} workspaces: ack ${ackMs.toFixed(0)} ms, all posted ${allPostedMs.toFixed(0)} ms`,
    );
  });
});
