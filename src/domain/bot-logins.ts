/**
 * Well-known bot accounts. GitHub App bots (`name[bot]`) carry `type: "Bot"` anyway; this list also catches the
 * bots that run as ordinary user accounts, which GitHub reports as `User`.
 */
const BOT_LOGINS = new Set([
  'dependabot[bot]',
  'dependabot-preview[bot]',
  'dependabot',
  'renovate[bot]',
  'renovate-bot',
  'github-actions[bot]',
  'greenkeeper[bot]',
  'greenkeeperio-bot',
  'snyk-bot',
  'pyup-bot',
  'depfu[bot]',
  'mergify[bot]',
  'imgbot[bot]',
  'allcontributors[bot]',
  'pre-commit-ci[bot]',
  'codecov[bot]',
  'whitesource-bolt-for-github[bot]',
  'mend-bolt-for-github[bot]',
]);

/** A login from the shipped list, or any GitHub App bot (`…[bot]`). Case-insensitive, as logins are. */
export function isBotLogin(login: string): boolean {
  const lower = login.toLowerCase();
  return BOT_LOGINS.has(lower) || lower.endsWith('[bot]');
}
