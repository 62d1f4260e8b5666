import type { IncomingMessage, ServerResponse } from 'node:http';

/** A GitHub organization; `appInstallationId` when the App is installed on it. */
export interface FakeGitHubOrg {
  login: string;
  appInstallationId?: number;
  /**
   * The installation's permissions; default `{ members: 'read', pull_requests: 'read', metadata: 'read' }`. Without
   * `members`, GitHub refuses the team endpoints to the App (403 "Resource not accessible by integration").
   */
  permissions?: Record<string, string>;
}

/** A team of an organization, by its slug, with its members (child teams' members included, as GitHub lists them). */
export interface FakeGitHubTeam {
  org: string;
  slug: string;
  name?: string;
  members: Array<{ id: number; login: string }>;
}

const DEFAULT_PERMISSIONS = { members: 'read', pull_requests: 'read', metadata: 'read' };

/**
 * Organizations, their App installation and their teams, with the two endpoints GitHub's REST reference describes:
 * `GET /orgs/{org}/installation` (App JWT; 404 when the App is not installed) and
 * `GET /orgs/{org}/teams/{team_slug}/members` (the org installation's token with the Members permission; `per_page`
 * default 30, at most 100, `page` from 1, a `Link` header with rel="next" and rel="last" while more pages follow;
 * 404 for a team that does not exist or that the token cannot see). Org and slug are not case sensitive.
 */
export class FakeGitHubTeams {
  private readonly orgs = new Map<string, FakeGitHubOrg>();
  private readonly teams = new Map<string, FakeGitHubTeam>();

  addOrg(org: FakeGitHubOrg): void {
    this.orgs.set(org.login.toLowerCase(), { ...org });
  }

  /** Adds or replaces a team (its org is added, without the App, if unknown). */
  addTeam(team: FakeGitHubTeam): void {
    if (!this.orgs.has(team.org.toLowerCase())) this.addOrg({ login: team.org });
    this.teams.set(`${team.org}/${team.slug}`.toLowerCase(), { ...team, members: [...team.members] });
  }

  /** Answers the request if it is one of these endpoints; false leaves it to the rest of the fake. */
  handle(ctx: {
    req: IncomingMessage;
    res: ServerResponse;
    path: string;
    auth: string;
    installation: number | undefined;
  }): boolean {
    const { req, res, path, auth, installation } = ctx;
    if (req.method !== 'GET') return false;
    const installationMatch = /^\/api\/v3\/orgs\/([^/]+)\/installation$/.exec(path);
    if (installationMatch) {
      if (auth !== 'app_jwt') return send(res, 401, { message: 'A JSON web token could not be decoded' });
      const org = this.orgs.get(decodeURIComponent(installationMatch[1] ?? '').toLowerCase());
      if (org?.appInstallationId === undefined) return send(res, 404, { message: 'Not Found' });
      return send(res, 200, {
        id: org.appInstallationId,
        account: { login: org.login, type: 'Organization' },
        target_type: 'Organization',
        permissions: org.permissions ?? DEFAULT_PERMISSIONS,
      });
    }
    const membersMatch = /^\/api\/v3\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(path);
    if (!membersMatch) return false;
    if (auth === 'none') return send(res, 401, { message: 'Requires authentication' });
    const org = this.orgs.get(decodeURIComponent(membersMatch[1] ?? '').toLowerCase());
    const team = this.teams.get(
      `${decodeURIComponent(membersMatch[1] ?? '')}/${decodeURIComponent(membersMatch[2] ?? '')}`.toLowerCase(),
    );
    // Another installation's token sees nothing of this organization.
    if (!org || installation === undefined || installation !== org.appInstallationId) {
      return send(res, 404, { message: 'Not Found' });
    }
    if (!(org.permissions ?? DEFAULT_PERMISSIONS)['members']) {
      return send(res, 403, { message: 'Resource not accessible by integration' });
    }
    if (!team) return send(res, 404, { message: 'Not Found' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
    const page = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(perPage) || perPage < 1 || !Number.isInteger(page) || page < 1) {
      return send(res, 422, { message: 'Validation Failed' });
    }
    const slice = team.members.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(team.members.length / perPage));
    const pageUrl = (n: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      next.searchParams.set('per_page', String(perPage));
      return `<http://${req.headers.host ?? '127.0.0.1'}${next.pathname}${next.search}>`;
    };
    const link: Record<string, string> =
      page < last ? { link: `${pageUrl(page + 1)}; rel="next", ${pageUrl(last)}; rel="last"` } : {};
    const body = slice.map((m) => ({ login: m.login, id: m.id, type: 'User', site_admin: false }));
    return send(res, 200, body, link);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return true;
}
