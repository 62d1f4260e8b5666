import { JsonShapeError, type JsonReader } from '../shared/json-reader.js';

/**
 * GitHub's own limits on what a delivery carries. A value beyond them did not come from GitHub, and would only
 * fail later (a Firestore document id over 1,500 bytes, a job retried until dead): it is refused at the edge.
 */
export const GITHUB_LIMITS = {
  /** Users and organisations: 39 characters. */
  login: 39,
  /** GitHub publishes no limit on team slugs; a slug is shown in Slack and names a cache entry. */
  teamSlug: 255,
  repoName: 100,
  /** Git allows longer ref names in theory; no host serves them, and a branch is shown in a Slack message. */
  ref: 255,
  /** Issue and pull-request titles are at most 256 characters on GitHub; some slack for other hosts (GHES). */
  title: 1024,
  url: 2048,
} as const;

const OWNER = /^[\w.-]+$/;
const REPO = /^[\w.-]+$/;
// App bots sign as `slug[bot]`; the suffix is not part of the 39 characters.
const BOT_SUFFIX = '[bot]';

const refuse = (path: string, expected: string): never => {
  throw new JsonShapeError(`field ${path} should be ${expected}`);
};

/** `owner/repo` with GitHub's character set, an owner of at most 39 characters and a name of at most 100. */
export function readRepoFullName(r: JsonReader, path: string): string {
  const value = r.string(path);
  const [owner = '', name = '', ...rest] = value.split('/');
  const ok =
    rest.length === 0 &&
    OWNER.test(owner) &&
    REPO.test(name) &&
    owner.length <= GITHUB_LIMITS.login &&
    name.length <= GITHUB_LIMITS.repoName;
  return ok
    ? value
    : refuse(path, `owner/repo (owner up to ${GITHUB_LIMITS.login} characters, name up to ${GITHUB_LIMITS.repoName})`);
}

export function readLogin(r: JsonReader, path: string): string {
  const value = r.string(path);
  const bare = value.endsWith(BOT_SUFFIX) ? value.slice(0, -BOT_SUFFIX.length) : value;
  return bare.length > 0 && bare.length <= GITHUB_LIMITS.login
    ? value
    : refuse(path, `a login of up to ${GITHUB_LIMITS.login} characters`);
}

/** A non-empty string of at most `max` characters. */
export function readBounded(r: JsonReader, path: string, max: number): string {
  const value = r.string(path);
  return value.length > 0 && value.length <= max ? value : refuse(path, `a string of 1 to ${max} characters`);
}

/** GitHub's ids and PR numbers start at 1. */
export function readPositiveId(r: JsonReader, path: string): number {
  const value = r.integer(path);
  return value > 0 ? value : refuse(path, 'a positive integer');
}

/** An http(s) URL of bounded length: it becomes a link in Slack. */
export function readWebUrl(r: JsonReader, path: string): string {
  const value = readBounded(r, path, GITHUB_LIMITS.url);
  const scheme = URL.canParse(value) ? new URL(value).protocol : '';
  return scheme === 'https:' || scheme === 'http:' ? value : refuse(path, 'an http(s) URL');
}
