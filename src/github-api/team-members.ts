import type { GithubTeams } from '../pipeline/ports.js';
import { toRecord } from '../shared/json-reader.js';
import type { LogPort } from '../shared/log-port.js';
import { GitHubApiError, joinUrl, type GitHubHttp } from './http.js';
import type { InstallationTokens } from './installation-tokens.js';

type Member = { id: number; login: string };

/** GitHub's largest page; a team of more than PAGES_AT_MOST × 100 people is read as far as that. */
const PER_PAGE = 100;
const PAGES_AT_MOST = 10;

/**
 * A GitHub team's members through the GitHub App: the organization's installation (`GET /orgs/{org}/installation`),
 * its token, then `GET /orgs/{org}/teams/{team_slug}/members` page by page. Null when there are no App credentials,
 * the App is not installed on the organization, the team is unknown or hidden from the App, the App lacks the
 * Members permission, or GitHub fails (a warning is logged, without tokens).
 *
 * Answers are kept in memory for `ttlMs` (a failure for `failureTtlMs`), at most `maxTeams` teams, and one look-up
 * serves every caller that asks for the same team meanwhile: a burst of review requests costs one round of calls.
 */
export function createGithubTeams(options: {
  http: GitHubHttp;
  apiUrl: string;
  tokens: InstallationTokens | null;
  log: LogPort;
  now: () => Date;
  ttlMs?: number;
  failureTtlMs?: number;
  maxTeams?: number;
}): GithubTeams {
  const { http, apiUrl, tokens, log, now } = options;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const failureTtlMs = options.failureTtlMs ?? 30_000;
  const maxTeams = options.maxTeams ?? 500;
  const cache = new Map<string, { answer: Promise<Member[] | null>; until: number }>();

  async function fetchMembers(org: string, teamSlug: string, token: string): Promise<Member[] | null> {
    const members: Member[] = [];
    const path = `orgs/${encodeURIComponent(org)}/teams/${encodeURIComponent(teamSlug)}/members`;
    for (let page = 1; page <= PAGES_AT_MOST; page += 1) {
      const res = await http.request({
        url: joinUrl(apiUrl, `${path}?per_page=${PER_PAGE}&page=${page}`),
        authorization: `Bearer ${token}`,
      });
      // An unknown team, or one the App cannot see.
      if (res.status === 404) return null;
      if (res.status === 403) {
        throw new GitHubApiError("GitHub refused the team's members: the App needs the Members permission (read)", 403);
      }
      if (res.status !== 200 || !Array.isArray(res.body)) {
        throw new GitHubApiError(`GitHub answered ${res.status} when listing the team's members`, res.status);
      }
      const body: unknown[] = res.body;
      members.push(...body.map(toMember).filter((m): m is Member => m !== null));
      if (body.length < PER_PAGE) return members;
    }
    log.warn({ org, teamSlug, members: members.length }, 'GitHub team larger than read: its first members only');
    return members;
  }

  async function lookUp(appTokens: InstallationTokens, org: string, teamSlug: string): Promise<Member[] | null> {
    const token = await appTokens.forOrg(org);
    if (token === null) return null;
    return fetchMembers(org, teamSlug, token);
  }

  function remember(key: string, answer: Promise<Member[] | null>, until: number): void {
    cache.delete(key);
    cache.set(key, { answer, until });
    for (const [oldest, entry] of cache) {
      if (cache.size <= maxTeams && entry.until > now().getTime()) break;
      cache.delete(oldest);
    }
  }

  return {
    async members({ org, teamSlug }) {
      if (tokens === null) return null;
      const key = `${org}/${teamSlug}`.toLowerCase();
      const cached = cache.get(key);
      if (cached && cached.until > now().getTime()) return copy(await cached.answer);
      const answer = lookUp(tokens, org, teamSlug).catch((err: unknown) => {
        const status = err instanceof GitHubApiError ? err.upstreamStatus : null;
        log.warn({ org, teamSlug, status, reason: errorText(err) }, "could not read a GitHub team's members");
        remember(key, answer, now().getTime() + failureTtlMs);
        return null;
      });
      remember(key, answer, now().getTime() + ttlMs);
      return copy(await answer);
    },
  };
}

function toMember(raw: unknown): Member | null {
  const { id, login } = toRecord(raw);
  return typeof id === 'number' && typeof login === 'string' && login !== '' ? { id, login } : null;
}

/** Each caller gets its own list, so one cannot change what the cache hands the next. */
const copy = (members: Member[] | null): Member[] | null => (members === null ? null : members.map((m) => ({ ...m })));

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
