import { expect } from 'vitest';
import { prPayload, reviewPayload, type PrOptions, type ReviewOptions } from '../../../dev/local/pr-payloads.js';
import type { FakeMessage } from '../../../dev/fakes/fake-slack-types.js';
import type { SubscribeInput } from '../../../src/domain/routes.js';
import type { PrState } from '../../../src/pipeline/core/pr-state.js';
import { createFirestorePrStateStore } from '../../../src/store/pipeline/pr-state-store.js';
import { eventually } from '../../support/eventually.js';
import type { TestApp } from '../../support/test-app.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** An ISO time this long before `now`. */
export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/** One clock for every instance of a test, running with real time, that the test moves ahead. */
export function createMovableClock(start: Date) {
  let offset = start.getTime() - Date.now();
  const now = () => new Date(Date.now() + offset);
  return { now, moveTo: (to: Date) => (offset += Math.max(0, to.getTime() - now().getTime())) };
}

export function channel(id: string) {
  return { id, name: id.toLowerCase(), isPrivate: false, botIsMember: true };
}

/** Subscribes a channel to a repo (or account) as an admin `USETUP` set it up before the test. */
export function subscribe(t: TestApp, input: Omit<SubscribeInput, 'actor'>) {
  return t.deps.store.subscriptions.subscribe({ actor: 'USETUP', ...input });
}

/** Sends signed GitHub deliveries to the app and waits until each PR's state shows the last one folded. */
export function createDeliverer(t: TestApp) {
  const states = createFirestorePrStateStore(t.deps.db);
  let n = 0;
  const send = async (event: string, payload: unknown) => {
    const res = await t.sendDelivery({ event, payload, deliveryId: `digest-${Date.now()}-${n++}` });
    expect(res.status).toBe(202);
  };
  return {
    async pr(o: PrOptions & { labels?: string[] }) {
      const payload = prPayload(o);
      if (o.labels) {
        const pr = payload['pull_request'];
        if (pr && typeof pr === 'object') Object.assign(pr, { labels: o.labels.map((name, id) => ({ id, name })) });
      }
      await send('pull_request', payload);
    },
    review: (o: ReviewOptions) => send('pull_request_review', reviewPayload(o)),
    /** Waits for the PR state to match. */
    async folded(repo: string, number: number, check: (s: PrState) => boolean, timeoutMs = 15_000) {
      await eventually(async () => {
        const s = await states.get(repo, number);
        expect(s !== null && check(s)).toBe(true);
      }, timeoutMs);
    },
  };
}

/** The digest messages posted in a channel (not the PR messages), with all their section text. */
export function digestsIn(t: TestApp, workspaceId: string, channelId: string) {
  return t.slack
    .messages(workspaceId, channelId)
    .filter((m) => m.text.startsWith('Stuck pull requests'))
    .map((m) => ({ message: m, text: textOf(m) }));
}

export function textOf(m: FakeMessage): string {
  return m.blocks
    .map((b) => {
      if (typeof b !== 'object' || b === null || !('text' in b)) return '';
      const text: unknown = b.text;
      return typeof text === 'object' && text !== null && 'text' in text && typeof text.text === 'string'
        ? text.text
        : '';
    })
    .join('\n');
}

/** The PR numbers a digest lists, in order. */
export const prNumbers = (text: string) => [...text.matchAll(/\|#(\d+) /g)].map((m) => Number(m[1]));
