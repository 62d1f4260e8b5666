import type { FakeGitHub } from '../fakes/fake-github.js';
import type { FakeSlack } from '../fakes/fake-slack.js';
import type { FakeSlackPerson } from '../fakes/fake-slack-oidc.js';
import type { FakeChannel, FakeOAuthGrantInput } from '../fakes/fake-slack-types.js';
import { createBrowser } from './browser.js';
import { slackSignatureHeaders, slashCommandBody } from './slack-signing.js';

/** What the actors need from the local Slack: the consent and sign-in pages' helpers and response_urls. */
export type ActorSlack = Pick<FakeSlack, 'apiUrl' | 'createOAuthCode' | 'signIn' | 'newResponseUrl' | 'addChannel'>;
/** What the identity link needs from the local GitHub: where its pages are, and a person approving there. */
export type ActorGitHub = Pick<FakeGitHub, 'url' | 'createOAuthCode'>;

export interface SlackActorsOptions {
  /** The product's BASE_URL (its real routes: /slack/install, /slack/events, …). */
  appUrl: string;
  slack: ActorSlack;
  /** The product's SLACK_SIGNING_SECRET: requests are signed as Slack signs them. */
  signingSecret: string;
  /** The slash command's name; default `/notify`. */
  command?: string;
}

/** A page the product answered at the end of a browser flow. */
export interface FlowResult {
  ok: boolean;
  status: number;
  html: string;
  /** The page the browser ended on: says which hop failed when one did. */
  url: string;
}

export interface CommandReply {
  /** The HTTP status of the signed POST /slack/events. */
  status: number;
  /** The first ephemeral reply's text ('' if none came). */
  text: string;
  replies: Array<Record<string, unknown>>;
}

/** People acting on the product from outside, as Slack (and the person's browser) would. */
export interface SlackActors {
  /**
   * An admin adds the app to a workspace: GET /slack/install → Slack's consent page (approving `grant`) →
   * /slack/oauth_redirect, carrying cookies as a browser does. `channels` are created in the workspace first.
   */
  install(grant: FakeOAuthGrantInput & { channels?: FakeChannel[] }): Promise<FlowResult>;
  /** A person types `{command} {text}` in a channel: a signed POST /slack/events; waits for the ephemeral reply. */
  slashCommand(c: {
    workspaceId: string;
    userId: string;
    text: string;
    channelId: string;
    timeoutMs?: number;
  }): Promise<CommandReply>;
  /**
   * The whole identity link: `/notify link`, open the link in a browser signed in to Slack as `person`, approve on
   * GitHub as `github`. Answers the product's final page.
   */
  linkGitHub(l: {
    person: FakeSlackPerson;
    channelId: string;
    github: { id: number; login: string };
    localGitHub: ActorGitHub;
  }): Promise<FlowResult & { reachedGitHub: boolean }>;
}

const REPLY_POLL_MS = 25;

export function createSlackActors(options: SlackActorsOptions): SlackActors {
  const { appUrl, slack, signingSecret } = options;
  const command = options.command ?? '/notify';

  const slashCommand: SlackActors['slashCommand'] = async (c) => {
    const target = slack.newResponseUrl();
    const rawBody = slashCommandBody({ ...c, command, responseUrl: target.url });
    const res = await fetch(`${appUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...slackSignatureHeaders({ signingSecret, rawBody }),
      },
      body: rawBody,
    });
    await res.body?.cancel();
    // The product acks at once and answers through the response_url: wait for that answer.
    const deadline = Date.now() + (c.timeoutMs ?? 10_000);
    while (res.ok && target.responses().length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, REPLY_POLL_MS));
    }
    const replies = target.responses();
    const first = replies[0]?.['text'];
    return { status: res.status, text: typeof first === 'string' ? first : '', replies };
  };

  return {
    async install({ channels = [], ...grant }) {
      for (const channel of channels) slack.addChannel(grant.workspaceId, channel);
      slack.createOAuthCode(grant);
      const page = await createBrowser().open(`${appUrl}/slack/install`);
      return { ok: page.status === 200, status: page.status, html: page.html, url: page.url.href };
    },
    slashCommand,
    async linkGitHub(l) {
      const reply = await slashCommand({
        workspaceId: l.person.workspaceId,
        userId: l.person.userId,
        channelId: l.channelId,
        text: 'link',
      });
      const link = /<([^|>]+)\|/.exec(reply.text)?.[1];
      if (!link) throw new Error(`${command} link gave no link: ${reply.text || `HTTP ${reply.status}`}`);
      const browser = createBrowser();
      browser.addCookie(slack.apiUrl, slack.signIn(l.person));
      const githubOrigin = new URL(l.localGitHub.url).origin;
      const slackStep = await browser.open(link, { stopAt: [githubOrigin] });
      const state = slackStep.stoppedAt?.searchParams.get('state');
      if (!state)
        return {
          ok: false,
          status: slackStep.status,
          html: slackStep.html,
          url: slackStep.url.href,
          reachedGitHub: false,
        };
      // The person approves on GitHub, which sends the browser back to the product's callback with a code.
      const code = l.localGitHub.createOAuthCode(l.github);
      const page = await browser.open(`${appUrl}/github/oauth/callback?${new URLSearchParams({ code, state })}`);
      return { ok: page.status === 200, status: page.status, html: page.html, url: page.url.href, reachedGitHub: true };
    },
  };
}
