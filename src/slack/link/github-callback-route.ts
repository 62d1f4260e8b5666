import type { Express, Request } from 'express';
import type { Logger } from '../../log.js';
import { renderLinkOutcome } from './link-pages.js';
import type { LinkService } from './link-service.js';

export const GITHUB_CALLBACK_PATH = '/github/oauth/callback';

/** GET /github/oauth/callback: thin — read the query, complete the link, show the page. */
export function mountGitHubCallback(options: { app: Express; link: LinkService; log: Logger }): void {
  const { app, link, log } = options;
  app.get(GITHUB_CALLBACK_PATH, async (req, res) => {
    try {
      const outcome = await link.complete({ state: queryString(req, 'state'), code: queryString(req, 'code'), error: queryString(req, 'error') });
      const result = renderLinkOutcome(outcome);
      res.status(result.status).type('html').send(result.html);
    } catch (err) {
      log.error({ err }, 'GitHub link callback failed');
      const result = renderLinkOutcome({ kind: 'github_error', teamId: null, detail: 'an internal error; please try again' });
      res.status(500).type('html').send(result.html);
    }
  });
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
}
