import { describe, expect, it } from 'vitest';
import { toPrEvent } from '../../src/github/to-pr-event.js';
import { decodePrEvent, encodePrEvent } from '../../src/pipeline/core/pr-event-codec.js';
import type { PrEvent } from '../../src/pipeline/core/pr-event.js';
import { foldPrEvent, type PrState } from '../../src/pipeline/core/pr-state.js';
import { prPayload } from '../../dev/local/pr-payloads.js';

type Payload = Record<string, unknown> & { pull_request: Record<string, unknown> };

/** An example payload with the PR's labels, author type and base branch as GitHub would send them. */
function payload(o: {
  action: string;
  updatedAt: string;
  labels?: string[];
  userType?: string;
  base?: string;
}): Payload {
  const p = prPayload({ action: o.action, updatedAt: o.updatedAt }) as Payload;
  if (o.labels) p.pull_request['labels'] = o.labels.map((name, id) => ({ id: id + 1, name, color: 'ededed' }));
  if (o.userType) p.pull_request['user'] = { ...(p.pull_request['user'] as object), type: o.userType };
  if (o.base) p.pull_request['base'] = { ...(p.pull_request['base'] as object), ref: o.base };
  return p;
}

function mapped(p: Payload): PrEvent {
  const result = toPrEvent({ name: 'pull_request', payload: p });
  if (result.kind !== 'event') throw new Error(`ignored: ${result.reason}`);
  return result.event;
}

const fold = (events: PrEvent[]): PrState | null => events.reduce<PrState | null>((s, e) => foldPrEvent(s, e), null);

describe('labels, bots and base branches in the PR state', () => {
  it('maps labeled and unlabeled deliveries with the PR’s labels, Unicode and commas kept', () => {
    const event = mapped(
      payload({ action: 'labeled', updatedAt: '2024-01-01T00:00:01Z', labels: ['needs review', 'a, b', '🚀'] }),
    );
    expect(event).toMatchObject({ action: 'labeled', pr: { labels: ['needs review', 'a, b', '🚀'] } });
    expect(mapped(payload({ action: 'unlabeled', updatedAt: '2024-01-01T00:00:02Z', labels: [] })).pr.labels).toEqual(
      [],
    );
  });

  it('marks a PR whose author GitHub reports as a Bot', () => {
    const bot = mapped(payload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z', userType: 'Bot' }));
    const human = mapped(payload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z', userType: 'User' }));
    expect([bot.pr.authorIsBot, human.pr.authorIsBot]).toEqual([true, false]);
  });

  it('refuses a label list that no GitHub payload has', () => {
    const p = payload({ action: 'labeled', updatedAt: '2024-01-01T00:00:00Z' });
    p.pull_request['labels'] = [{ name: '' }];
    expect(() => toPrEvent({ name: 'pull_request', payload: p })).toThrow(/pull_request\.labels\.0\.name/);
    p.pull_request['labels'] = Array.from({ length: 101 }, (_, i) => ({ name: `l${i}` }));
    expect(() => toPrEvent({ name: 'pull_request', payload: p })).toThrow(/at most 100/);
  });

  it('keeps labels through a job payload, an empty list staying known-empty', () => {
    const labeled = mapped(payload({ action: 'labeled', updatedAt: '2024-01-01T00:00:01Z', labels: ['x', 'y, z'] }));
    const cleared = mapped(payload({ action: 'unlabeled', updatedAt: '2024-01-01T00:00:02Z', labels: [] }));
    const viaJob = (e: PrEvent) => decodePrEvent(JSON.parse(JSON.stringify(encodePrEvent(e))));
    expect(viaJob(labeled)).toEqual(labeled);
    expect(viaJob(cleared).pr.labels).toEqual([]);
    const { labels: _labels, ...older } = labeled.pr;
    expect(viaJob({ ...labeled, pr: older }).pr.labels).toBeUndefined();
  });

  it('folds labels, base changes and the author’s type from the newest snapshot, in any order', () => {
    const opened = mapped(payload({ action: 'opened', updatedAt: '2024-01-01T00:00:00Z' }));
    const labeled = mapped(payload({ action: 'labeled', updatedAt: '2024-01-01T00:00:05Z', labels: ['frontend'] }));
    const rebased = mapped(
      payload({ action: 'edited', updatedAt: '2024-01-01T00:00:09Z', labels: ['frontend'], base: 'release/2' }),
    );
    for (const order of [
      [opened, labeled, rebased],
      [rebased, labeled, opened],
    ]) {
      expect(fold(order)).toMatchObject({ labels: ['frontend'], baseRef: 'release/2', authorIsBot: false });
    }
    // A job written before labels were mapped says nothing about them: the state keeps what it knew.
    const { labels: _labels, ...unknown } = mapped(
      payload({ action: 'synchronize', updatedAt: '2024-01-01T00:01:00Z' }),
    ).pr;
    expect(fold([labeled, { kind: 'pull_request', action: 'synchronize', pr: unknown }])?.labels).toEqual(['frontend']);
    expect(fold([opened])).toMatchObject({ labels: [], authorIsBot: false });
  });
});
