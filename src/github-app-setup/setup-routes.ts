import express, { type Express, type Response } from 'express';
import type { GitHubHttp } from '../github-api/http.js';
import type { Logger } from '../log.js';
import { allowFormPostTo } from '../security-headers.js';
import { buildAppManifest, newAppUrl, SETUP_COMPLETE_PATH, SETUP_PATH } from './app-manifest.js';
import { convertManifestCode } from './manifest-conversion.js';
import type { SetupFlows } from './setup-flows.js';
import {
  renderCreatedPage,
  renderGitHubFormPage,
  renderRefusal,
  renderStartPage,
  type SetupPage,
} from './setup-pages.js';
import type { SetupToken } from './setup-token.js';
import { queryString, readCookie } from '../shared/request-fields.js';

const COOKIE = 'pr_notifier_app_setup';
const ORG_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export interface SetupRouteOptions {
  app: Express;
  token: SetupToken;
  flows: SetupFlows;
  http: GitHubHttp;
  baseUrl: string;
  githubUrl: string;
  githubApiUrl: string;
  /** The Google Cloud project, when known, for the Secret Manager commands. */
  project: string | null;
  log: Logger;
}

/**
 * The GitHub App manifest flow: the start page (token and optional organization), the form that posts the
 * manifest to GitHub, and the page GitHub sends the browser back to, which converts the code and shows the
 * credentials once. Nothing here is stored or logged but the fact that a setup completed.
 */
export function mountSetupRoutes(options: SetupRouteOptions): void {
  const { app, token, flows, log } = options;
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: options.baseUrl.startsWith('https:'),
    path: SETUP_PATH,
  } as const;
  const send = (res: Response, page: SetupPage) => {
    // Credentials and one-time forms must not be kept by the browser or a proxy.
    res.set('Cache-Control', 'no-store').status(page.status).type('html').send(page.html);
  };

  app.get(SETUP_PATH, (_req, res) => send(res, renderStartPage()));

  app.post(SETUP_PATH, express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const body: unknown = req.body;
    const field = (name: string) => formField(body, name);
    if (!token.accepts(field('token'))) return send(res, renderRefusal('bad_token'));
    const orgText = field('org')?.trim() ?? '';
    if (orgText !== '' && !ORG_LOGIN.test(orgText)) return send(res, renderRefusal('bad_org'));
    const org = orgText === '' ? null : orgText;
    const { state, browser } = flows.start();
    const action = newAppUrl({ githubUrl: options.githubUrl, org, state });
    res.cookie(COOKIE, browser, { ...cookieOptions, maxAge: 15 * 60 * 1000 });
    // This page alone may post a form to GitHub; every other response keeps form-action 'self'.
    allowFormPostTo(res, new URL(options.githubUrl).origin);
    send(
      res,
      renderGitHubFormPage({
        action,
        org,
        manifest: buildAppManifest({ baseUrl: options.baseUrl, name: 'PR Notifier' }),
      }),
    );
  });

  app.get(SETUP_COMPLETE_PATH, async (req, res) => {
    res.clearCookie(COOKIE, cookieOptions);
    const code = queryString(req, 'code');
    if (!flows.finish({ state: queryString(req, 'state'), browser: readCookie(req, COOKIE) }) || code === undefined) {
      return send(res, renderRefusal('bad_state'));
    }
    try {
      const result = await convertManifestCode({ http: options.http, apiUrl: options.githubApiUrl, code });
      if (result.kind !== 'created') {
        log.warn({ reason: result.kind }, 'GitHub App setup: the manifest code was not converted');
        return send(res, renderRefusal(result.kind === 'refused' ? 'code_refused' : 'github_failed'));
      }
      token.spend();
      log.info('GitHub App setup completed: its credentials were shown once; store them and deploy again');
      send(res, renderCreatedPage({ app: result.app, githubUrl: options.githubUrl, project: options.project }));
    } catch (err) {
      log.error({ err }, 'GitHub App setup: converting the manifest code failed');
      send(res, renderRefusal('github_failed'));
    }
  });
}

function formField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = Object.getOwnPropertyDescriptor(body, name)?.value;
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}
