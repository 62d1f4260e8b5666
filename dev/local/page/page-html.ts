/**
 * The local page's markup: static, no data in it (the script fills it from /local/state with textContent only).
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PR Notifier – local mode</title>
<link rel="stylesheet" href="/local/page.css">
<script src="/local/page.js" defer></script>
</head>
<body>
<header class="intro">
  <h1>PR Notifier <span class="badge">local mode</span></h1>
  <p>PR Notifier posts each GitHub pull request into the Slack channels that follow its repository, as one message
  that it keeps up to date while the pull request is reviewed, merged or closed (with ✅, 🔄, 🎉 or ❌ reactions).
  Here nothing reaches the real Slack or GitHub: a <strong>local Slack</strong>, whose channels this page shows the
  way Slack would, and a <strong>local GitHub</strong>, which the buttons below make send the webhooks GitHub would,
  stand in for them. Try it: subscribe a channel with the command box, open a pull request, approve it, merge it,
  and watch its message change.</p>
</header>
<main class="layout">
  <div class="controls">
    <section aria-labelledby="command-heading" class="card">
      <h2 id="command-heading">1. Type a command</h2>
      <form id="command-form">
        <div class="field"><label for="command-channel">In channel</label><select id="command-channel" required></select></div>
        <div class="field"><label for="command-user">As</label><select id="command-user" required></select></div>
        <div class="field">
          <label for="command-text">Command</label>
          <div class="command-line"><span id="command-name" class="command-name">/notify</span><input id="command-text" type="text" value="subscribe octo-org/hello-world" autocomplete="off" spellcheck="false"></div>
          <p class="hint">Try <code>help</code>, <code>list</code>, <code>status</code>, <code>link</code>, <code>subscribe octo-org/hello-world</code>.</p>
        </div>
        <button type="submit" class="primary">Send</button>
      </form>
      <div id="command-reply" class="reply" role="status" aria-live="polite"></div>
    </section>
    <section aria-labelledby="pr-heading" class="card">
      <h2 id="pr-heading">2. Play a pull request</h2>
      <form id="pr-form">
        <div class="field"><label for="pr-repo">Repository</label><select id="pr-repo"></select></div>
        <div class="field"><label for="pr-author">Author (GitHub)</label><select id="pr-author"></select></div>
        <div class="field"><label for="pr-title">Title</label><input id="pr-title" type="text" value="Add a friendly greeting" autocomplete="off"></div>
        <div class="field"><label for="pr-reviewer">Reviewer for the review buttons</label><select id="pr-reviewer"></select></div>
        <div class="buttons">
          <button type="submit" class="primary" data-open="open">Open pull request</button>
          <button type="submit" data-open="open_draft">Open as draft</button>
        </div>
      </form>
      <div id="pr-status" class="reply" role="status" aria-live="polite"></div>
      <h3>Pull requests on the local GitHub</h3>
      <ul id="pr-list" class="pr-list"></ul>
    </section>
  </div>
  <section aria-labelledby="channels-heading" class="channels">
    <h2 id="channels-heading">3. What Slack shows</h2>
    <p class="hint" id="live-note">Updates by itself while the app works.</p>
    <div id="workspaces"></div>
  </section>
</main>
</body>
</html>
`;
