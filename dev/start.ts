import { loadDotEnv } from '../src/entry-point.js';
import { isLocalMode } from './local/local-mode-choice.js';

/**
 * `npm start`: the server (src/main.ts) as configured, or, with no Slack variable set anywhere (environment or
 * .env) outside production, local mode with a local Slack and a local GitHub. src/ never imports dev/: the
 * production image runs dist/main.js, which is always the strict server.
 */
loadDotEnv();
if (isLocalMode(process.env)) await import('./local/local-mode.js');
else await import('../src/main.js');
