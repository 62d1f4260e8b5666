import { accountTarget } from '../../domain/account-subscription.js';

/** A repository as typed by a user, checked against GitHub's naming rules; or a whole account (`name` is `*`). */
export interface RepoName {
  owner: string;
  name: string;
  /** `owner/name` as the user spelled it (lookups are case-insensitive); `owner/*` for an account. */
  fullName: string;
}

// GitHub: owners are 1-39 alphanumerics or single hyphens, not starting with a hyphen;
// repos are 1-100 of letters, digits, `.`, `-`, `_`, and never `.` or `..`.
const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export type ParsedRepo = { ok: true; repo: RepoName } | { ok: false; reason: string };

/** A GitHub account name (user or organization). */
export function isOwnerName(text: string): boolean {
  return OWNER.test(text) && !text.endsWith('-');
}

/**
 * Accepts `owner/repo`, a pasted repository URL (`https://github.com/owner/repo`, Slack may wrap it in `<>`), and a
 * whole account: `owner`, `owner/*` or its URL.
 */
export function parseRepo(input: string): ParsedRepo {
  let text = input.trim();
  const link = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text);
  if (link) text = link[1]!;
  const url = /^https?:\/\/[^/]+\/([^/]+\/[^/?#]+?)(?:\.git)?\/?(?:[?#].*)?$/.exec(text);
  if (url) text = url[1]!;
  const accountUrl = /^https?:\/\/[^/]+\/([^/?#]+)\/?(?:[?#].*)?$/.exec(text);
  if (accountUrl) text = accountUrl[1]!;
  const account = /^([^/]+)(?:\/\*)?$/.exec(text)?.[1];
  if (account !== undefined && isOwnerName(account))
    return { ok: true, repo: { owner: account, name: '*', fullName: accountTarget(account) } };
  const parts = text.split('/');
  if (parts.length !== 2)
    return {
      ok: false,
      reason: `\`${input.trim()}\` is not a repository: write it as \`owner/repo\` (or \`owner\` for all of an account's repositories).`,
    };
  const [owner, name] = parts as [string, string];
  if (!isOwnerName(owner)) {
    return {
      ok: false,
      reason: `\`${owner}\` is not a valid GitHub owner name (letters, digits and single hyphens, at most 39).`,
    };
  }
  if (!REPO.test(name) || name === '.' || name === '..') {
    return {
      ok: false,
      reason: `\`${name}\` is not a valid GitHub repository name (letters, digits, \`.\`, \`-\`, \`_\`, at most 100).`,
    };
  }
  return { ok: true, repo: { owner, name, fullName: `${owner}/${name}` } };
}
