import type { QuerySpec } from './queries.js';

/**
 * Which composite index a query needs in real Firestore (the emulator serves every query without one).
 * Equality-only queries are served by merging single-field indexes. Equality plus one sort/range field
 * still needs a composite when that field differs from the equality fields, and two or more sort/range
 * fields always do.
 */
export interface IndexField {
  fieldPath: string;
  order: 'ASCENDING' | 'DESCENDING';
}

export interface RequiredIndex {
  collectionGroup: string;
  /** Equality fields, in any order, come first in the index. */
  equalityFields: string[];
  /** Then the sort fields, in this order and direction. */
  sortFields: IndexField[];
}

const EQUALITY_OPS = new Set(['==', 'in', 'array-contains', 'array-contains-any']);

export function requiredIndex(spec: QuerySpec): RequiredIndex | null {
  const equalityFields = [...new Set(spec.where.filter((w) => EQUALITY_OPS.has(w.op)).map((w) => w.field))];
  const sortFields: IndexField[] = spec.orderBy.map((o) => ({
    fieldPath: o.field,
    order: o.direction === 'desc' ? 'DESCENDING' : 'ASCENDING',
  }));
  // A range filter sorts by its field first when no orderBy names it.
  for (const w of spec.where) {
    if (!EQUALITY_OPS.has(w.op) && !sortFields.some((s) => s.fieldPath === w.field)) {
      sortFields.unshift({ fieldPath: w.field, order: 'ASCENDING' });
    }
  }
  const extraSort = sortFields.filter((s) => !equalityFields.includes(s.fieldPath));
  const needed = extraSort.length > 1 || (equalityFields.length > 0 && extraSort.length > 0);
  return needed ? { collectionGroup: spec.collection, equalityFields, sortFields: extraSort } : null;
}

/** True when an index declared in firestore.indexes.json serves the requirement. */
export interface DeclaredIndex {
  collectionGroup: string;
  queryScope?: string;
  fields: IndexField[];
}

export function indexServes(required: RequiredIndex, index: DeclaredIndex): boolean {
  if (index.collectionGroup !== required.collectionGroup || (index.queryScope ?? 'COLLECTION') !== 'COLLECTION')
    return false;
  const n = required.equalityFields.length;
  if (index.fields.length !== n + required.sortFields.length) return false;
  const head = index.fields
    .slice(0, n)
    .map((f) => f.fieldPath)
    .sort();
  const tail = index.fields.slice(n);
  return (
    head.join('\u0000') === [...required.equalityFields].sort().join('\u0000') &&
    tail.every((f, i) => f.fieldPath === required.sortFields[i]?.fieldPath && f.order === required.sortFields[i]?.order)
  );
}
