import type { Express, Request, Response } from 'express';
import type { Logger } from '../../log.js';
import { renderLinkOutcome } from './link-pages.js';
import { createLinkResult, LINKED_PATH } from './link-result.js';
import type { LinkOutcome, LinkRedirect, LinkService } from './link-service.js';
import { queryString, readCookie } from '../../shared/request-fields.js';

export const LINK_START_PATH = '/link';
export const SLACK_OIDC_CALLBACK_PATH = '/slack/oidc/callback';
export const GITHUB_CALLBACK_PATH = '/github/oauth/callback';
const COOKIE = 'pr_notifier_link';
const COOKIE_MAX_AGE_MS = 15 * 60 * 1000;

/**
 * The browser's path through the identity link: the link from `/notify link`, Sign in with Slack's callback, then
 * GitHub's. Thin: read the query and the link cookie, run one step, redirect or show the page.
 */
export function mountLinkRoutes(options: {
  app: Express;
  link: LinkService;
  command: string;
  secureCookies: boolean;
  log: Logger;
}): void {
  const { app, link, command, secureCookies, log } = options;
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' } as const;
  const linked = createLinkResult({ command, secureCookies });

  const answer = (res: Response, result: LinkRedirect | LinkOutcome) => {
    if (result.kind === 'redirect') {
      if (result.browserSession !== undefined)
        res.cookie(COOKIE, result.browserSession, { ...cookieOptions, maxAge: COOKIE_MAX_AGE_MS });
      return res.redirect(302, result.location);
    }
    // The flow ends here, however it ended: the cookie has done its job.
    res.clearCookie(COOKIE, cookieOptions);
    // Success moves to a page of its own, which a reload shows again (GitHub's code and our state work once).
    if (result.kind === 'linked') return linked.redirect(res, result);
    const page = renderLinkOutcome(result, command);
    res.status(page.status).type('html').send(page.html);
  };
  const route = (path: string, step: (req: Request) => Promise<LinkRedirect | LinkOutcome>) => {
    app.get(path, async (req, res) => {
      try {
        answer(res, await step(req));
      } catch (err) {
        // Our own fault (e.g. Firestore down): nothing was linked, and the page says to try again.
        log.error({ err, path }, 'identity link step failed');
        const page = renderLinkOutcome({ kind: 'internal_error' }, command);
        res.status(page.status).type('html').send(page.html);
      }
    });
  };

  route(LINK_START_PATH, (req) => link.open({ state: queryString(req, 'state') }));
  route(SLACK_OIDC_CALLBACK_PATH, (req) => link.confirmSlack(callbackInput(req)));
  route(GITHUB_CALLBACK_PATH, (req) => link.complete(callbackInput(req)));
  app.get(LINKED_PATH, (req, res) => {
    const page = linked.page(req);
    res.status(page.status).type('html').send(page.html);
  });
}

function callbackInput(req: Request) {
  return {
    state: queryString(req, 'state'),
    code: queryString(req, 'code'),
    error: queryString(req, 'error'),
    browserSession: readCookie(req, COOKIE),
  };
}
