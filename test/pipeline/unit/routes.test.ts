import { describe, expect, it } from 'vitest';
import { parseFilters, type RouteFilters } from '../../../src/domain/route-filters.js';
import { createUnitPipeline, prEvent, REPO, type UnitPipeline } from './unit-kit.js';

const filters = (text: string): RouteFilters => {
  const parsed = parseFilters(text);
  if (!parsed.ok) throw new Error(`bad filters in a test: ${parsed.token}`);
  return parsed.filters;
};

/** T1 subscribed in CT1 (no filters) plus a second channel with filters. */
async function twoChannels(second: { channelId: string; filters: string }): Promise<UnitPipeline> {
  const p = createUnitPipeline();
  await p.addWorkspace('T1');
  await p.store.subscriptions.subscribe({
    workspaceId: 'T1',
    repoFullName: REPO,
    channelId: second.channelId,
    actor: 'U2',
    at: p.clock.now(),
    filters: filters(second.filters),
  });
  return p;
}

describe('routing a PR to the channels whose filters it passes', () => {
  it('posts in each matching channel once, and only there', async () => {
    const p = await twoChannels({ channelId: 'CFRONT', filters: '+label:frontend' });
    expect(await p.settle(prEvent('opened', { labels: ['backend'] }))).toEqual(['changed']);
    expect(p.messages('T1')).toHaveLength(1);
    expect(p.slack.messagesIn('CFRONT')).toEqual([]);
  });

  it('a label added after opening posts the PR once in the channel it now matches', async () => {
    const p = await twoChannels({ channelId: 'CFRONT', filters: '+label:frontend' });
    await p.settle(prEvent('opened', { labels: [] }));
    await p.settle(prEvent('labeled', { labels: ['frontend'] }));
    await p.settle(prEvent('labeled', { labels: ['frontend', 'ui'] }));
    expect(p.slack.messagesIn('CFRONT')).toHaveLength(1);
    expect(p.messages('T1')).toHaveLength(1);
  });

  it('a PR that stops matching is left as it is: not deleted, not updated until it matches again', async () => {
    const p = await twoChannels({ channelId: 'CFRONT', filters: '+label:frontend' });
    await p.settle(prEvent('opened', { labels: ['frontend'], title: 'First' }));
    await p.settle(prEvent('unlabeled', { labels: [], title: 'Second' }));
    expect(p.slack.messagesIn('CFRONT').map((m) => m.text)).toEqual([expect.stringContaining('First')]);
    expect(p.messages('T1')[0]?.text).toContain('Second');
    await p.settle(prEvent('labeled', { labels: ['frontend'], title: 'Third' }));
    expect(p.slack.messagesIn('CFRONT').map((m) => m.text)).toEqual([expect.stringContaining('Third')]);
  });

  it('keeps a bot’s PR out by default, lets it in with bots:on', async () => {
    const p = await twoChannels({ channelId: 'CBOTS', filters: 'bots:on' });
    const outcomes = await p.settle(prEvent('opened', { authorLogin: 'dependabot[bot]', authorIsBot: true }));
    expect(outcomes).toEqual(['changed']);
    expect(p.messages('T1')).toEqual([]);
    expect(p.slack.messagesIn('CBOTS')).toHaveLength(1);
  });

  it('says `filtered` when no channel wants the PR, and posts when its base branch changes to one that matches', async () => {
    const p = createUnitPipeline();
    await p.addWorkspace('T1');
    await p.store.subscriptions.setFilters({
      workspaceId: 'T1',
      repoFullName: REPO,
      channelId: 'CT1',
      filters: filters('base:release/*'),
      actor: 'U1',
      at: p.clock.now(),
    });
    expect(await p.settle(prEvent('opened', { baseRef: 'main' }))).toEqual(['filtered']);
    expect(await p.settle(prEvent('edited', { baseRef: 'release/2.0' }))).toEqual(['changed']);
    expect(p.messages('T1')).toHaveLength(1);
  });

  it('posts a draft only where drafts:on, and a draft made ready everywhere else', async () => {
    const p = await twoChannels({ channelId: 'CDRAFTS', filters: 'drafts:on' });
    await p.settle(prEvent('opened', { draft: true }));
    expect(p.slack.messagesIn('CDRAFTS')).toHaveLength(1);
    expect(p.messages('T1')).toEqual([]);
    await p.settle(prEvent('ready_for_review', { draft: false }));
    expect(p.slack.messagesIn('CDRAFTS')).toHaveLength(1);
    expect(p.messages('T1')).toHaveLength(1);
  });

  it('auto-registration posts in the author’s default channel, and respects that channel’s filters', async () => {
    const p = createUnitPipeline();
    p.tokens.set('TA', 'xoxb-TA');
    await p.addVerifiedAuthor('TA');
    await p.settle(prEvent('opened', { number: 1 }));
    expect(p.slack.messagesIn('CTA')).toHaveLength(1);
    await p.store.subscriptions.setFilters({
      workspaceId: 'TA',
      repoFullName: REPO,
      channelId: 'CTA',
      filters: filters('+label:ready'),
      actor: 'UAUTHOR',
      at: p.clock.now(),
    });
    expect(await p.settle(prEvent('opened', { number: 2 }))).toEqual(['filtered']);
    await p.settle(prEvent('labeled', { number: 2, labels: ['Ready'] }));
    expect(p.slack.messagesIn('CTA')).toHaveLength(2);
  });

  it('a channel Slack refuses for good leaves the repo’s routes; the other channels keep posting', async () => {
    const p = await twoChannels({ channelId: 'CBACK', filters: '' });
    p.slack.fail({ method: 'postMessage', channel: 'CBACK', code: 'is_archived', kind: 'channel', times: Infinity });
    await p.settle(prEvent('opened', { number: 1 }));
    expect(p.messages('T1')).toHaveLength(1);
    const s = await p.store.subscriptions.get('T1', REPO);
    expect(s).toMatchObject({ enabled: true, channelId: 'CT1', routes: [{ channelId: 'CT1' }] });
    const audit = await p.store.audit.listForWorkspace('T1');
    expect(audit.filter((e) => e.action === 'subscription.route_remove')).toEqual([
      expect.objectContaining({ actor: 'system', details: { channel_id: 'CBACK', reason: 'is_archived' } }),
    ]);
    // The last channel failing pauses the subscription as before.
    p.slack.fail({ method: 'postMessage', channel: 'CT1', code: 'is_archived', kind: 'channel', times: Infinity });
    expect((await p.settle(prEvent('opened', { number: 2 }))).at(-1)).toBe('channel_failed');
    expect(await p.store.subscriptions.get('T1', REPO)).toMatchObject({
      enabled: false,
      routes: [{ channelId: 'CT1' }],
    });
  });
});
