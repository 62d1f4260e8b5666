import express, { type ErrorRequestHandler, type Express } from 'express';
import { accessLog } from './access-log.js';
import { httpStatusOf } from './shared/errors.js';
import type { Logger } from './log.js';
import { renderLandingPage } from './landing-page.js';
import { PAGE_STYLESHEET, STYLESHEET_PATH } from './page-stylesheet.js';
import { renderSetupGuide, SETUP_GUIDE_PATH } from './setup-page.js';
import { requireValidHost, securityHeaders } from './security-headers.js';
import { renderHtmlPage } from './slack/pages/html-page.js';

export interface ServerOptions {
  log: Logger;
  /** BASE_URL: HSTS is sent when it is https. */
  baseUrl: string;
  /** The slash command's name, for the landing page and the set-up guide. */
  command: string;
  /** Google Cloud project of the request traces (Cloud Run's trace header), or null off Google Cloud. */
  traceProjectId: string | null;
  /** Readiness: true when Firestore answers. */
  isReady(): Promise<boolean>;
  /** Mounts each feature's routes. No global body parser: webhook and Slack routes verify the raw body. */
  mountFeatures(app: Express): void;
}

export function createServer(options: ServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  // Before every route, Bolt's installer pages included.
  app.use(accessLog({ log: options.log.child({ component: 'http' }), traceProjectId: options.traceProjectId }));
  app.use(securityHeaders({ https: options.baseUrl.startsWith('https:') }), requireValidHost);

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await options.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'firestore unavailable' });
  });
  // Both pages depend only on configuration: rendered once, not per request.
  const landingPage = renderLandingPage(options.command);
  const setupGuide = renderSetupGuide({ baseUrl: options.baseUrl, command: options.command });
  app.get('/', (_req, res) => {
    res.type('html').send(landingPage);
  });
  app.get(SETUP_GUIDE_PATH, (_req, res) => {
    res.type('html').send(setupGuide);
  });
  app.get(STYLESHEET_PATH, (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(PAGE_STYLESHEET);
  });

  options.mountFeatures(app);

  // Browsers get a page; API clients (and anyone not asking for HTML first) get JSON.
  app.use((req, res) => {
    if (req.accepts(['json', 'html']) === 'html') return void res.status(404).type('html').send(NOT_FOUND_PAGE);
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const status = httpStatusOf(err);
    if (status >= 500) options.log.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({ error: status >= 500 ? 'internal error' : messageOf(err) });
  };
  app.use(onError);
  return app;
}

const NOT_FOUND_PAGE = renderHtmlPage({
  tone: 'failure',
  title: 'Page not found',
  paragraphs: [
    'There is nothing at this address. The home page explains what PR Notifier does and how to add it to Slack.',
  ],
  links: [{ href: '/', text: 'Go to the home page' }],
});

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : 'bad request';
}
