import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters, type RouteFilters } from '../../src/domain/route-filters.js';
import { prPayload } from '../../dev/local/pr-payloads.js';
import { COLLECTIONS, ids } from '../../src/store/ids.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { at, channel, REPO } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

const TEAM = 'TROUTES';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.installWorkspace({
    workspaceId: TEAM,
    channels: ['CFRONT', 'CBACK', 'CREL', 'CALL', 'CBOTS'].map((id) => channel(id)),
  });
});
afterAll(async () => t?.close());

const filters = (text: string): RouteFilters => {
  const parsed = parseFilters(text);
  if (!parsed.ok) throw new Error(`bad filters in a test: ${parsed.token}`);
  return parsed.filters;
};

async function route(repo: string, channelId: string, text: string): Promise<void> {
  await t.deps.store.subscriptions.subscribe({
    workspaceId: TEAM,
    repoFullName: repo,
    channelId,
    actor: 'U1',
    at: new Date(),
    filters: filters(text),
  });
}

type Payload = Record<string, unknown> & { pull_request: Record<string, unknown> };

/** GitHub's example payload with this PR's labels, base branch and author. */
function payload(o: {
  action: string;
  repo: string;
  number: number;
  updatedAt: string;
  labels?: string[];
  base?: string;
  bot?: { login: string; id: number };
}): Payload & { number: number; repository: { full_name: string } } {
  const p = prPayload({ action: o.action, repo: o.repo, number: o.number, updatedAt: o.updatedAt }) as Payload;
  p.pull_request['labels'] = (o.labels ?? []).map((name, i) => ({ id: i + 1, name, color: 'ededed' }));
  if (o.base) p.pull_request['base'] = { ...(p.pull_request['base'] as object), ref: o.base };
  if (o.bot) p.pull_request['user'] = { ...(p.pull_request['user'] as object), ...o.bot, type: 'Bot' };
  return { ...p, number: o.number, repository: { ...(p['repository'] as object), full_name: o.repo } };
}

/** Sends a signed delivery and waits until its reconcile job is done, so "nothing was posted" is a real answer. */
const send = (p: Payload & { number: number; repository: { full_name: string } }) =>
  sendAndSettle({
    t,
    delivery: { event: 'pull_request', payload: p },
    prNumber: p.number,
    teams: [TEAM],
    repo: p.repository.full_name,
  });

const postsIn = (channelId: string, number: number) =>
  t.slack.messages(TEAM, channelId).filter((m) => m.text.includes(`#${number}`));

