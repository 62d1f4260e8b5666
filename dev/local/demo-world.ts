import type { FakeChannel, FakeUser } from '../fakes/fake-slack-types.js';
import { toAccount } from './pr-story.js';

/** The demo's cast: two workspaces, their channels and people, and the repository they follow. */
export const DEMO_REPO = 'octo-org/web';

export interface DemoPerson {
  userId: string;
  name: string;
  github: { login: string; id: number };
}

export interface DemoWorkspace {
  workspaceId: string;
  teamName: string;
  botToken: string;
  /** The channel that follows DEMO_REPO, and where its `/notify subscribe` is typed. */
  channel: FakeChannel;
  /** Where other commands are typed. */
  general: FakeChannel;
  /** Who installs the app and subscribes the channel. */
  admin: DemoPerson;
  people: DemoPerson[];
}

const person = (userId: string, name: string, login: string): DemoPerson => ({
  userId,
  name,
  github: toAccount(login),
});

export const ALICE = person('UALICE', 'alice', 'alice-gh');
export const BOB = person('UBOB', 'bob', 'bob-gh');
export const CAROL = person('UCAROL', 'carol', 'carol-gh');

const channel = (id: string, name: string): FakeChannel => ({ id, name, isPrivate: false, botIsMember: false });

export const ACME: DemoWorkspace = {
  workspaceId: 'TACME',
  teamName: 'Acme',
  botToken: 'xoxb-demo-acme',
  channel: channel('CACMEENG', 'eng'),
  general: channel('CACMEGEN', 'general'),
  admin: ALICE,
  people: [ALICE, BOB],
};

/** Its channel is archived midway through the PR's life. */
export const GLOBEX: DemoWorkspace = {
  workspaceId: 'TGLOBEX',
  teamName: 'Globex',
  botToken: 'xoxb-demo-globex',
  channel: channel('CGLOBREL', 'releases'),
  general: channel('CGLOBGEN', 'general'),
  admin: CAROL,
  people: [CAROL],
};

export const DEMO_WORKSPACES = [ACME, GLOBEX];

export const usersOf = (w: DemoWorkspace): FakeUser[] => w.people.map((p) => ({ id: p.userId, name: p.name }));
