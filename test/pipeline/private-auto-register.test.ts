import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHOR, prPayload } from '../../dev/local/pr-payloads.js';
import { at, createWorld, type World } from './support/pipeline-world.js';
import { sendAndSettle } from './support/settle.js';

const PRIVATE_REPO = 'octo-org/private-auto';
const PUBLIC_REPO = 'octo-org/public-auto';
let w: World;
beforeAll(async () => {
  w = await createWorld({ teams: ['TPAUTO'], subscribe: false });
  const { workspaceId } = w.teams[0]!;
  await w.t.deps.store.users.linkGithub({
    workspaceId,
    slackUserId: 'UAUTHOR',
    githubUserId: AUTHOR.id,
    githubLogin: AUTHOR.login,
    at: new Date(),
  });
  await w.t.deps.store.users.setDefaultChannel({
    workspaceId,
    slackUserId: 'UAUTHOR',
    channelId: `D${workspaceId}`,
    at: new Date(),
  });
});
afterAll(async () => w?.t.close());

const team = () => w.teams[0]!;
const open = (repo: string, number: number, seconds: number, repoPrivate: boolean) =>
  sendAndSettle({
    t: w.t,
    repo,
    prNumber: number,
    teams: [team().workspaceId],
    delivery: {
      event: 'pull_request',
      payload: prPayload({ action: 'opened', repo, number, updatedAt: at(seconds), repoPrivate }),
    },
  });
const posted = (repo: string, number: number) =>
  w.t.slack
    .messages(team().workspaceId, `D${team().workspaceId}`)
    .filter((m) => m.text.includes(`#${number} `) && m.text.includes(repo));

describe('auto-registration records how access was proved', () => {
  it("a private repo is proved by the verified author's GitHub id, a public one by the delivery", async () => {
    await open(PRIVATE_REPO, 1, 1, true);
    await open(PUBLIC_REPO, 1, 1, false);
    expect(posted(PRIVATE_REPO, 1)).toHaveLength(1);
    await expect(w.t.deps.store.subscriptions.get(team().workspaceId, PRIVATE_REPO)).resolves.toMatchObject({
      createdBy: 'auto',
      enabled: true,
      access: { kind: 'github_user', githubUserId: AUTHOR.id },
    });
    await expect(w.t.deps.store.subscriptions.get(team().workspaceId, PUBLIC_REPO)).resolves.toMatchObject({
      access: { kind: 'public' },
    });
  });

  it('the public-proved one stops when the repo turns private', async () => {
    await open(PUBLIC_REPO, 2, 2, true);
    expect(posted(PUBLIC_REPO, 2)).toEqual([]);
    await expect(w.t.deps.store.subscriptions.get(team().workspaceId, PUBLIC_REPO)).resolves.toMatchObject({
      enabled: false,
      disabledReason: 'repo_private',
    });
  });

  it('after the author unlinks, the private repo they proved stops posting', async () => {
    const res = await w.t.slashCommand({ workspaceId: team().workspaceId, userId: 'UAUTHOR', text: 'unlink' });
    expect(String(res.replies[0]?.['text'])).toContain(PRIVATE_REPO);
    await expect(w.t.deps.store.subscriptions.get(team().workspaceId, PRIVATE_REPO)).resolves.toMatchObject({
      enabled: false,
      disabledReason: 'github_unlinked',
    });
    await open(PRIVATE_REPO, 3, 3, true);
    expect(posted(PRIVATE_REPO, 3)).toEqual([]);
    // Not linked any more, so not auto-registered again either.
    await expect(w.t.deps.store.subscriptions.get(team().workspaceId, PRIVATE_REPO)).resolves.toMatchObject({
      enabled: false,
    });
  });
});
