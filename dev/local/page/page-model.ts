import { viewChannels, type WorkspaceView } from '../channel-view.js';
import { LOCAL_PEOPLE, LOCAL_REPOS } from '../local-world.js';
import type { LocalPr } from '../pr-player.js';
import type { PageContext } from './page-routes.js';

/** Everything the page shows, as JSON: the script draws it with textContent only. */
export interface PageModel {
  command: string;
  appUrl: string;
  workspaces: Array<
    WorkspaceView & {
      people: Array<{ id: string; name: string }>;
      /** Channels a person can type a command in (not direct messages, not archived). */
      commandChannels: Array<{ id: string; name: string }>;
    }
  >;
  repos: Array<{ fullName: string; private: boolean }>;
  githubPeople: Array<{ login: string; name: string }>;
  pullRequests: LocalPr[];
}

export function pageModel(c: Pick<PageContext, 'slack' | 'command' | 'appUrl' | 'player'>): PageModel {
  const world = c.slack.fake.snapshot();
  const views = viewChannels(world, { calls: c.slack.updateCalls() });
  return {
    command: c.command,
    appUrl: c.appUrl,
    workspaces: views.map((view) => {
      const ws = world.workspaces.find((w) => w.workspaceId === view.workspaceId);
      return {
        ...view,
        people: (ws?.users ?? []).map((u) => ({ id: u.id, name: u.name })),
        commandChannels: (ws?.channels ?? [])
          .filter((ch) => !ch.id.startsWith('D') && ch.archived !== true)
          .map((ch) => ({ id: ch.id, name: ch.name })),
      };
    }),
    repos: LOCAL_REPOS.map((r) => ({ fullName: r.fullName, private: r.private })),
    githubPeople: LOCAL_PEOPLE.map((p) => ({ login: p.github.login, name: p.name })),
    pullRequests: c.player.list(),
  };
}
