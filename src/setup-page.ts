import { SETUP_PATH, WEBHOOK_PATH } from './github-app-setup/app-manifest.js';
import { USED_EVENTS } from './github/to-pr-event.js';
import { STYLESHEET_PATH } from './page-stylesheet.js';
import { EVENTS_PATH, REDIRECT_PATH } from './slack/bolt-app.js';
import { GITHUB_CALLBACK_PATH, SLACK_OIDC_CALLBACK_PATH } from './slack/link/link-routes.js';
import { escapeHtml } from './slack/pages/html-page.js';

export const SETUP_GUIDE_PATH = '/setup';

/**
 * The operator's set-up guide, linked from the landing page: what to register with Slack and GitHub, filled in with
 * this deployment's own URLs (from the same constants the routes and the manifests use). Nothing in it is secret.
 */
export function renderSetupGuide(options: { baseUrl: string; command: string }): string {
  const url = (path: string) => `<code>${escapeHtml(`${options.baseUrl}${path}`)}</code>`;
  const command = escapeHtml(options.command);
  const events = USED_EVENTS.map((e) => `<code>${e}</code>`).join(' and ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set-up guide · PR Notifier</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
<h1>Setting up PR Notifier</h1>
<p>For the operator of this deployment. Every URL below is this service's own.</p>
<h2>1. The Slack app</h2>
<ol>
  <li>Print the app's manifest with <code>npm run manifest -- --base-url ${escapeHtml(options.baseUrl)}</code> (it registers the command set in <code>SLACK_COMMAND</code>, here <code>${command}</code>) and paste it at api.slack.com/apps: <em>Create New App → From a manifest</em>.</li>
  <li>It sends Slack's requests (events, the ${command} command, interactivity) to ${url(EVENTS_PATH)}, and allows the redirect URLs ${url(REDIRECT_PATH)} and ${url(SLACK_OIDC_CALLBACK_PATH)}.</li>
  <li>Give this service the app's <code>SLACK_CLIENT_ID</code>, <code>SLACK_CLIENT_SECRET</code> and <code>SLACK_SIGNING_SECRET</code>, then <em>Manage Distribution → Activate Public Distribution</em> to add it to other workspaces.</li>
</ol>
<h2>2. GitHub</h2>
<ul>
  <li>A GitHub App in one step: <a href="${SETUP_PATH}">the GitHub App set-up page</a>, with the one-time token this service prints in its log. It is there only while no App is configured (<code>GITHUB_APP_ID</code> unset).</li>
  <li>Or by hand: a webhook to ${url(WEBHOOK_PATH)}, content type <code>application/json</code>, secret <code>GITHUB_WEBHOOK_SECRET</code>, events ${events}; and an OAuth callback URL ${url(GITHUB_CALLBACK_PATH)} for <code>GITHUB_CLIENT_ID</code> and <code>GITHUB_CLIENT_SECRET</code>.</li>
</ul>
<h2>3. Check it</h2>
<p>${url('/healthz')} answers 200 while the service runs, and ${url('/readyz')} once Firestore answers. Then add the app from <a href="/">the front page</a> and run <code>${command} subscribe owner/repo</code> in a channel.</p>
</main>
</body>
</html>`;
}
