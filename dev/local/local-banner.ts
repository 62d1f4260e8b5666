import { relative } from 'node:path';
import type { FirestoreTarget } from '../../src/config.js';

/** What local mode prints once it is ready: what this is, that nothing leaves the machine, and where to look. */
export function localModeBanner(b: {
  pageUrl: string;
  appUrl: string;
  githubUrl: string;
  dataDir: string;
  firestore: FirestoreTarget;
  logLevel: string;
}): string {
  const where = (path: string) => relative(process.cwd(), path) || '.';
  const firestore =
    b.firestore.kind === 'embedded'
      ? `the embedded Firestore emulator, data in ${where(b.firestore.dataDir)}`
      : b.firestore.kind === 'emulator'
        ? `the Firestore emulator at ${b.firestore.host}`
        : `Cloud Firestore (${b.firestore.projectId})`;
  const line = '─'.repeat(78);
  return [
    '',
    line,
    '  PR Notifier: LOCAL MODE',
    '',
    '  No Slack app is configured, so the app runs against a local Slack and a local GitHub on this',
    '  machine, with throw-away secrets. Nothing is sent to the real Slack or GitHub.',
    '',
    `  Open the local page:  ${b.pageUrl}`,
    '                        (the channels as Slack shows them, a /notify box, pull-request buttons)',
    `  The app itself:       ${b.appUrl}`,
    `  Local GitHub:         ${b.githubUrl}`,
    `  Data:                 ${where(b.dataDir)} and ${firestore}`,
    '                        (kept across restarts; delete .data to start afresh)',
    '',
    `  Log level ${b.logLevel}${b.logLevel === 'warn' ? ' (LOG_LEVEL=info npm start shows every request and job)' : ''}.`,
    '  To use a real Slack app instead, set SLACK_CLIENT_ID and the other variables (see .env.example).',
    '  Ctrl-C stops; the data stays.',
    line,
    '',
  ].join('\n');
}
