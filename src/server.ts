import express, { type ErrorRequestHandler, type Express } from 'express';
import { toRecord } from './core/json-reader.js';
import type { Logger } from './log.js';
import { renderLandingPage } from './landing-page.js';

export interface ServerOptions {
  log: Logger;
  /** Readiness: true when Firestore answers. */
  isReady(): Promise<boolean>;
  /** Mounts each feature's routes. No global body parser: webhook and Slack routes verify the raw body. */
  mountFeatures(app: Express): void;
}

export function createServer(options: ServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await options.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'firestore unavailable' });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(renderLandingPage());
  });

  options.mountFeatures(app);

  app.use((_req, res) => {
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

function httpStatusOf(err: unknown): number {
  const { status, statusCode } = toRecord(err);
  const s = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 500;
  return s >= 400 && s < 600 ? s : 500;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : 'bad request';
}
