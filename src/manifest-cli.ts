import { parseArgs } from 'node:util';
import { slackCommandOf, slashCommandProblem } from './config.js';
import { buildSlackManifest } from './slack/manifest.js';

/**
 * `npm run manifest -- --base-url https://notifier.example.com [--command /notify] [--socket-mode]`: prints the Slack app
 * manifest filled in for this deployment, ready to paste into api.slack.com/apps → Create New App → From a manifest.
 * `--command` defaults to SLACK_COMMAND (then `/notify`), so the manifest registers the command the server answers.
 * `--socket-mode`: for local development with SLACK_APP_TOKEN (Socket Mode on, no request URLs).
 */
function run(): number {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      command: { type: 'string' },
      'socket-mode': { type: 'boolean', default: false },
    },
  });
  const baseUrl = values['base-url'];
  if (baseUrl === undefined || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    process.stderr.write(
      'Usage: npm run manifest -- --base-url https://your-service-url [--command /notify] [--socket-mode]\n',
    );
    return 1;
  }
  const command = values.command ?? slackCommandOf(process.env);
  const problem = slashCommandProblem(command, values.command === undefined ? 'SLACK_COMMAND' : '--command');
  if (problem !== null) {
    process.stderr.write(`${problem}\n`);
    return 1;
  }
  const manifest = buildSlackManifest({ baseUrl, command, socketMode: values['socket-mode'] });
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  return 0;
}

process.exitCode = run();
