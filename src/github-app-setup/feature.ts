import type { AppDeps, Feature } from '../app-deps.js';
import { createGitHubHttp } from '../github-api/http.js';
import { SETUP_PATH } from './app-manifest.js';
import { createSetupFlows } from './setup-flows.js';
import { mountSetupRoutes } from './setup-routes.js';
import { createSetupToken } from './setup-token.js';

/**
 * Creating the GitHub App in one step (GitHub's manifest flow, as Probot does it), served only while no App is
 * configured (GITHUB_APP_ID unset). Its one-time token is made at start-up and printed in the log: the operator
 * reading the log is who may create the App; once an App is configured the pages are gone (404).
 */
export function createGitHubAppSetupFeature(deps: AppDeps): Feature {
  const { config, log } = deps;
  if (config.github.appId !== null) return { mount: () => undefined };
  const token = createSetupToken();
  const setupLog = log.child({ component: 'github_app_setup' });
  // Deliberately printed: this line is how the operator proves they may create the App (as Probot prints its setup URL).
  setupLog.info(
    `GitHub App setup: open ${config.baseUrl}${SETUP_PATH} and enter the one-time setup token ${token.value}`,
  );
  return {
    mount(app) {
      mountSetupRoutes({
        app,
        token,
        flows: createSetupFlows({ now: deps.now }),
        http: createGitHubHttp(),
        baseUrl: config.baseUrl,
        githubUrl: config.github.url,
        githubApiUrl: config.github.apiUrl,
        project: config.firestore.kind === 'cloud' ? config.firestore.projectId : null,
        log: setupLog,
      });
    },
  };
}
