import { readFileSync } from 'node:fs';
import { TTL_COLLECTIONS } from '../../scripts/deploy/cloud-steps.js';
import { describe, expect, it } from 'vitest';
import { indexServes, requiredIndex, type IndexField } from '../../src/store/firestore/index-requirements.js';
import { QUERIES, type QuerySpec } from '../../src/store/firestore/queries.js';
import { COLLECTIONS } from '../../src/store/ids.js';

interface IndexesFile {
  indexes: { collectionGroup: string; queryScope?: string; fields: IndexField[] }[];
  fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean }[];
}

/** A query with only `where` filters, for the cases the check must tell apart. */
const filtered = (collection: QuerySpec['collection'], ...where: Array<[string, QuerySpec['where'][number]['op']]>) =>
  ({ collection, where: where.map(([field, op]) => ({ field, op })), orderBy: [] }) satisfies QuerySpec;

/** Reads firestore.indexes.json strictly: a malformed entry fails here, not at `firebase deploy`. */
function readIndexesFile(): IndexesFile {
  const raw: unknown = JSON.parse(readFileSync(new URL('../../firestore.indexes.json', import.meta.url), 'utf8'));
  const obj = raw as Partial<Record<'indexes' | 'fieldOverrides', unknown>>;
  if (!Array.isArray(obj.indexes) || !Array.isArray(obj.fieldOverrides))
    throw new Error('indexes and fieldOverrides must be arrays');
  for (const index of obj.indexes as IndexesFile['indexes']) {
    if (typeof index.collectionGroup !== 'string' || !Array.isArray(index.fields))
      throw new Error(`bad index ${JSON.stringify(index)}`);
    for (const f of index.fields) {
      if (typeof f.fieldPath !== 'string' || !['ASCENDING', 'DESCENDING'].includes(f.order))
        throw new Error(`bad index field ${JSON.stringify(f)}`);
    }
  }
  return obj as IndexesFile;
}

const file = readIndexesFile();
const queries = Object.entries(QUERIES) as [string, QuerySpec][];

describe('firestore.indexes.json', () => {
  it.each(queries)('serves the store query %s', (_name, spec) => {
    const required = requiredIndex(spec);
    if (required) expect(file.indexes.some((index) => indexServes(required, index))).toBe(true);
    expect(Object.values(COLLECTIONS)).toContain(spec.collection);
  });

  it('knows which queries need a composite index (the check above is not vacuous)', () => {
    expect(requiredIndex(QUERIES.auditForWorkspace)).toEqual({
      collectionGroup: 'audit_log',
      equalityFields: ['slack_team_id'],
      sortFields: [{ fieldPath: 'at', order: 'DESCENDING' }],
    });
    // Equality on two fields: single-field indexes serve it.
    expect(requiredIndex(filtered('users', ['slack_team_id', '=='], ['github_user_id', '==']))).toBeNull();
    expect(requiredIndex(filtered('jobs', ['status', '=='], ['next_attempt_at', '<=']))).toEqual({
      collectionGroup: 'jobs',
      equalityFields: ['status'],
      sortFields: [{ fieldPath: 'next_attempt_at', order: 'ASCENDING' }],
    });
    expect(
      requiredIndex({
        collection: 'jobs',
        where: [{ field: 'next_attempt_at', op: '<=' }],
        orderBy: [{ field: 'next_attempt_at', direction: 'asc' }],
      }),
    ).toBeNull();
  });

  it('an index with the wrong direction or extra fields does not count', () => {
    const required = requiredIndex(QUERIES.auditForWorkspace);
    if (!required) throw new Error('auditForWorkspace needs an index');
    const fields: IndexField[] = [
      { fieldPath: 'slack_team_id', order: 'ASCENDING' },
      { fieldPath: 'at', order: 'ASCENDING' },
    ];
    expect(indexServes(required, { collectionGroup: 'audit_log', fields })).toBe(false);
    expect(
      indexServes(required, {
        collectionGroup: 'audit_log',
        fields: [
          ...fields.slice(0, 1),
          { fieldPath: 'at', order: 'DESCENDING' },
          { fieldPath: 'x', order: 'ASCENDING' },
        ],
      }),
    ).toBe(false);
  });

  // The deploy turns on the same policies one by one: one list for both.
  it.each(TTL_COLLECTIONS)('has a TTL policy on %s.expire_at', (collectionGroup) => {
    expect(file.fieldOverrides).toContainEqual(
      expect.objectContaining({ collectionGroup, fieldPath: 'expire_at', ttl: true }),
    );
  });

  it('firebase.json points the Firebase CLI at the rules and the indexes', () => {
    const firebase: unknown = JSON.parse(readFileSync(new URL('../../firebase.json', import.meta.url), 'utf8'));
    expect(firebase).toMatchObject({
      firestore: { rules: 'firestore.rules', indexes: 'firestore.indexes.json' },
      emulators: { firestore: { host: '127.0.0.1', port: expect.any(Number) } },
    });
  });
});
