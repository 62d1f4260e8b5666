import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_FILTERS, parseFilters, type RouteFilters } from '../../src/domain/route-filters.js';
import { createFirestoreStore } from '../../src/store/firestore/index.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db, clear } = createTestFirestore('store-routes');
const store = createFirestoreStore(db);
const at = new Date('2024-05-01T10:00:00.000Z');
const later = new Date('2024-05-01T11:00:00.000Z');
const DOC = 'T1#octo-org%2Fhello-world';
const raw = async () => (await db.collection(COLLECTIONS.repos).doc(DOC).get()).data();

beforeEach(() => clear());
afterAll(() => db.terminate());

const filters = (text: string): RouteFilters => {
  const parsed = parseFilters(text);
  if (!parsed.ok) throw new Error(`bad filters in a test: ${parsed.token}`);
  return parsed.filters;
};
const subscribe = (channelId: string, over: { filters?: RouteFilters; at?: Date } = {}) =>
  store.subscriptions.subscribe({
    workspaceId: 'T1',
    repoFullName: 'octo-org/hello-world',
    channelId,
    actor: 'U1',
    at: over.at ?? at,
    ...(over.filters ? { filters: over.filters } : {}),
  });

describe('routes in the repos document (CONTRACT.md §5)', () => {
  it('keeps a one-channel subscription without filters in the shape it always had', async () => {
    await subscribe('C1');
    expect(await raw()).not.toHaveProperty('routes');
  });

  it('writes every route as channel id → filters, who set them and when', async () => {
    await subscribe('C1');
    await subscribe('C2', { filters: filters('+label:"needs review" -label:wip base:release/* bots:on'), at: later });
    expect((await raw())?.['routes']).toEqual({
      C1: {
        filters: {
          include_labels: [],
          exclude_labels: [],
          bases: [],
          authors: [],
          exclude_authors: [],
          bots: false,
          drafts: false,
        },
        set_by: 'U1',
        set_at: Timestamp.fromDate(at),
      },
      C2: {
        filters: {
          include_labels: ['needs review'],
          exclude_labels: ['wip'],
          bases: ['release/*'],
          authors: [],
          exclude_authors: [],
          bots: true,
          drafts: false,
        },
        set_by: 'U1',
        set_at: Timestamp.fromDate(later),
      },
    });
    expect((await raw())?.['channel_id']).toBe('C1');
  });

  it('reads a document written before routes as one route without filters', async () => {
    await db
      .collection(COLLECTIONS.repos)
      .doc(DOC)
      .set({
        slack_team_id: 'T1',
        repo_full_name: 'octo-org/hello-world',
        repo_key: 'octo-org/hello-world',
        channel_id: 'COLD',
        enabled: true,
        created_by: 'U9',
        created_at: Timestamp.fromDate(at),
        disabled_reason: null,
      });
    expect((await store.subscriptions.get('T1', 'octo-org/hello-world'))?.routes).toEqual([
      { channelId: 'COLD', filters: NO_FILTERS, setBy: 'U9', setAt: at },
    ]);
  });
});
