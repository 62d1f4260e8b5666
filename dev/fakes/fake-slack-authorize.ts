import type { ServerResponse } from 'node:http';
import type { FakeOAuthGrants } from './fake-slack-oauth.js';

/**
 * The consent page at SLACK_AUTHORIZE_URL. With a code prepared by createOAuthCode it "approves" at once and
 * redirects to `redirect_uri` with that code and the state, as Slack does after the user clicks Allow; without
 * one it shows a page, so an install test can also just check where it was sent.
 */
export function handleAuthorize(c: { url: URL; res: ServerResponse; clientId: string; grants: FakeOAuthGrants }): void {
  const { url, res } = c;
  const html = (status: number, text: string) => {
    res
      .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><p>${escapeHtml(text)}</p>`);
  };
  if (url.searchParams.get('client_id') !== c.clientId) return html(400, 'invalid_client_id');
  const redirectUri = url.searchParams.get('redirect_uri');
  if (!redirectUri) return html(400, 'bad_redirect_uri: this fake needs redirect_uri');
  const code = c.grants.nextConsentCode();
  if (!code) return html(200, `Fake Slack consent page for scopes ${url.searchParams.get('scope') ?? ''}`);
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  const state = url.searchParams.get('state');
  if (state !== null) target.searchParams.set('state', state);
  res.writeHead(302, { location: target.toString() }).end();
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
