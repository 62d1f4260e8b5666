import type { FakeGitHub } from '../../dev/fakes/fake-github.js';
import type { Config } from '../../src/config.js';

/** The app's GitHub settings pointing at a fake GitHub, with its OAuth client and GitHub App credentials. */
export function githubConfigOf(gh: FakeGitHub): Config['github'] {
  return {
    webhookSecret: 'x',
    clientId: gh.clientId,
    clientSecret: gh.clientSecret,
    url: gh.url,
    apiUrl: gh.apiUrl,
    appId: gh.appId,
    appPrivateKey: gh.appPrivateKey,
  };
}
