/** Slack mrkdwn control characters: escaping them keeps `<!channel>` or a fake link in a title inert. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
