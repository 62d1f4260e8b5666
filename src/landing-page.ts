/** The public landing page: what the app does and the "Add to Slack" button. */
export function renderLandingPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PR Notifier for Slack</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1c1d; }
  h1 { font-size: 2rem; margin-bottom: .25rem; }
  .add { display: inline-block; margin: 1.5rem 0; padding: .75rem 1.25rem; background: #4a154b; color: #fff; border-radius: 6px; text-decoration: none; font-weight: 600; }
  code { background: #f4f4f4; padding: 0 .25rem; border-radius: 3px; }
</style>
</head>
<body>
<h1>PR Notifier</h1>
<p>Pull requests from GitHub, in the Slack channels where your team already works.</p>
<ul>
  <li>One message per pull request, kept up to date as it is edited, reviewed, merged or closed &mdash; no channel spam.</li>
  <li>Reactions show review state at a glance: approved, changes requested, commented, merged.</li>
  <li>Authors are mentioned in Slack once they link their GitHub account with <code>/notify link</code>.</li>
  <li>Subscribe a channel to a repository with <code>/notify subscribe owner/repo</code>, or let the PRs you open subscribe your default channel automatically.</li>
</ul>
<a class="add" href="/slack/install">Add to Slack</a>
<h2>Getting started</h2>
<ol>
  <li>Add the app to your Slack workspace with the button above.</li>
  <li>In Slack, run <code>/notify link</code> to connect your GitHub account, and <code>/notify channel #your-team</code> to choose where your PRs go.</li>
  <li>Run <code>/notify subscribe owner/repo</code> in a channel to follow a repository there. <code>/notify help</code> lists everything.</li>
</ol>
<p>Operators: see the project README for setting up the Slack app, the GitHub webhook or App, and Firestore.</p>
</body>
</html>`;
}
