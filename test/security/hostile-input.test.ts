import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/store/ids.js';
import { eventually } from '../support/eventually.js';
import { slackEventEnvelope } from '../support/slack-signing.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, REPO, type World } from '../pipeline/support/pipeline-world.js';
import { sendAndSettle } from '../pipeline/support/settle.js';
import { beginInstall, finishInstall } from '../slack/slack-test-kit.js';

/** One raw HTTP/1.1 request, so headers a fetch client would fix (Host) reach the server as written. */
async function rawRequest(baseUrl: string, request: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(request));
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data }));
  });
}

let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['THOST'] });
});
afterAll(async () => w?.t.close());

const count = async (collection: string) => (await w.t.deps.db.collection(collection).get()).size;

describe('hostile requests to the OAuth callback get a 4xx page, not a 5xx', () => {
  it.each(['exa mple.com', 'a[b', '[::1', 'host:port'])('an invalid Host header (%s)', async (host) => {
    const res = await rawRequest(
      w.t.baseUrl,
      `GET /slack/oauth_redirect?code=x&state=y HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    expect(res.status).toBe(400);
  });

  it('a valid Host still reaches the route', async () => {
    const { host } = new URL(w.t.baseUrl);
    const res = await rawRequest(w.t.baseUrl, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
  });

  it("an invented OAuth code (Slack answers invalid_code) is the visitor's mistake: a 400 page that says so", async () => {
    const attempt = await beginInstall(w.t, { workspaceId: 'TINVENTED', botToken: 'xoxb-invented' });
    const invented = attempt.callbackUrl.replace(/code=[^&]+/, 'code=invented-by-a-visitor');
    const res = await finishInstall({ ...attempt, callbackUrl: invented });
    expect(res.status).toBe(400);
    expect(res.html).toContain('Slack did not accept');
    expect(res.html).toContain('/slack/install');
    await expect(w.t.deps.store.workspaces.get('TINVENTED')).resolves.toBeNull();
  });
});

describe('hostile Slack requests, correctly signed, get a 4xx or a handled no-op', () => {
  const postSigned = (rawBody: string, contentType: string) =>
    fetch(`${w.t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...w.t.signSlack(rawBody) },
      body: rawBody,
    });

  it.each([
    ['a JSON body of null', 'null', 'application/json'],
    ['a JSON array', '[]', 'application/json'],
    ['a JSON number', '42', 'application/json'],
    ['a form payload of null', 'payload=null', 'application/x-www-form-urlencoded'],
  ])('%s is a 400', async (_label, rawBody, contentType) => {
    const res = await postSigned(rawBody, contentType);
    expect(res.status).toBe(400);
  });

  it('tokens_revoked without a well-formed `tokens` changes nothing; a real revocation after it still works', async () => {
    await w.t.installWorkspace({ workspaceId: 'TKEEP' });
    await w.t.installWorkspace({ workspaceId: 'TGONE' });
    for (const event of [
      { type: 'tokens_revoked' },
      { type: 'tokens_revoked', tokens: null },
      { type: 'tokens_revoked', tokens: { bot: 'UBOTTKEEP' } },
    ]) {
      const res = await w.t.postSlackEvent(slackEventEnvelope({ workspaceId: 'TKEEP', event }));
      expect(res.status).toBe(200);
    }
    const revoked = await w.t.postSlackEvent(
      slackEventEnvelope({ workspaceId: 'TGONE', event: { type: 'tokens_revoked', tokens: { bot: ['UBOTTGONE'] } } }),
    );
    expect(revoked.status).toBe(200);
    await eventually(async () => expect(await w.t.deps.tokens.botToken('TGONE')).toBeNull());
    // The malformed events came first; give a wrong uninstall of TKEEP time to land before checking it did not.
    await new Promise((r) => setTimeout(r, 300));
    await expect(w.t.deps.tokens.botToken('TKEEP')).resolves.not.toBeNull();
    expect(await w.t.deps.store.audit.listForWorkspace('TKEEP')).not.toContainEqual(
      expect.objectContaining({ action: 'workspace.uninstall' }),
    );
  });
});

describe('hostile GitHub deliveries, correctly signed', () => {
  it('a PR title with a lone surrogate is stored and posted (made well-formed), not a 503', async () => {
    const payload = prPayload({ action: 'opened', number: 301, title: 'Fix \ud800 parser', updatedAt: at(1) });
    await sendAndSettle({ t: w.t, delivery: { event: 'pull_request', payload }, prNumber: 301, teams: ['THOST'] });
    const posted = w.t.slack.messages('THOST', 'CTHOST').map((m) => JSON.stringify(m));
    expect(posted.some((m) => m.includes('Fix \ufffd parser'))).toBe(true);
  });

  const tooLong = (n: number) => 'a'.repeat(n);
  it.each([
    ['a 1,600-character repository.full_name', (p: Json) => setRepo(p, `${tooLong(800)}/${tooLong(799)}`)],
    ['an owner of 40 characters', (p: Json) => setRepo(p, `${tooLong(40)}/repo`)],
    ['a repository name of 101 characters', (p: Json) => setRepo(p, `owner/${tooLong(101)}`)],
    ['an author login of 40 characters', (p: Json) => set(p, ['pull_request', 'user', 'login'], tooLong(40))],
    ['a head branch of 300 characters', (p: Json) => set(p, ['pull_request', 'head', 'ref'], tooLong(300))],
    ['a base branch of 300 characters', (p: Json) => set(p, ['pull_request', 'base', 'ref'], tooLong(300))],
    ['PR number 0', (p: Json) => set(p, ['pull_request', 'number'], 0)],
    ['a PR number beyond safe integers', (p: Json) => set(p, ['pull_request', 'number'], 2 ** 60)],
    ['an author id of 0', (p: Json) => set(p, ['pull_request', 'user', 'id'], 0)],
    [
      'a PR URL of 5,000 characters',
      (p: Json) => set(p, ['pull_request', 'html_url'], `https://github.com/${tooLong(5000)}`),
    ],
  ])('%s is refused with 400 and nothing is stored', async (_label, mutate) => {
    const payload = prPayload({ action: 'opened', number: 302, updatedAt: at(2) });
    mutate(payload);
    const before = { deliveries: await count(COLLECTIONS.deliveries), jobs: await count(COLLECTIONS.jobs) };
    const res = await w.t.sendDelivery({ event: 'pull_request', payload });
    expect(res.status).toBe(400);
    expect(await count(COLLECTIONS.deliveries)).toBe(before.deliveries);
    expect(await count(COLLECTIONS.jobs)).toBe(before.jobs);
  });

  it("GitHub's own limits are accepted: owner and login of 39 characters, a repository name of 100", async () => {
    const payload = prPayload({
      action: 'opened',
      number: 303,
      updatedAt: at(3),
      repo: `${tooLong(39)}/${tooLong(100)}`,
    });
    set(payload, ['pull_request', 'user', 'login'], tooLong(39));
    expect((await w.t.sendDelivery({ event: 'pull_request', payload })).status).toBe(202);
  });

  it('an oversized X-GitHub-Event name is refused', async () => {
    const payload = prPayload({ action: 'opened', number: 304, updatedAt: at(4) });
    const res = await w.t.sendDelivery({ event: `pull_request${tooLong(200)}`, payload });
    expect(res.status).toBe(400);
  });

  it('the same signed body replayed under new X-GitHub-Delivery ids is a duplicate: 200, no further Slack call', async () => {
    const payload = prPayload({ action: 'opened', number: 305, updatedAt: at(5) });
    await sendAndSettle({ t: w.t, delivery: { event: 'pull_request', payload }, prNumber: 305, teams: ['THOST'] });
    const calls = w.t.slack.calls.length;
    const deliveries = await count(COLLECTIONS.deliveries);
    for (let i = 0; i < 5; i++) {
      const res = await w.t.sendDelivery({ event: 'pull_request', payload });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'duplicate' });
    }
    expect(await count(COLLECTIONS.deliveries)).toBe(deliveries);
    // Give a wrongly accepted replay time to reach Slack before checking it did not.
    await new Promise((r) => setTimeout(r, 500));
    await eventually(async () => {
      const pending = await w.t.deps.db
        .collection(COLLECTIONS.jobs)
        .where('status', 'in', ['pending', 'running'])
        .get();
      expect(pending.size).toBe(0);
    });
    expect(w.t.slack.calls.length).toBe(calls);
    expect(
      w.t.slack.messages('THOST', 'CTHOST').filter((m) => JSON.stringify(m).includes(`${REPO}/pull/305`)),
    ).toHaveLength(1);
  });
});

type Json = Record<string, unknown>;

function set(payload: Json, path: string[], value: unknown): void {
  let node: Json = payload;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) throw new Error(`no ${key} in payload`);
    node = next as Json;
  }
  node[path[path.length - 1] ?? ''] = value;
}

function setRepo(payload: Json, fullName: string): void {
  set(payload, ['repository', 'full_name'], fullName);
  set(payload, ['repository', 'name'], fullName.split('/')[1] ?? '');
}
