/** One small, self-contained HTML page for the OAuth results; every dynamic value is escaped. */
export interface PageContent {
  title: string;
  /** Plain-text paragraphs. */
  paragraphs: string[];
  links?: Array<{ href: string; text: string }>;
  tone: 'success' | 'failure';
}

export function renderHtmlPage(content: PageContent): string {
  const color = content.tone === 'success' ? '#2eb67d' : '#e01e5a';
  const paragraphs = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const links = (content.links ?? [])
    .map((l) => `<a class="button" href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)} · PR Notifier</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1c1d; }
  h1 { font-size: 1.6rem; border-left: 6px solid ${color}; padding-left: .75rem; }
  .button { display: inline-block; margin: 1rem 1rem 0 0; padding: .6rem 1rem; background: #4a154b; color: #fff; border-radius: 6px; text-decoration: none; }
</style>
</head>
<body>
<h1>${escapeHtml(content.title)}</h1>
${paragraphs}
${links}
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Links back into Slack: the desktop app, and the web client as a fallback. */
export function slackLinks(teamId: string | null): Array<{ href: string; text: string }> {
  if (teamId === null) return [{ href: 'https://app.slack.com/client', text: 'Open Slack' }];
  return [
    { href: `slack://open?team=${encodeURIComponent(teamId)}`, text: 'Open Slack' },
    { href: `https://app.slack.com/client/${encodeURIComponent(teamId)}`, text: 'Open Slack in the browser' },
  ];
}
