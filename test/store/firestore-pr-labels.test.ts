import { FieldValue } from '@google-cloud/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import type { PrSnapshot } from '../../src/pipeline/core/pr-event.js';
import { createFirestorePrStateStore } from '../../src/store/pipeline/pr-state-store.js';
import { COLLECTIONS } from '../../src/store/ids.js';
import { createTestFirestore } from '../support/firestore.js';

const { db, clear } = createTestFirestore('pr-labels');
afterAll(() => db.terminate());

const snapshot = (over: Partial<PrSnapshot>): PrSnapshot => ({
  repoFullName: 'octo-org/hello-world',
  repoPrivate: false,
  number: 3,
  title: 'Routing',
  url: 'https://github.com/octo-org/hello-world/pull/3',
  authorLogin: 'renovate[bot]',
  authorId: 29139614,
  baseRef: 'main',
  headRef: 'deps',
  draft: false,
  state: 'open',
  updatedAt: '2024-01-01T00:00:00Z',
  ...over,
});

describe('a PR state in Firestore', () => {
  it('keeps labels (in order, any characters), the base branch and whether the author is a bot', async () => {
    await clear();
    const store = createFirestorePrStateStore(db);
    const labels = ['needs review', 'a, b', '__reserved__', 'ünïcødé 🚀', 'with.dot'];
    await store.fold({ kind: 'pull_request', action: 'opened', pr: snapshot({ authorIsBot: true }) });
    const folded = await store.fold({
      kind: 'pull_request',
      action: 'labeled',
      pr: snapshot({ authorIsBot: true, labels, baseRef: 'release/1', updatedAt: '2024-01-01T00:00:05Z' }),
    });
    const read = await store.get('octo-org/hello-world', 3);
    expect(read).toEqual(folded.state);
    expect(read).toMatchObject({ labels, baseRef: 'release/1', authorIsBot: true });
    await store.fold({
      kind: 'pull_request',
      action: 'unlabeled',
      pr: snapshot({ authorIsBot: true, labels: [], updatedAt: '2024-01-01T00:00:09Z' }),
    });
    expect((await store.get('octo-org/hello-world', 3))?.labels).toEqual([]);
  });

  it('reads a state written before labels were kept as a PR with none, by a person', async () => {
    await clear();
    const store = createFirestorePrStateStore(db);
    await store.fold({ kind: 'pull_request', action: 'opened', pr: snapshot({ authorLogin: 'alice' }) });
    const ref = (await db.collection(COLLECTIONS.prStates).get()).docs[0]!.ref;
    await ref.update({ labels: FieldValue.delete(), author_is_bot: FieldValue.delete() });
    expect(await store.get('octo-org/hello-world', 3)).toMatchObject({ labels: [], authorIsBot: false });
  });
});
