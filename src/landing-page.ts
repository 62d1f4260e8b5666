import { STYLESHEET_PATH } from './page-stylesheet.js';
import { SETUP_GUIDE_PATH } from './setup-page.js';

/** The public landing page: what the app does and the "Add to Slack" button. */
export function renderLandingPage(command: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PR Notifier for Slack</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
<h1>PR Notifier</h1>
<p>Pull requests from GitHub, in the Slack channels where your team already works.</p>
<ul>
  <li>One message per pull request, kept up to date as it is edited, reviewed, merged or closed &mdash; no channel spam.</li>
  <li>Reactions show review state at a glance: approved, changes requested, commented, merged.</li>
  <li>Authors are mentioned in Slack once they link their GitHub account with <code>${command} link</code>.</li>
  <li>Subscribe a channel to a repository with <code>${command} subscribe owner/repo</code>, or let the PRs you open subscribe your default channel automatically.</li>
</ul>
<a class="button add" href="/slack/install">Add to Slack</a>
<h2>Getting started</h2>
<ol>
  <li>Add the app to your Slack workspace with the button above.</li>
  <li>In Slack, run <code>${command} link</code> to connect your GitHub account, and <code>${command} channel #your-team</code> to choose where your PRs go.</li>
  <li>Run <code>${command} subscribe owner/repo</code> in a channel to follow a repository there. <code>${command} help</code> lists everything.</li>
</ol>
<p>Operators: the <a href="${SETUP_GUIDE_PATH}">set-up guide</a> lists what to register with Slack and GitHub for this deployment; the project README covers deploying and Firestore.</p>
</main>
</body>
</html>`;
}
