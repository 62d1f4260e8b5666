import { STYLESHEET_PATH } from '../page-stylesheet.js';
import { escapeHtml } from '../slack/pages/html-page.js';
import type { AppManifest } from './app-manifest.js';
import { SETUP_PATH } from './app-manifest.js';
import type { CreatedApp } from './manifest-conversion.js';
import { renderSecretCreateCommands } from './secret-commands.js';

export interface SetupPage {
  status: number;
  html: string;
}

/** Page skeleton shared by the setup pages: no inline style or script (the CSP allows only the stylesheet). */
function page(options: {
  status: number;
  title: string;
  tone: 'success' | 'failure' | 'neutral';
  body: string;
}): SetupPage {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(options.title)} · PR Notifier</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body class="result ${options.tone}">
<main>
<h1>${escapeHtml(options.title)}</h1>
${options.body}
</main>
</body>
</html>`;
  return { status: options.status, html };
}

const p = (text: string) => `<p>${escapeHtml(text)}</p>`;

export function renderStartPage(): SetupPage {
  return page({
    status: 200,
    title: 'Create the GitHub App',
    tone: 'neutral',
    body: `${p('This creates the GitHub App that sends pull request events to this service, in one step on GitHub. Enter the one-time setup token from the server start-up log (the line "GitHub App setup").')}
<form method="post" action="${SETUP_PATH}">
<p><label for="token">Setup token</label><br><input id="token" name="token" type="password" autocomplete="off" required></p>
<p><label for="org">Organization (leave empty to create the App on your own account)</label><br><input id="org" name="org" type="text" autocomplete="off"></p>
<p><button class="button" type="submit">Continue</button></p>
</form>`,
  });
}

export function renderGitHubFormPage(options: {
  action: string;
  manifest: AppManifest;
  org: string | null;
}): SetupPage {
  const owner = options.org === null ? 'your GitHub account' : `the organization ${options.org}`;
  return page({
    status: 200,
    title: 'Create the GitHub App on GitHub',
    tone: 'neutral',
    body: `${p(`GitHub will create the App "${options.manifest.name}" on ${owner}: webhook ${options.manifest.hook_attributes.url}, read access to pull requests and metadata, events pull_request and pull_request_review. You can rename it on GitHub's page if the name is taken.`)}
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(options.manifest))}">
<p><button class="button" type="submit">Create the GitHub App on GitHub</button></p>
</form>`,
  });
}

/** The App's credentials, shown this once, with the commands that store them. */
export function renderCreatedPage(options: { app: CreatedApp; githubUrl: string; project: string | null }): SetupPage {
  const { app, githubUrl, project } = options;
  const values = [
    { name: 'GITHUB_APP_ID', value: String(app.id) },
    { name: 'GITHUB_CLIENT_ID', value: app.clientId },
    { name: 'GITHUB_CLIENT_SECRET', value: app.clientSecret },
    { name: 'GITHUB_WEBHOOK_SECRET', value: app.webhookSecret },
    { name: 'GITHUB_APP_PRIVATE_KEY', value: app.pem },
  ];
  const secretCommands = renderSecretCreateCommands({ values, project }).join('\n');
  // .env lines are single-line: the private key goes in as base64 of the PEM, which the configuration accepts.
  const envLines = values
    .map(
      ({ name, value }) =>
        `${name}=${name === 'GITHUB_APP_PRIVATE_KEY' ? Buffer.from(value, 'utf8').toString('base64') : value}`,
    )
    .join('\n');
  const installUrl = `${githubUrl}/apps/${encodeURIComponent(app.slug)}/installations/new`;
  const pre = (text: string) => `<pre>\n${escapeHtml(text)}\n</pre>`;
  return page({
    status: 200,
    title: 'GitHub App created',
    tone: 'success',
    body: `${p('Copy these now: this page is shown once and nothing of it is kept by this service. GitHub will not show the client secret or the private key again (you can make new ones in the App settings).')}
<dl>
<dt>App id</dt><dd><code>${escapeHtml(String(app.id))}</code></dd>
<dt>Client id</dt><dd><code>${escapeHtml(app.clientId)}</code></dd>
<dt>Client secret</dt><dd><code>${escapeHtml(app.clientSecret)}</code></dd>
<dt>Webhook secret</dt><dd><code>${escapeHtml(app.webhookSecret)}</code></dd>
</dl>
<h2>Private key</h2>
${pre(app.pem)}
<h2>Store them in Secret Manager</h2>
${p(`Run these, then run the deploy command again (npm run deploy -- --project ${project ?? 'PROJECT_ID'} --region REGION): it finds the new secrets and gives them to the service.`)}
${pre(secretCommands)}
<h2>Or, running it locally: lines for .env</h2>
${pre(envLines)}
<h2>Install the App</h2>
${p('Install it on the repositories whose pull requests should reach Slack. Deliveries reach this service once it runs with the webhook secret above.')}
<a class="button" href="${escapeHtml(installUrl)}">Install the App on GitHub</a>
<a class="button" href="${escapeHtml(app.htmlUrl)}">App settings on GitHub</a>`,
  });
}

export type RefusalReason = 'bad_token' | 'bad_org' | 'bad_state' | 'code_refused' | 'github_failed';

export function renderRefusal(reason: RefusalReason): SetupPage {
  const pages: Record<RefusalReason, { status: number; title: string; text: string }> = {
    bad_token: {
      status: 403,
      title: 'Setup token refused',
      text: 'The setup token is wrong, or an App was already created with it. The token is in the server start-up log (the line "GitHub App setup"); after a completed setup, restarting the server prints a new one.',
    },
    bad_org: {
      status: 400,
      title: 'Organization name not valid',
      text: 'An organization login has up to 39 letters, digits or hyphens. Leave it empty to create the App on your own account.',
    },
    bad_state: {
      status: 400,
      title: 'This setup link was already used or has expired',
      text: 'Nothing was created here. A setup link works once, for 15 minutes, in the browser that started it. Start again from the setup page.',
    },
    code_refused: {
      status: 400,
      title: 'GitHub refused the code',
      text: 'The code from GitHub was already used or has expired (they last one hour). If the App was created, delete it in your GitHub settings and start again from the setup page.',
    },
    github_failed: {
      status: 502,
      title: 'GitHub did not answer',
      text: 'GitHub could not be reached or answered with an error. Start again from the setup page in a moment.',
    },
  };
  const { status, title, text } = pages[reason];
  return page({
    status,
    title,
    tone: 'failure',
    body: `${p(text)}\n<a class="button" href="${SETUP_PATH}">Back to the setup page</a>`,
  });
}
