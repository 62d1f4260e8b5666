import { createJsonReader, toRecord, type JsonReader } from '../../shared/json-reader.js';
import { sortActivity, type ActivityEntry } from './pr-activity.js';
import {
  PR_ACTIONS,
  PR_OPEN_STATES,
  REVIEW_ACTIONS,
  REVIEW_STATES,
  type GithubPerson,
  type GithubTeam,
  type PrEvent,
  type PrFields,
  type PrSize,
  type PrSnapshot,
} from './pr-event.js';

/**
 * The one codec of a PR event: a job's payload stores the event as it is (field names as in PrEvent, under `pr.`),
 * and a PR state document stores the same PR fields under the names of CONTRACT.md §5 (PR_FIELD_NAMES). Adding a
 * field to PrFields is one entry in PR_FIELD_NAMES and one line in decodePrFields, plus its mapping at the edge
 * (src/github/to-pr-event.ts); the compiler asks for each.
 */

/** What decoding reads through: the JSON reader (job payloads) and the Firestore field reader both fit. */
export interface ScalarReader {
  string(name: string): string;
  integer(name: string): number;
  boolean(name: string): boolean;
  booleanOr(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, values: readonly T[]): T;
  /** A map of strings; an absent field reads as an empty map. */
  stringMap(name: string): Record<string, string>;
}

/** Each PR field's name in a PR state document. */
export const PR_FIELD_NAMES = {
  repoFullName: 'repo_full_name',
  repoPrivate: 'repo_private',
  number: 'pr_number',
  title: 'title',
  url: 'url',
  authorLogin: 'author_login',
  authorId: 'author_id',
  authorIsBot: 'author_is_bot',
  labels: 'labels',
  baseRef: 'base_ref',
  headRef: 'head_ref',
  draft: 'draft',
  state: 'state',
} as const satisfies Record<keyof PrFields, string>;

type FieldName = (field: keyof PrFields) => string;

/** The PR fields read with `name` giving each field's stored name. */
export function decodePrFields(r: ScalarReader, name: FieldName): PrFields {
  return {
    repoFullName: r.string(name('repoFullName')),
    // Absent only in jobs and states written before the field existed: public, as the old rules saw them.
    repoPrivate: r.booleanOr(name('repoPrivate'), false),
    number: r.integer(name('number')),
    title: r.string(name('title')),
    url: r.string(name('url')),
    authorLogin: r.string(name('authorLogin')),
    authorId: r.integer(name('authorId')),
    authorIsBot: r.booleanOr(name('authorIsBot'), false),
    ...decodeLabels(r, name('labels')),
    baseRef: r.string(name('baseRef')),
    headRef: r.string(name('headRef')),
    draft: r.boolean(name('draft')),
    state: r.oneOf(name('state'), PR_OPEN_STATES),
  };
}

/**
 * A PR state document stores labels as a map of position → name (a job keeps the event's list, read through
 * withJsonLabels): a map reads as empty when absent, so states written before labels were kept still decode.
 */
function decodeLabels(r: ScalarReader, name: string): Pick<PrFields, 'labels'> {
  const stored = Object.entries(r.stringMap(name));
  return { labels: stored.sort(([a], [b]) => Number(a) - Number(b)).map(([, label]) => label) };
}

type StoredValue = Exclude<PrFields[keyof PrFields], string[]> | Record<string, string>;

/** The PR fields as a PR state document stores them. */
export function encodePrFields(fields: PrFields): Record<string, StoredValue> {
  const stored: Record<string, StoredValue> = {};
  let field: keyof PrFields;
  for (field in PR_FIELD_NAMES) {
    const value = fields[field];
    if (value === undefined) continue;
    stored[PR_FIELD_NAMES[field]] = Array.isArray(value)
      ? Object.fromEntries(value.map((v, i) => [String(i), v]))
      : value;
  }
  return stored;
}

/** A PR size (a map of its own in both places). */
export function decodePrSize(r: Pick<ScalarReader, 'integer'>, prefix: string): PrSize {
  return {
    additions: r.integer(`${prefix}additions`),
    deletions: r.integer(`${prefix}deletions`),
    changedFiles: r.integer(`${prefix}changedFiles`),
  };
}

/** A job's payload: the event as it is (PrEvent is plain JSON). */
export function encodePrEvent(event: PrEvent): PrEvent {
  return event;
}

/** Validates a PrEvent read back from a job's payload, so a stale or hand-edited job fails clearly. */
export function decodePrEvent(value: unknown): PrEvent {
  const r = createJsonReader(value);
  const kind = r.oneOf('kind', ['pull_request', 'review']);
  const pr = decodeSnapshot(r);
  if (kind === 'pull_request') {
    const requested = r.has('requested.reviewer')
      ? { reviewer: decodePerson(r, 'requested.reviewer') }
      : r.has('requested.team')
        ? { team: decodeTeam(r, 'requested.team') }
        : undefined;
    return {
      kind,
      action: r.oneOf('action', PR_ACTIONS),
      pr,
      ...(r.has('sender') ? { sender: decodePerson(r, 'sender') } : {}),
      ...(requested ? { requested } : {}),
    };
  }
  const excerpt = r.optionalString('review.excerpt');
  const review = {
    id: r.integer('review.id'),
    reviewerId: r.integer('review.reviewerId'),
    reviewerLogin: r.string('review.reviewerLogin'),
    state: r.oneOf('review.state', REVIEW_STATES),
    submittedAt: r.string('review.submittedAt'),
    ...(excerpt === undefined ? {} : { excerpt }),
  };
  return { kind, action: r.oneOf('action', REVIEW_ACTIONS), pr, review };
}

