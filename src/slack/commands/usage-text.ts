/** The `/notify` help text (mrkdwn), shown for `help`, an empty command and after any usage error. */
export function renderUsage(command: string): string {
  return [
    '*PR Notifier* posts GitHub pull requests to Slack and keeps each message up to date.',
    `• \`${command} link\` connect your GitHub account (a one-time link, valid 15 minutes)`,
    `• \`${command} unlink\` disconnect your GitHub account`,
    `• \`${command} channel #channel\` where PRs you open are announced`,
    `• \`${command} subscribe owner/repo [#channel]\` post this repo's PRs here (or in #channel)`,
    `• \`${command} unsubscribe owner/repo\` stop posting this repo's PRs in this workspace`,
    `• \`${command} list\` this workspace's subscriptions`,
    `• \`${command} notifications on|off\` whether PRs you open are announced automatically`,
    `• \`${command} status\` your link, channel and settings`,
    `• \`${command} help\` this text`,
  ].join('\n');
}
