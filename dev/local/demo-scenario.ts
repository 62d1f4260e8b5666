import { formatChannels, viewChannels, type WorkspaceView } from './channel-view.js';
import { ACME, ALICE, BOB, DEMO_REPO, DEMO_WORKSPACES, GLOBEX, usersOf, type DemoWorkspace } from './demo-world.js';
import type { DemoStack } from './demo-stack.js';
import { summaryLine } from './demo-summary.js';
import { parseMrkdwn, plainText } from './mrkdwn-view.js';
import { prStory, type StoryDelivery } from './pr-story.js';

const PR_NUMBER = 42;

/**
 * The scripted demo on a running stack: two workspaces installed through the real OAuth routes, a channel in each
 * subscribed, a person linked, and one PR's life replayed through the signed webhook route, with a redelivery, a
 * late (older) delivery and one channel archived midway. Prints what each channel shows after every step.
 */
export async function runDemo(stack: DemoStack, print: (line: string) => void): Promise<void> {
  const { slack, actors, deliveries } = stack;
  let stepNo = 0;
  const views = (): WorkspaceView[] => viewChannels(slack.snapshot(), { calls: slack.calls });
  /** Runs one step, waits for the queue to settle, then prints the step, what it said, and every channel. */
  const step = async (title: string, act: () => Promise<StepNote>) => {
    stepNo += 1;
    const note = await act();
    await stack.settle();
    print('');
    print(`== ${stepNo}. ${title}${note.status ? ` [${note.status}]` : ''}`);
    for (const line of note.lines ?? []) print(`   ${line}`);
    print(formatChannels(views(), { indent: '   ' }));
  };
  const command = async (w: DemoWorkspace, text: string, channelId = w.general.id): Promise<string[]> => {
    const reply = await actors.slashCommand({ workspaceId: w.workspaceId, userId: w.admin.userId, channelId, text });
    if (reply.status !== 200 || reply.text === '')
      throw new Error(`/notify ${text} in ${w.teamName} got no reply (HTTP ${reply.status})`);
    return replyLines(w, reply.text);
  };
  const sentIds = new Map<StoryDelivery, string>();
  const deliver = async (d: StoryDelivery, options: { deliveryId?: string } = {}): Promise<StepNote> => {
    const sent = await deliveries.send(d.event, d.payload, options);
    if (sent.status >= 300) throw new Error(`the webhook route refused "${d.label}" with HTTP ${sent.status}`);
    if (!sentIds.has(d)) sentIds.set(d, sent.deliveryId);
    return { status: `webhook answered ${sent.status}` };
  };

  stack.gitHub.addRepo({ fullName: DEMO_REPO, private: false });
  for (const w of DEMO_WORKSPACES) {
    await step(
      `${w.admin.name} adds PR Notifier to ${w.teamName} (/slack/install → Slack's consent page → /slack/oauth_redirect)`,
      async () => {
        const page = await actors.install({
          workspaceId: w.workspaceId,
          teamName: w.teamName,
          botToken: w.botToken,
          installerUserId: w.admin.userId,
          channels: [w.channel, w.general],
        });
        if (!page.ok) throw new Error(`installing into ${w.teamName} failed with HTTP ${page.status}`);
        slack.addWorkspace({ workspaceId: w.workspaceId, botToken: w.botToken, users: usersOf(w) });
        return { status: `install page ${page.status}` };
      },
    );
  }
  for (const w of DEMO_WORKSPACES) {
    await step(
      `${w.admin.name} types "/notify subscribe ${DEMO_REPO}" in ${w.teamName} #${w.channel.name}`,
      async () => ({
        lines: await command(w, `subscribe ${DEMO_REPO}`, w.channel.id),
      }),
    );
  }
  await step(
    `${ALICE.name} links GitHub account @${ALICE.github.login} ("/notify link" → Sign in with Slack → GitHub)`,
    async () => {
      const page = await actors.linkGitHub({
        person: { workspaceId: ACME.workspaceId, userId: ALICE.userId, name: ALICE.name },
        channelId: ACME.general.id,
        github: ALICE.github,
        localGitHub: stack.gitHub,
      });
      if (!page.ok) throw new Error(`linking ${ALICE.name}'s GitHub account failed with HTTP ${page.status}`);
      return { status: `link page ${page.status}` };
    },
  );

  const story = prStory({ repo: DEMO_REPO, number: PR_NUMBER, author: ALICE.github, title: 'Add dark mode' });
  await step(`GitHub: ${ALICE.github.login} opens PR #${PR_NUMBER} as a draft (drafts are not announced)`, () =>
    deliver(story.openedAsDraft()),
  );
  const ready = story.readyForReview();
  await step(`GitHub: PR #${PR_NUMBER} is ready for review`, () => deliver(ready));
  await step('GitHub redelivers that delivery (same X-GitHub-Delivery id): still one message', () =>
    deliver(ready, { deliveryId: sentIds.get(ready) ?? '' }),
  );
  await step(`GitHub: ${BOB.github.login} requests changes`, () => deliver(story.changesRequested(BOB.github)));
  await step(`GitHub: ${BOB.github.login} approves`, () => deliver(story.approved(BOB.github)));
  let archivedAt = 0;
  await step(`Slack: someone archives #${GLOBEX.channel.name} in ${GLOBEX.teamName}`, async () => {
    slack.addChannel(GLOBEX.workspaceId, { ...GLOBEX.channel, botIsMember: true, archived: true });
    archivedAt = slack.calls.length;
    return {};
  });
  // GitHub sends these two close together; they arrive the other way round.
  const edited = story.edited('Add dark mode and a theme switch');
  const merged = story.merged();
  await step(`GitHub: the title is edited, then PR #${PR_NUMBER} is merged; the merge arrives first`, () =>
    deliver(merged),
  );
  await step('GitHub: the title edit arrives late (older than the merge): the message does not go back to open', () =>
    deliver(edited),
  );

  print('');
  print('== Summary');
  for (const w of views()) {
    const demo = DEMO_WORKSPACES.find((d) => d.workspaceId === w.workspaceId);
    const followed = w.channels.find((c) => c.channelId === demo?.channel.id);
    if (!demo || !followed) throw new Error(`${w.teamName}'s subscribed channel is missing`);
    const archived = followed.archived ? { refusedAfter: archivedAt } : {};
    print(
      `   ${summaryLine({ workspace: w.teamName, channel: followed, prNumber: PR_NUMBER, calls: slack.calls, ...archived })}`,
    );
    if (!followed.archived) continue;
    print(
      `   ${w.teamName} #${followed.name} was archived: its message keeps what it showed then (open, approved); ` +
        `PR Notifier stopped following ${DEMO_REPO} there and sent ${demo.admin.name} a direct message saying how to start again`,
    );
    print(`   ${w.teamName}, "/notify list" now answers:`);
    for (const line of await command(demo, 'list')) print(`     ${line}`);
  }
  print('');
  print(
    'To look at it yourself: `npm start` with no Slack settings runs local mode; open the local Slack URL it prints ' +
      '(http://127.0.0.1:3001/ by default) to see the channels, type /notify and play a PR.',
  );
}

interface StepNote {
  /** A short status after the step's title (an HTTP answer). */
  status?: string;
  /** Lines to print under the title (a command's reply). */
  lines?: string[];
}

/** An ephemeral reply as the person reads it: mrkdwn to plain text, one entry per line. */
function replyLines(w: DemoWorkspace, text: string): string[] {
  const channels = [w.channel, w.general];
  const names = {
    user: (id: string) => w.people.find((p) => p.userId === id)?.name ?? id,
    channel: (id: string) => channels.find((c) => c.id === id)?.name ?? id,
  };
  return text.split('\n').map((line) => plainText(parseMrkdwn(line, names)));
}