/** A job's PR fields as decodePrFields reads them: its label list read as the map decodeLabels expects. */
function prFieldsOf(r: JsonReader): ScalarReader {
  return {
    string: (p) => r.string(p),
    integer: (p) => r.integer(p),
    boolean: (p) => r.boolean(p),
    booleanOr: (p, fallback) => r.booleanOr(p, fallback),
    oneOf: (p, values) => r.oneOf(p, values),
    stringMap: (name) => {
      const labels = decodeList(r, name, (at) => r.string(at));
      return Object.fromEntries(labels.map((label, i) => [String(i), label]));
    },
  };
}

function decodeSnapshot(r: JsonReader): PrSnapshot {
  const { labels = [], ...fields } = decodePrFields(prFieldsOf(r), (field) => `pr.${field}`);
  const merged = r.optionalBoolean('pr.merged');
  return {
    ...fields,
    // An empty list is known to be empty (the last label was removed); only an absent one is unknown.
    ...(r.has('pr.labels') ? { labels } : {}),
    ...(merged === undefined ? {} : { merged }),
    updatedAt: r.string('pr.updatedAt'),
    ...(r.has('pr.size') ? { size: decodePrSize(r, 'pr.size.') } : {}),
    ...(r.has('pr.requestedReviewers')
      ? { requestedReviewers: decodeList(r, 'pr.requestedReviewers', (at) => decodePerson(r, at)) }
      : {}),
    ...(r.has('pr.requestedTeams')
      ? { requestedTeams: decodeList(r, 'pr.requestedTeams', (at) => decodeTeam(r, at)) }
      : {}),
  };
}

/** Lists in a job's payload: GitHub's 100 labels per PR; its 15 requested reviewers and teams fit with room to spare. */
const MAX_LIST = 100;

function decodeList<T>(r: JsonReader, path: string, read: (at: string) => T): T[] {
  const items: T[] = [];
  for (let i = 0; i < MAX_LIST && r.has(`${path}.${i}`); i += 1) items.push(read(`${path}.${i}`));
  return items;
}

/** Whose review a PR waits on, as a PR state document stores it: `{ reviewers: [...], teams: [...] }`. */
export function decodeRequested(value: unknown): { reviewers: GithubPerson[]; teams: GithubTeam[] } {
  const r = createJsonReader(value ?? {});
  return {
    reviewers: decodeList(r, 'reviewers', (at) => decodePerson(r, at)),
    teams: decodeList(r, 'teams', (at) => decodeTeam(r, at)),
  };
}

/** A PR's thread activity as a PR state document stores it (a map of entry id → entry), oldest first. */
export function decodeActivity(value: unknown): ActivityEntry[] {
  const stored = toRecord(value);
  const entries = Object.entries(stored).map(([id, entry]) => decodeActivityEntry(id, createJsonReader(entry)));
  return sortActivity(entries);
}

function decodeActivityEntry(id: string, r: JsonReader): ActivityEntry {
  const at = r.string('at');
  const by = r.has('by') ? { by: decodePerson(r, 'by') } : {};
  const kind = r.oneOf('kind', ['review', 'review_requested', 'ready_for_review', 'merged', 'closed', 'reopened']);
  switch (kind) {
    case 'review': {
      const excerpt = r.optionalString('excerpt');
      return {
        id,
        at,
        kind,
        reviewer: decodePerson(r, 'reviewer'),
        verdict: r.oneOf('verdict', REVIEW_STATES),
        ...(excerpt === undefined ? {} : { excerpt }),
      };
    }
    case 'review_requested':
      return {
        id,
        at,
        kind,
        target: r.has('target.reviewer')
          ? { reviewer: decodePerson(r, 'target.reviewer') }
          : { team: decodeTeam(r, 'target.team') },
        ...by,
      };
    case 'ready_for_review':
      return {
        id,
        at,
        kind,
        reviewers: decodeList(r, 'reviewers', (x) => decodePerson(r, x)),
        teams: decodeList(r, 'teams', (x) => decodeTeam(r, x)),
      };
    default:
      return { id, at, kind, ...by };
  }
}

function decodePerson(r: JsonReader, path: string): GithubPerson {
  return { id: r.integer(`${path}.id`), login: r.string(`${path}.login`) };
}

function decodeTeam(r: JsonReader, path: string): GithubTeam {
  return { org: r.string(`${path}.org`), slug: r.string(`${path}.slug`), name: r.string(`${path}.name`) };
}
