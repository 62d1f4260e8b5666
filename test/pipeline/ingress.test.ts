import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { exampleDeliveries, prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TING'], repo: 'Codertocat/Hello-World' });
});
afterAll(async () => w?.t.close());

const count = async (collection: string) => (await w.t.deps.db.collection(collection).get()).size;
const opened = () => prPayload({ action: 'opened', number: 99, updatedAt: at(1) });

describe('webhook ingress refuses bad requests and stores nothing', () => {
  it.each([
    ['a bad signature', { secret: 'not-the-secret' }, 401],
    ['no signature', { headers: { 'x-hub-signature-256': '' } }, 400],
    ['no event name', { headers: { 'x-github-event': '' } }, 400],
    ['no delivery id', { headers: { 'x-github-delivery': '' } }, 400],
    ['a malformed delivery id', { headers: { 'x-github-delivery': '../../jobs/x' } }, 400],
    ['a form content type', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
  ])('%s', async (_label, options, status) => {
    const res = await w.t.sendDelivery({ event: 'pull_request', payload: opened(), ...options });
    expect(res.status).toBe(status);
    expect(await count(COLLECTIONS.deliveries)).toBe(0);
    expect(await count(COLLECTIONS.jobs)).toBe(0);
  });

  it('malformed JSON, correctly signed', async () => {
    const { Webhooks } = await import('@octokit/webhooks');
    const body = '{"action": "opened", ';
    const signature = await new Webhooks({ secret: w.t.config.github.webhookSecret }).sign(body);
    const res = await fetch(`${w.t.baseUrl}/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'bad-json',
        'x-hub-signature-256': signature,
      },
      body,
    });
    expect(res.status).toBe(400);
    expect(await count(COLLECTIONS.deliveries)).toBe(0);
  });

  it('a signed pull_request with a field of the wrong type', async () => {
    const payload = opened() as { pull_request: Record<string, unknown> };
    payload.pull_request['number'] = 'seven';
    const res = await w.t.sendDelivery({ event: 'pull_request', payload });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('pull_request.number');
    expect(await count(COLLECTIONS.deliveries)).toBe(0);
  });

  it('an oversized body', async () => {
    const payload = { ...opened(), padding: 'x'.repeat(1024 * 1024) };
    const res = await w.t.sendDelivery({ event: 'pull_request', payload });
    expect(res.status).toBe(413);
    expect(await count(COLLECTIONS.deliveries)).toBe(0);
  });

  it('acknowledges events it does not use without storing them', async () => {
    for (const event of ['ping', 'push', 'issues']) {
      const res = await w.t.sendDelivery({ event, payload: { zen: 'Keep it logically awesome.', hook_id: 1 } });
      expect(res.status).toBe(202);
    }
    expect(await count(COLLECTIONS.deliveries)).toBe(0);
  });
});

describe('every pull_request and pull_request_review example', () => {
  it('goes through ingress without a 5xx, and the worker keeps running', async () => {
    const deliveries = exampleDeliveries();
    expect(deliveries.length).toBeGreaterThan(30);
    const statuses = await Promise.all(deliveries.map(async (d) => (await w.t.sendDelivery(d)).status));
    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    // The examples' repo is subscribed: the opened PR gets exactly one message, however many events followed.
    await eventually(async () => {
      const pending = await w.t.deps.db
        .collection(COLLECTIONS.jobs)
        .where('status', 'in', ['pending', 'running', 'dead'])
        .get();
      expect(pending.docs.map((d) => d.id)).toEqual([]);
    }, 15_000);
    expect(w.t.slack.messages('TING', 'CTING')).toHaveLength(1);
    const health = await fetch(`${w.t.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});
