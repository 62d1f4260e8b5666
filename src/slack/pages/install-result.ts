import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import { renderInstallSuccess, renderNoInstallResult, type PageResult } from './install-pages.js';
import { createResultCookie } from './result-cookie.js';

export const INSTALLED_PATH = '/slack/installed';

/**
 * The end of a successful install: the OAuth callback redirects to INSTALLED_PATH, which says where the app was
 * installed for as long as the browser keeps the result (an hour), reloads included.
 */
export function createInstallResult(options: { command: string; secureCookies: boolean }) {
  const cookie = createResultCookie({
    name: 'pr_notifier_installed',
    path: INSTALLED_PATH,
    secure: options.secureCookies,
  });
  return {
    redirect(res: ServerResponse, installed: { workspaceId: string | null; teamName: string | null }): void {
      // workspaceId is always there ('' when Slack named neither team nor enterprise): it marks a real result.
      cookie.redirect(res, {
        workspaceId: installed.workspaceId ?? '',
        ...(installed.teamName !== null ? { teamName: installed.teamName } : {}),
      });
    },
    page(req: Request): PageResult {
      const facts = cookie.read(req);
      if (facts?.['workspaceId'] === undefined) return renderNoInstallResult(options.command);
      return renderInstallSuccess({
        workspaceId: facts['workspaceId'] || null,
        teamName: facts['teamName'] ?? null,
        command: options.command,
      });
    },
  };
}

export type InstallResult = ReturnType<typeof createInstallResult>;