describe('several channels per repo, each with its own filters (over HTTP, the emulator and the fake Slack)', () => {
  it('two channels with different label filters on one repo each get only their PRs', async () => {
    const repo = 'octo-org/monorepo';
    await route(repo, 'CFRONT', '+label:frontend -label:wip');
    await route(repo, 'CBACK', '+label:backend +label:"api, v2"');
    await send(payload({ action: 'opened', repo, number: 1, updatedAt: at(1), labels: ['frontend'] }));
    await send(payload({ action: 'opened', repo, number: 2, updatedAt: at(1), labels: ['API, v2'] }));
    await send(payload({ action: 'opened', repo, number: 3, updatedAt: at(1), labels: ['frontend', 'WIP'] }));
    expect(postsIn('CFRONT', 1)).toHaveLength(1);
    expect(postsIn('CBACK', 2)).toHaveLength(1);
    expect(postsIn('CBACK', 1)).toEqual([]);
    expect(postsIn('CFRONT', 2)).toEqual([]);
    expect(postsIn('CFRONT', 3)).toEqual([]);
    expect(postsIn('CBACK', 3)).toEqual([]);
  });

  it('a label added after opening posts the PR once, and later labels do not post it again', async () => {
    const repo = 'octo-org/late-labels';
    await route(repo, 'CFRONT', '+label:"needs review"');
    await send(payload({ action: 'opened', repo, number: 4, updatedAt: at(1) }));
    expect(postsIn('CFRONT', 4)).toEqual([]);
    await send(payload({ action: 'labeled', repo, number: 4, updatedAt: at(2), labels: ['needs review'] }));
    expect(postsIn('CFRONT', 4)).toHaveLength(1);
    await send(payload({ action: 'labeled', repo, number: 4, updatedAt: at(3), labels: ['needs review', 'ui'] }));
    await send(payload({ action: 'unlabeled', repo, number: 4, updatedAt: at(4), labels: ['ui'] }));
    await send(payload({ action: 'labeled', repo, number: 4, updatedAt: at(5), labels: ['ui', 'needs review'] }));
    expect(postsIn('CFRONT', 4)).toHaveLength(1);
    expect(t.slack.callsTo('chat.postMessage').filter((c) => String(c.args['text']).includes('#4'))).toHaveLength(1);
  });

  it('a change of labels alone reaches only the workspaces that route by label; a shown change reaches all', async () => {
    const repo = 'octo-org/labels-only';
    const plain = 'TPLAIN';
    await t.installWorkspace({ workspaceId: plain, channels: [channel('CPLAIN')] });
    await t.deps.store.subscriptions.subscribe({
      workspaceId: plain,
      repoFullName: repo,
      channelId: 'CPLAIN',
      actor: 'U1',
      at: new Date(),
    });
    await route(repo, 'CFRONT', '+label:frontend');
    const both = [TEAM, plain];
    const deliver = (p: Payload, teams: string[]) =>
      sendAndSettle({ t, delivery: { event: 'pull_request', payload: p }, prNumber: 20, teams, repo });
    const plainJob = () =>
      t.deps.db
        .collection(COLLECTIONS.jobs)
        .doc(ids.reconcileJob({ workspaceId: plain, repoFullName: repo, prNumber: 20 }));
    const fannedOutTo = async (): Promise<unknown> => {
      const latest = await t.deps.db.collection(COLLECTIONS.deliveries).orderBy('received_at', 'desc').limit(1).get();
      return latest.docs[0]?.get('workspaces');
    };
    await deliver(payload({ action: 'opened', repo, number: 20, updatedAt: at(1) }), both);
    expect(t.slack.messages(plain, 'CPLAIN').filter((m) => m.text.includes('#20'))).toHaveLength(1);
    expect(postsIn('CFRONT', 20)).toEqual([]);
    const before = (await plainJob().get()).updateTime;
    await deliver(payload({ action: 'labeled', repo, number: 20, updatedAt: at(2), labels: ['frontend'] }), [TEAM]);
    expect(postsIn('CFRONT', 20)).toHaveLength(1);
    // The workspace whose message cannot change was not even given a job to run.
    expect(await fannedOutTo()).toBe(1);
    expect((await plainJob().get()).updateTime).toEqual(before);
    await deliver(payload({ action: 'closed', repo, number: 20, updatedAt: at(3), labels: ['frontend'] }), both);
    expect(await fannedOutTo()).toBe(2);
    expect((await plainJob().get()).updateTime).not.toEqual(before);
  });

  it('keeps a bot’s PR out by default, and lets it into a channel with bots:on', async () => {
    const repo = 'octo-org/deps';
    await route(repo, 'CALL', '');
    await route(repo, 'CBOTS', 'bots:on');
    const bot = { login: 'renovate[bot]', id: 29139614 };
    await send(payload({ action: 'opened', repo, number: 5, updatedAt: at(1), bot }));
    await send(payload({ action: 'opened', repo, number: 6, updatedAt: at(1) }));
    expect(postsIn('CBOTS', 5)).toHaveLength(1);
    expect(postsIn('CALL', 6)).toHaveLength(1);
    expect(postsIn('CBOTS', 6)).toHaveLength(1);
    expect(postsIn('CALL', 5)).toEqual([]);
  });

  it('routes by a base-branch glob, including a base changed after opening', async () => {
    const repo = 'octo-org/releases';
    await route(repo, 'CREL', 'base:release/*');
    await send(payload({ action: 'opened', repo, number: 7, updatedAt: at(1), base: 'release/1.4' }));
    await send(payload({ action: 'opened', repo, number: 8, updatedAt: at(1), base: 'release/1.4/hotfix' }));
    await send(payload({ action: 'opened', repo, number: 9, updatedAt: at(1), base: 'main' }));
    expect(postsIn('CREL', 7)).toHaveLength(1);
    expect(postsIn('CREL', 8)).toEqual([]);
    expect(postsIn('CREL', 9)).toEqual([]);
    await send(payload({ action: 'edited', repo, number: 9, updatedAt: at(2), base: 'release/2.0' }));
    expect(postsIn('CREL', 9)).toHaveLength(1);
  });
});

it('keeps the existing single-channel subscription as one route without filters', async () => {
  await t.deps.store.subscriptions.subscribe({
    workspaceId: TEAM,
    repoFullName: REPO,
    channelId: 'CALL',
    actor: 'U1',
    at: new Date(),
  });
  await send(payload({ action: 'opened', repo: REPO, number: 10, updatedAt: at(1), labels: ['anything'] }));
  expect(postsIn('CALL', 10)).toHaveLength(1);
});
