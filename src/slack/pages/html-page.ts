import { STYLESHEET_PATH } from '../../page-stylesheet.js';

/** One small HTML page for the OAuth results; every dynamic value is escaped. */
export interface PageContent {
  title: string;
  /** Plain-text paragraphs. */
  paragraphs: string[];
  links?: Array<{ href: string; text: string }>;
  tone: 'success' | 'failure' | 'neutral';
}

export function renderHtmlPage(content: PageContent): string {
  const paragraphs = content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const links = (content.links ?? [])
    .map((l) => `<a class="button" href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`)
    .join('\n');
  // No inline style or script: the Content-Security-Policy (security-headers.ts) allows only the served stylesheet.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)} · PR Notifier</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body class="result ${content.tone}">
<main>
<h1>${escapeHtml(content.title)}</h1>
${paragraphs}
${links}
</main>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Links back into Slack: the desktop app, and the web client as a fallback. */
export function slackLinks(workspaceId: string | null): Array<{ href: string; text: string }> {
  if (workspaceId === null) return [{ href: 'https://app.slack.com/client', text: 'Open Slack' }];
  return [
    { href: `slack://open?team=${encodeURIComponent(workspaceId)}`, text: 'Open Slack' },
    { href: `https://app.slack.com/client/${encodeURIComponent(workspaceId)}`, text: 'Open Slack in the browser' },
  ];
}
