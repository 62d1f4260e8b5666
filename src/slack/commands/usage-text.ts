import { MAX_REPOS_PER_COMMAND } from './parse-route-args.js';

/** The `/notify` help text (mrkdwn), shown for `help`, an empty command and after any usage error. */
export function renderUsage(command: string): string {
  return [
    '*PR Notifier* posts GitHub pull requests to Slack and keeps each message up to date.',
    `• \`${command} link\` connect your GitHub account (a one-time link, valid 15 minutes)`,
    `• \`${command} unlink\` disconnect your GitHub account`,
    `• \`${command} channel #channel\` where PRs you open are announced`,
    `• \`${command} subscribe owner/repo [#channel]\` post this repo's PRs here (or in #channel), only those passing the filters that follow, if any; each channel keeps its own`,
    `• \`${command} filter owner/repo [#channel] filters\` choose which PRs a channel gets (\`none\` clears them)`,
    `• \`${command} unsubscribe owner/repo [#channel]\` stop posting this repo's PRs in this workspace (or only in #channel)`,
    `   a whole account: \`${command} subscribe octo-org [#channel] [filters]\` follows every public repository of \`octo-org\` (shown as \`octo-org/*\`); \`${command} unsubscribe octo-org/repo\` leaves one out`,
    `   several repos at once: \`${command} subscribe owner/a owner/b [#channel] [filters]\` (the same for \`unsubscribe\`), up to ${MAX_REPOS_PER_COMMAND}, each answered on its own line`,
    `   filters: \`+label:"needs review"\` \`-label:wip\` \`base:release/*\` \`author:alice\` \`-author:renovate[bot]\` \`bots:on\` \`drafts:on\``,
    `• \`${command} list\` this workspace's subscriptions, each channel with its filters`,
    `• \`${command} notifications on|off\` whether PRs you open are announced automatically`,
    `• \`${command} reviews thread|dm|off\` when your review is requested: a mention in the PR's thread, a direct message, or nothing`,
    `• \`${command} news on|off\` a direct message when a PR you opened is approved, gets changes requested or is merged`,
    `• \`${command} settings [#channel] [threads:on|off]\` show this channel's (or #channel's) settings, or change them: with threads on, a PR's reviews, merges and other activity go as replies in its thread`,
    `• \`${command} digest #channel HH:MM Area/City [weekdays|daily|mon,tue,…] [after:24h]\` a daily list of the channel's pull requests waiting for review (\`off\` stops it, \`now\` sends it at once, nothing after the channel shows it)`,
    `• \`${command} status\` your link, channel and settings`,
    `• \`${command} help\` this text`,
  ].join('\n');
}
