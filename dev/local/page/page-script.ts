/**
 * The local page's script, served as /local/page.js (the page's CSP allows no inline script). It draws everything
 * from /local/state with textContent and createElement only (all text comes from Slack or GitHub and is untrusted;
 * a link's href must be http or https), and redraws when /local/events says something changed.
 */
export const PAGE_SCRIPT = String.raw`'use strict';
(() => {
  const EMOJI = {
    tada: '🎉', x: '❌', white_check_mark: '✅', arrows_counterclockwise: '🔄', speech_balloon: '💬', eyes: '👀',
  };
  const STATE_NAMES = { open: 'open', closed: 'closed' };
  const byId = (id) => document.getElementById(id);
  let model = null;
  let lastPrJson = '';
  let lastChannelsJson = '';

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function inline(pieces) {
    const out = document.createDocumentFragment();
    for (const p of pieces || []) {
      let node;
      if (p.kind === 'link') {
        node = /^https?:\/\//i.test(p.url)
          ? el('a', { href: p.url, rel: 'noopener noreferrer', text: p.text })
          : document.createTextNode(p.text);
        if (p.bold) node = el('strong', {}, [node]);
      } else if (p.kind === 'user' || p.kind === 'special') {
        node = el('span', { className: 'mention', text: '@' + p.name });
      } else if (p.kind === 'channel') {
        node = el('span', { className: 'mention', text: '#' + p.name });
      } else {
        node = p.code ? el('code', { text: p.text }) : document.createTextNode(p.text);
        if (p.italic) node = el('em', {}, [node]);
        if (p.bold) node = el('strong', {}, [node]);
      }
      out.append(node);
    }
    return out;
  }

  function block(b) {
    if (b.kind === 'section') {
      const parts = [el('div', { className: 'block' }, [inline(b.text)])];
      if (b.fields.length > 0) {
        const list = el('dl', { className: 'fields' });
        for (const f of b.fields) {
          list.append(el('div', {}, [el('dt', { text: f.label }), el('dd', {}, [inline(f.value)])]));
        }
        parts.push(list);
      }
      return el('div', {}, parts);
    }
    if (b.kind === 'context') {
      const row = el('div', { className: 'block context' });
      b.elements.forEach((e, i) => {
        if (i > 0) row.append(' · ');
        row.append(inline(e));
      });
      return row;
    }
    if (b.kind === 'header') return el('div', { className: 'block' }, [el('strong', { text: b.text })]);
    return el('hr');
  }

  function message(m) {
    const when = new Date(Number(m.ts) * 1000);
    const head = el('div', {}, [
      el('span', { className: 'who', text: 'PR Notifier' }),
      el('span', { className: 'app', text: 'APP' }),
      el('time', { datetime: when.toISOString(), text: when.toLocaleTimeString() }),
    ]);
    const body = m.blocks.length > 0 ? m.blocks.map(block) : [el('div', { className: 'block', text: m.fallback })];
    const item = el('li', { className: 'message' }, [head, ...body]);
    if (m.edited) item.append(el('span', { className: 'edited', text: '(edited)' }));
    if (m.reactions.length > 0) {
      const counts = new Map();
      for (const r of m.reactions) counts.set(r, (counts.get(r) || 0) + 1);
      const list = el('ul', { className: 'reactions', 'aria-label': 'Reactions' });
      for (const [name, count] of counts) {
        list.append(el('li', { title: ':' + name + ':', 'aria-label': name.replace(/_/g, ' ') + ' ' + count, text: (EMOJI[name] || ':' + name + ':') + ' ' + count }));
      }
      item.append(list);
    }
    if (m.replies && m.replies.length > 0) {
      const label = m.replies.length + (m.replies.length === 1 ? ' reply' : ' replies');
      const thread = el('ul', { className: 'messages thread', 'aria-label': label });
      for (const r of m.replies) thread.append(message(r));
      item.append(el('div', { className: 'thread-count', text: label }), thread);
    }
    return item;
  }

  function renderChannels() {
    const json = JSON.stringify(model.workspaces);
    if (json === lastChannelsJson) return;
    lastChannelsJson = json;
    const root = byId('workspaces');
    root.replaceChildren();
    if (model.workspaces.length === 0) root.append(el('p', { className: 'empty', text: 'No workspace yet.' }));
    for (const ws of model.workspaces) {
      const section = el('section', { className: 'workspace', 'aria-label': ws.teamName }, [el('h3', { text: ws.teamName })]);
      for (const c of ws.channels) {
        const flags = [c.archived ? 'archived' : '', c.isPrivate && !c.isDirect ? 'private' : '', c.botIsMember || c.isDirect ? '' : 'app not in channel'].filter(Boolean);
        const title = el('h4', { text: c.isDirect ? 'Direct message ' + c.name : '#' + c.name });
        if (flags.length > 0) title.append(' ', el('span', { className: 'flags', text: '(' + flags.join(', ') + ')' }));
        const list = el('ul', { className: 'messages' });
        for (const m of c.messages) list.append(message(m));
        const channel = el('div', { className: 'channel', 'data-channel': c.channelId }, [title]);
        channel.append(c.messages.length > 0 ? list : el('p', { className: 'empty', text: 'No messages from the app yet.' }));
        section.append(channel);
      }
      root.append(section);
    }
  }

  function fillSelect(select, options) {
    const keep = select.value;
    const json = JSON.stringify(options);
    if (select.dataset.options === json) return;
    select.dataset.options = json;
    select.replaceChildren(...options.map((o) => el('option', { value: o.value, text: o.label })));
    if (options.some((o) => o.value === keep)) select.value = keep;
  }

  function renderForms() {
    byId('command-name').textContent = model.command;
    const channels = [];
    const people = [];
    for (const ws of model.workspaces) {
      const prefix = model.workspaces.length > 1 ? ws.teamName + ' · ' : '';
      for (const c of ws.commandChannels) channels.push({ value: ws.workspaceId + '/' + c.id, label: prefix + '#' + c.name });
      for (const p of ws.people) people.push({ value: ws.workspaceId + '/' + p.id, label: prefix + p.name });
    }
    const firstFill = !byId('command-channel').dataset.options;
    fillSelect(byId('command-channel'), channels);
    // Start where pull requests are meant to go.
    const prs = channels.find((c) => c.label.endsWith('#pull-requests'));
    if (firstFill && prs) byId('command-channel').value = prs.value;
    fillSelect(byId('command-user'), people);
    fillSelect(byId('pr-repo'), model.repos.map((r) => ({ value: r.fullName, label: r.fullName + (r.private ? ' (private)' : ' (public)') })));
    const gh = model.githubPeople.map((p) => ({ value: p.login, label: p.login + ' (' + p.name + ')' }));
    fillSelect(byId('pr-author'), gh);
    fillSelect(byId('pr-reviewer'), gh);
    if (byId('pr-reviewer').selectedIndex === 0 && gh.length > 1 && !byId('pr-reviewer').dataset.touched) byId('pr-reviewer').selectedIndex = 1;
  }

  function prButtons(pr) {
    const open = pr.state === 'open';
    const can = {
      ready: open && pr.draft,
      to_draft: open && !pr.draft,
      approve: open,
      request_changes: open,
      merge: open && !pr.draft,
      close: open,
      reopen: !open && !pr.merged,
    };
    const labels = {
      ready: 'Ready for review', to_draft: 'Convert to draft', approve: 'Approve', request_changes: 'Request changes',
      merge: 'Merge', close: 'Close', reopen: 'Reopen',
    };
    const row = el('div', { className: 'buttons' });
    for (const [action, label] of Object.entries(labels)) {
      if (!can[action]) continue;
      const button = el('button', { type: 'button', text: label, 'aria-label': label + ' #' + pr.number + ' in ' + pr.repo });
      button.addEventListener('click', () => play({ action, repo: pr.repo, number: pr.number, login: action === 'approve' || action === 'request_changes' ? byId('pr-reviewer').value : undefined }));
      row.append(button);
    }
    return row;
  }

  function renderPrs() {
    const json = JSON.stringify(model.pullRequests);
    if (json === lastPrJson) return;
    lastPrJson = json;
    const list = byId('pr-list');
    list.replaceChildren();
    if (model.pullRequests.length === 0) list.append(el('li', { className: 'empty', text: 'None yet: open one above.' }));
    for (const pr of [...model.pullRequests].reverse()) {
      const state = pr.state === 'closed' ? (pr.merged ? 'merged' : 'closed') : pr.draft ? 'draft' : STATE_NAMES.open;
      const item = el('li', { 'data-pr': pr.repo + '#' + pr.number }, [
        el('div', { className: 'pr-title', text: pr.repo + ' #' + pr.number + ' ' + pr.title }),
        el('div', { className: 'pr-state', text: state + ' · by ' + pr.author.login + (pr.history.length > 0 ? ' · last: ' + pr.history[pr.history.length - 1] : '') }),
        prButtons(pr),
      ]);
      if (pr.state === 'open') {
        const id = 'title-' + pr.repo.replace(/[^a-z0-9]/gi, '-') + '-' + pr.number;
        const input = el('input', { id, type: 'text', value: pr.title, autocomplete: 'off' });
        const edit = el('button', { type: 'button', text: 'Edit title' });
        edit.addEventListener('click', () => play({ action: 'edit_title', repo: pr.repo, number: pr.number, title: input.value }));
        item.append(el('div', { className: 'title-edit' }, [el('label', { for: id, className: 'visually-hidden', text: 'New title for #' + pr.number }), input, edit]));
      }
      list.append(item);
    }
  }

  function render() {
    renderForms();
    renderPrs();
    renderChannels();
  }

  let refreshing = null;
  let again = false;
  async function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = (async () => {
      try {
        const res = await fetch('/local/state', { cache: 'no-store' });
        if (res.ok) { model = await res.json(); render(); }
      } finally {
        refreshing = null;
        if (again) { again = false; void refresh(); }
      }
    })();
    return refreshing;
  }

  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => ({}));
    return { ok: res.ok, data };
  }

  function say(target, text, isError) {
    target.className = 'reply' + (isError ? ' error' : '');
    target.textContent = text;
  }

  async function play(body) {
    const status = byId('pr-status');
    say(status, 'Sending the webhook…', false);
    const { ok, data } = await post('/local/pull-requests', body);
    if (ok) say(status, 'GitHub sent: ' + data.pr.repo + ' #' + data.pr.number + ' ' + data.label + ' (the app answered ' + data.status + ').', false);
    else say(status, data.error || 'That did not work.', true);
    await refresh();
  }

  function start() {
    byId('pr-reviewer').addEventListener('change', (e) => { e.target.dataset.touched = '1'; });
    byId('command-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const [workspaceId, channelId] = byId('command-channel').value.split('/');
      const [userWorkspace, userId] = byId('command-user').value.split('/');
      const reply = byId('command-reply');
      if (userWorkspace !== workspaceId) return say(reply, 'Choose a person of the same workspace as the channel.', true);
      say(reply, 'Sending…', false);
      const { ok, data } = await post('/local/command', { workspaceId, channelId, userId, text: byId('command-text').value });
      if (!ok) return say(reply, data.error || 'That did not work.', true);
      reply.className = 'reply ephemeral';
      reply.replaceChildren(el('span', { className: 'only-you', text: 'Only visible to you' }), inline(data.inline));
      if (!data.text) reply.append('(no reply; the app answered HTTP ' + data.status + ')');
      await refresh();
    });
    byId('pr-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const action = event.submitter && event.submitter.dataset.open === 'open_draft' ? 'open_draft' : 'open';
      void play({ action, repo: byId('pr-repo').value, login: byId('pr-author').value, title: byId('pr-title').value });
    });
    const events = new EventSource('/local/events');
    events.addEventListener('change', () => void refresh());
    events.addEventListener('error', () => { byId('live-note').textContent = 'Live updates paused; retrying…'; });
    events.addEventListener('open', () => { byId('live-note').textContent = 'Updates by itself while the app works.'; });
    // A safety net: a missed event is caught up within a few seconds.
    setInterval(() => void refresh(), 5000);
    void refresh();
  }

  start();
})();
`;
